"""The AI plane's tenant tables: model usage, and copilot threads with their messages."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from xentri.kernel.db.metadata import metadata

ai_usage = Table(
    "ai_usage",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("agent_id", String(100), nullable=False),
    Column("provider", String(20), nullable=False),
    Column("model", String(100), nullable=False),
    Column("input_tokens", Integer, nullable=False),
    Column("output_tokens", Integer, nullable=False),
    Column("metered", Boolean, nullable=False),  # counted against the org's token budget
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_ai_usage_org_id_created_at", "org_id", "created_at"),
)

copilot_threads = Table(
    "copilot_threads",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("scope", String(120), nullable=False),
    Column("title", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_copilot_threads_org_id_user_id_updated_at", "org_id", "user_id", "updated_at"),
)

copilot_messages = Table(
    "copilot_messages",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "thread_id",
        UUID(as_uuid=True),
        ForeignKey("copilot_threads.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("role", String(10), nullable=False),  # user | assistant
    Column("content", Text, nullable=False),
    # The model exchange of an assistant turn (pydantic-ai messages), so a thread resumes with
    # its whole history, tool calls included.
    Column("model_messages", JSONB(none_as_null=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_copilot_messages_org_id", "org_id"),
    Index("ix_copilot_messages_thread_id_created_at", "thread_id", "created_at"),
)
