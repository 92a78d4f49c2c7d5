"""Tables of the event spine. `system_events` is append-only; delivery state lives beside it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from xentri.kernel.db.metadata import metadata

system_events = Table(
    "system_events",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    # Per-org, gap-free, in commit order: assigned under the org's sequence row lock.
    Column("org_seq", BigInteger, nullable=False),
    Column("type", String(200), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor", JSONB, nullable=False),
    Column("envelope_version", String(10), nullable=False),
    Column("payload_schema", String(200), nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("dedupe_key", String(200), nullable=True),
    Column("correlation_id", String(200), nullable=True),
    Column("trace_id", String(64), nullable=True),
    Column("meta", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("org_id", "org_seq", name="uq_system_events_org_id_org_seq"),
    Index("ix_system_events_org_id_occurred_at", "org_id", "occurred_at"),
    Index("ix_system_events_created_at", "created_at"),
    Index(
        "uq_system_events_org_id_dedupe_key",
        "org_id",
        "dedupe_key",
        unique=True,
        postgresql_where=text("dedupe_key is not null"),
    ),
)

org_event_sequences = Table(
    "org_event_sequences",
    metadata,
    Column("org_id", UUID(as_uuid=True), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

relay_cursors = Table(
    "relay_cursors",
    metadata,
    Column("org_id", UUID(as_uuid=True), primary_key=True),
    Column("published_seq", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

event_receipts = Table(
    "event_receipts",
    metadata,
    Column("consumer", String(100), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id", name="pk_event_receipts"),
    Index("ix_event_receipts_org_id", "org_id"),
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("consumer", String(100), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("correlation_id", String(200), nullable=True),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("envelope", JSONB, nullable=False),
    Column("stream_id", String(50), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("archived_at", DateTime(timezone=True), nullable=True),
    Column("replayed_at", DateTime(timezone=True), nullable=True),
    Index("ix_dead_letters_org_id", "org_id"),
    Index("ix_dead_letters_created_at", "created_at"),
    Index("ix_dead_letters_correlation_id", "correlation_id"),
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("job", String(100), nullable=False),
    Column("slot", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("error", Text, nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("job", "org_id", "slot", name="uq_job_runs_job_org_id_slot"),
    Index("ix_job_runs_org_id", "org_id"),
    Index("ix_job_runs_status_next_attempt_at", "status", "next_attempt_at"),
)
