"""The Pulse's tables: items per org and scope, per-user dismissals, each person's last scope
and the category scopes a member is limited to. Tenant data, under row-level security."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns


def _org_column() -> Column[object]:
    return Column(
        "org_id",
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    )


pulse_items = Table(
    "pulse_items",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _org_column(),
    Column("scope", String(120), nullable=False),
    Column("source_event_id", UUID(as_uuid=True), nullable=False),
    Column("importance", SmallInteger, nullable=False),
    # A message id of the catalogs with `params` (translated for each reader), or the literal
    # text an agent wrote (gettext hands an unknown message back unchanged).
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("params", JSONB, nullable=False, server_default="{}"),
    Column("action_required", Boolean, nullable=False),
    Column("action_url", String(500), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    # The producer's name for the fact it reported ("finance.invoice_overdue:<id>"), shared by
    # the item's promoted copies, so the producer can withdraw it from every level when it is
    # over; a withdrawn item stays as a record (and keeps a redelivered event from bringing it
    # back) but nobody sees it.
    Column("producer_key", String(200), nullable=True),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
    Column(
        "promoted_from",
        UUID(as_uuid=True),
        ForeignKey("pulse_items.id", ondelete="CASCADE"),
        nullable=True,
    ),
    *timestamp_columns(),
    # One item per event and scope: a redelivered event, or two children promoting the same
    # fact, finds its item already there.
    UniqueConstraint(
        "org_id", "scope", "source_event_id", name="uq_pulse_items_org_id_scope_source_event_id"
    ),
    CheckConstraint("importance between 1 and 5", name="importance"),
    Index("ix_pulse_items_org_id_scope_created_at", "org_id", "scope", "created_at"),
    Index("ix_pulse_items_promoted_from", "promoted_from"),
    # One item per fact and scope, and the lookup of a withdrawal.
    Index(
        "uq_pulse_items_org_id_producer_key_scope",
        "org_id",
        "producer_key",
        "scope",
        unique=True,
        postgresql_where=text("producer_key is not null"),
    ),
)

pulse_dismissals = Table(
    "pulse_dismissals",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _org_column(),
    Column(
        "item_id",
        UUID(as_uuid=True),
        ForeignKey("pulse_items.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    *timestamp_columns(),
    UniqueConstraint("item_id", "user_id", name="uq_pulse_dismissals_item_id_user_id"),
    Index("ix_pulse_dismissals_org_id_user_id", "org_id", "user_id"),
)

pulse_last_scopes = Table(
    "pulse_last_scopes",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _org_column(),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("scope", String(120), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("org_id", "user_id", name="uq_pulse_last_scopes_org_id_user_id"),
)

# A member limited to some categories sees those Pulses (and their sub-categories and modules)
# only; a member without rows here sees every category, as members always have.
member_scopes = Table(
    "member_scopes",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _org_column(),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("scope", String(120), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("org_id", "user_id", "scope", name="uq_member_scopes_org_id_user_id_scope"),
)
