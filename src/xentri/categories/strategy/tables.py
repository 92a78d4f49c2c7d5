"""Strategy's tenant tables: the Brief flow, its versions and interview; OKRs; decisions; the
co-pilot's recommendations."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns

brief_flows = Table(
    "brief_flows",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("state", String(20), nullable=False),
    # The Brief being built or edited; the approved versions are in brief_versions.
    Column("draft", JSONB, nullable=False),
    # What the interview knows and the question it asked last (the offline engine's state), so
    # the conversation resumes after the browser closes.
    Column("interview", JSONB(none_as_null=True), nullable=True),
    *timestamp_columns(),
)

brief_versions = Table(
    "brief_versions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("document", JSONB, nullable=False),
    Column("changed_sections", JSONB, nullable=False),
    Column("approved_by", UUID(as_uuid=True), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("org_id", "version", name="uq_brief_versions_org_id_version"),
)

brief_messages = Table(
    "brief_messages",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("role", String(10), nullable=False),  # owner | copilot
    Column("content", Text, nullable=False),
    Column("language", String(5), nullable=False),
    *timestamp_columns(),
    Index("ix_brief_messages_org_id_created_at", "org_id", "created_at"),
)

objectives = Table(
    "strategy_objectives",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=True),
    # The Brief goal it pursues, by its statement (goals have no id of their own in the Brief).
    Column("brief_goal", String(500), nullable=True),
    Column("due_on", Date, nullable=True),
    *timestamp_columns(),
    Index("ix_strategy_objectives_org_id_created_at", "org_id", "created_at"),
)

key_results = Table(
    "strategy_key_results",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "objective_id",
        UUID(as_uuid=True),
        ForeignKey("strategy_objectives.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("title", String(200), nullable=False),
    Column("unit", String(40), nullable=True),
    Column("start_value", Numeric(18, 4), nullable=False),
    Column("target_value", Numeric(18, 4), nullable=False),
    Column("current_value", Numeric(18, 4), nullable=False),
    *timestamp_columns(),
    Index("ix_strategy_key_results_org_id", "org_id"),
    Index("ix_strategy_key_results_objective_id", "objective_id"),
)

decisions = Table(
    "strategy_decisions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("title", String(200), nullable=False),
    Column("context", Text, nullable=True),
    Column("options", JSONB, nullable=False),  # the options weighed, as a list of strings
    Column("decision", Text, nullable=False),
    Column("outcome", Text, nullable=True),
    Column("decided_on", Date, nullable=False),
    Column("decided_by", UUID(as_uuid=True), nullable=False),
    *timestamp_columns(),
    Index("ix_strategy_decisions_org_id_decided_on", "org_id", "decided_on"),
)

# The Strategy Co-pilot's recommendations, kept per approved Brief version and language so a
# configured model is asked at most once for each (ADR 0026). A row is "computing" from the
# moment one request claims it until it stores what it found ("ready"); modules and goals are
# empty while it computes.
recommendations = Table(
    "strategy_recommendations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("brief_version", Integer, nullable=False),
    Column("language", String(5), nullable=False),
    Column("state", String(10), nullable=False),  # computing | ready
    Column("source", String(10), nullable=True),  # model | offline, once ready
    Column("modules", JSONB, nullable=True),  # [{module_id, reason}]
    Column("goals", JSONB, nullable=True),  # [{index, statement, missing, advice, rewrite, source}]
    *timestamp_columns(),
    UniqueConstraint(
        "org_id",
        "brief_version",
        "language",
        name="uq_strategy_recommendations_org_id_brief_version_language",
    ),
    CheckConstraint("state in ('computing', 'ready')", name="state_known"),
    CheckConstraint(
        "(state = 'computing') or (source in ('model', 'offline') and modules is not null "
        "and goals is not null)",
        name="ready_complete",
    ),
)
