"""The AI plane's memory tables (ADR-006): the episodic journal and the agents' personas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Computed,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    cast,
    func,
)
from sqlalchemy.dialects.postgresql import TSVECTOR, UUID
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.types import UserDefinedType

from xentri.kernel.db.metadata import metadata

# A copy of PostgreSQL's 'simple' configuration that also strips accents (migration 0007).
# 'simple' because one org writes English and Spanish side by side: a language's stemmer and
# stop words fit that language only ('english' drops "no" and stems Spanish words by English
# rules, 'spanish' drops "con" and "para"), while 'simple' keeps every word as written, so a
# query finds its words in either language. Unaccent because owners type "facturacion" for
# "facturación" as often as not.
TEXT_SEARCH_CONFIG = "xentri_text"
EMBEDDING_DIMENSIONS = 384  # all-MiniLM-L6-v2


class Vector(UserDefinedType[Any]):
    """pgvector's `vector(n)`; values travel as its text form, '[0.1,0.2,…]'."""

    cache_ok = True

    def __init__(self, dimensions: int | None = None) -> None:
        self.dimensions = dimensions

    def get_col_spec(self, **_kw: Any) -> str:
        return f"vector({self.dimensions})" if self.dimensions else "vector"

    def bind_processor(self, dialect: Any) -> Any:
        def process(value: Sequence[float] | None) -> str | None:
            if value is None:
                return None
            return "[" + ",".join(repr(float(x)) for x in value) + "]"

        return process

    def bind_expression(self, bindvalue: Any) -> Any:
        return cast(bindvalue, self)


# Reflection (the schema-drift check) would otherwise warn about a type it does not know.
ischema_names.setdefault("vector", Vector)

memory_episodes = Table(
    "memory_episodes",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("kind", String(20), nullable=False),  # decision | outcome | conversation | event
    Column("agent_id", String(80), nullable=True),  # None: the org's, not one agent's
    # The type of the event an `event` episode journals: dreaming picks a category's episodes
    # by the event types its agents follow.
    Column("event_type", String(120), nullable=True),
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("source_event_id", UUID(as_uuid=True), nullable=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column(
        "search",
        TSVECTOR,
        Computed(
            f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, title), 'A')"
            f" || setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, body), 'B')",
            persisted=True,
        ),
        nullable=True,
    ),
    # Filled only where pgvector is installed and XENTRI_EMBEDDINGS names a model.
    Column("embedding", Vector(EMBEDDING_DIMENSIONS), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Recording the same event twice (a redelivery, two categories following it) is one episode.
    CheckConstraint(
        "kind in ('decision', 'outcome', 'conversation', 'event')", name="ck_memory_episodes_kind"
    ),
    UniqueConstraint("org_id", "source_event_id", name="uq_memory_episodes_org_id_source_event_id"),
    Index("ix_memory_episodes_org_id_occurred_at", "org_id", "occurred_at"),
    Index("ix_memory_episodes_search", "search", postgresql_using="gin"),
)

agent_personas = Table(
    "agent_personas",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("agent_id", String(80), nullable=False),
    Column("persona", Text, nullable=False),
    # Every distilled version is kept; the highest is in use. A failed night adds none, so the
    # previous one stays in use.
    Column("version", Integer, nullable=False),
    Column("distilled_from_count", Integer, nullable=False),  # episodes read
    # The dreaming slot that wrote it: a retried or repeated run of that slot writes no second.
    Column("slot", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint(
        "org_id", "agent_id", "version", name="uq_agent_personas_org_id_agent_id_version"
    ),
    UniqueConstraint("org_id", "agent_id", "slot", name="uq_agent_personas_org_id_agent_id_slot"),
)
