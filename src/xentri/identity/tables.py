"""Identity tables. Users and sessions are global; organizations and memberships are tenant data."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns

users = Table(
    "users",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("email_verified_at", DateTime(timezone=True), nullable=True),
    Column("password_hash", String(200), nullable=True),
    Column("name", String(200), nullable=False),
    Column("phone", String(40), nullable=True),
    Column("avatar_url", String(500), nullable=True),
    Column("preferred_language", String(5), nullable=False, server_default="en"),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    *timestamp_columns(),
    Index("uq_users_email_lower", text("lower(email)"), unique=True),
)

user_tokens = Table(
    "user_tokens",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("purpose", String(30), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_user_tokens_user_id", "user_id"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("active_org_id", UUID(as_uuid=True), nullable=True),
    Column("ip", String(64), nullable=True),
    Column("user_agent", String(300), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_seen_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_sessions_user_id", "user_id"),
)

dev_mailbox = Table(
    "dev_mailbox",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("to_address", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body_text", String, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_dev_mailbox_created_at", "created_at"),
)

# What a dev mailbox mail carried (an invoice's PDF), kept so the page can offer it.
dev_mailbox_attachments = Table(
    "dev_mailbox_attachments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "mail_id",
        UUID(as_uuid=True),
        ForeignKey("dev_mailbox.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_dev_mailbox_attachments_mail_id", "mail_id"),
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    # The tenant key of the org's own row is its id; org_id keeps the RLS rule uniform.
    Column("org_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("industry", String(100), nullable=True),
    Column("size", String(10), nullable=True),
    Column("default_language", String(5), nullable=False, server_default="en"),
    Column("time_zone", String(64), nullable=False, server_default="UTC"),
    Column("currency", String(3), nullable=False, server_default="USD"),
    # Set by Xentri staff, never by the org: they weight the org's roadmap votes (catalog).
    Column("is_paying", Boolean, nullable=False, server_default=false()),
    Column("churn_risk", Boolean, nullable=False, server_default=false()),
    *timestamp_columns(),
    CheckConstraint("org_id = id", name="org_id_is_id"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "org_id",
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("role", String(10), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("org_id", "user_id", name="uq_memberships_org_id_user_id"),
    Index("ix_memberships_user_id", "user_id"),
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "org_id",
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("email", String(320), nullable=False),
    Column("role", String(10), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("invited_by", UUID(as_uuid=True), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=True),
    Column("accepted_by", UUID(as_uuid=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    *timestamp_columns(),
    Index("ix_invitations_org_id", "org_id"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "org_id",
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("name", String(100), nullable=False),
    Column("prefix", String(20), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    *timestamp_columns(),
    Index("ix_api_keys_org_id", "org_id"),
)
