"""Catalogue tables: `modules` is platform data (no tenant); `module_votes` is tenant data."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from xentri.catalog.domain import STATUSES
from xentri.kernel.db.metadata import metadata

_STATUS_LIST = ", ".join(f"'{status}'" for status in STATUSES)

modules = Table(
    "modules",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("category", String(40), nullable=False),
    Column("subcategory", String(80), nullable=False),
    # {"en": ..., "es": ...}: a new language is a key, not a migration.
    Column("name", JSONB, nullable=False),
    Column("description", JSONB, nullable=False),
    Column("icon", String(60), nullable=False),
    Column("sort_order", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("status_source", String(10), nullable=False, server_default="catalogue"),
    Column("status_changed_at", DateTime(timezone=True), nullable=True),
    # Gone from the catalogue file; kept (never deleted) because votes point at it.
    Column("retired_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(f"status in ({_STATUS_LIST})", name="status_known"),
    CheckConstraint("status_source in ('catalogue', 'admin')", name="status_source_known"),
    CheckConstraint("name ? 'en' and name ? 'es'", name="name_in_both_languages"),
)

module_votes = Table(
    "module_votes",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    # The org the voter acted in: its paying / churn-risk flags weight the vote.
    Column(
        "org_id",
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("module_id", String(80), ForeignKey("modules.id"), nullable=False),
    Column("use_case", String(500), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # One vote per person per module, whichever org they voted from (seed §11).
    UniqueConstraint("user_id", "module_id", name="uq_module_votes_user_id_module_id"),
    Index("ix_module_votes_org_id", "org_id"),
    Index("ix_module_votes_module_id", "module_id"),
)
