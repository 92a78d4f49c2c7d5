"""The shell's own tables: first-run progress and interface preferences (per person) and the
org's display preferences (tenant data, under row-level security like every org table).
Notification choices live with the notifications (xentri.notifications.tables)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
)
from sqlalchemy.dialects.postgresql import UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns

# Per person, like users and sessions: the wizard runs before any org exists.
onboarding_progress = Table(
    "onboarding_progress",
    metadata,
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("step", String(20), nullable=False),
    # Not named org_id: this is not a tenant row, only a pointer to the org the wizard made.
    Column("created_org_id", UUID(as_uuid=True), nullable=True),
    Column("browser_time_zone", String(64), nullable=True),
    Column("completed_at", DateTime(timezone=True), nullable=True),
    *timestamp_columns(),
)

org_preferences = Table(
    "org_preferences",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "org_id",
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("date_format", String(20), nullable=False, server_default="medium"),
    *timestamp_columns(),
)

# Per person, like onboarding_progress: how the interface opens on every device they use.
user_preferences = Table(
    "user_preferences",
    metadata,
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("copilot_panel_side", String(10), nullable=False, server_default="right"),
    *timestamp_columns(),
    CheckConstraint("copilot_panel_side in ('right', 'bottom')", name="panel_side_known"),
)
