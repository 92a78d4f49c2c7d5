"""Notification tables, both per person (no org): what each person wants to hear about, and
the notices they were sent (the bell's list, and the email outbox in the same row)."""

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
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns

EMAIL_STATES = ("none", "pending", "sending", "sent", "failed")

notification_preferences = Table(
    "notification_preferences",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("kind", String(40), nullable=False),
    Column("email", Boolean, nullable=False),
    Column("in_app", Boolean, nullable=False),
    *timestamp_columns(),
    UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_id_kind"),
)

# One notice to one person about one event, whatever channels carry it: `in_app` puts it in
# the bell, `email_state` is its place in the email outbox. A person who wants neither gets
# no row. No org_id: voters span orgs and module news belongs to none; row-level security
# scopes it to its recipient (app.current_user_id) instead (migration 0010).
notifications = Table(
    "notifications",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("kind", String(40), nullable=False),
    # Rendered when read, in the reader's language of the moment (see messages.py).
    Column("message_key", String(80), nullable=False),
    Column("params", JSONB, nullable=False),
    Column("link", String(300), nullable=False),
    Column("source_event_id", UUID(as_uuid=True), nullable=False),
    Column("in_app", Boolean, nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Column("email_state", String(10), nullable=False, server_default="none"),
    Column("email_attempts", SmallInteger, nullable=False, server_default="0"),
    Column("email_next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("email_sent_at", DateTime(timezone=True), nullable=True),
    Column("email_error", String(300), nullable=True),
    *timestamp_columns(),
    # The dedupe key: a second delivery of the same event inserts nothing, on any channel.
    UniqueConstraint(
        "user_id",
        "source_event_id",
        "kind",
        name="uq_notifications_user_id_source_event_id_kind",
    ),
    CheckConstraint(
        "email_state in ('none', 'pending', 'sending', 'sent', 'failed')",
        name="email_state_known",
    ),
    # Links stay inside Xentri: a path, never another site (nor a protocol-relative //host).
    CheckConstraint("link like '/%' and link not like '//%'", name="link_is_local_path"),
    Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    Index(
        "ix_notifications_email_pending",
        "email_next_attempt_at",
        postgresql_where=text("email_state = 'pending'"),
    ),
)
