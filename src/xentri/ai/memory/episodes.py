"""Episodic memory: the journal of what happened in an org, searchable by its words."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import Row, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.memory.tables import TEXT_SEARCH_CONFIG, memory_episodes

EpisodeKind = Literal["decision", "outcome", "conversation", "event"]
EPISODE_KINDS: tuple[EpisodeKind, ...] = get_args(EpisodeKind)
_TITLE_CHARS = 300
_BODY_CHARS = 8000  # a journal entry, not a document: enough for a decision and its reasons


@dataclass(frozen=True)
class Episode:
    id: uuid.UUID
    kind: EpisodeKind
    agent_id: str | None
    event_type: str | None
    title: str
    body: str
    occurred_at: datetime
    rank: float = 0.0  # how well it matched a search; 0 when listed, not searched


async def record_episode(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    kind: EpisodeKind,
    title: str,
    body: str,
    agent_id: str | None = None,
    source_event_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
    event_type: str | None = None,
) -> uuid.UUID | None:
    """Journal one episode; None when its source event was journaled already."""
    if kind not in EPISODE_KINDS:
        raise ValueError(f"episode kind must be one of {', '.join(EPISODE_KINDS)}, not {kind!r}")
    title = " ".join(title.split())[:_TITLE_CHARS]
    if not title:
        raise ValueError("an episode needs a title")
    statement = (
        insert(memory_episodes)
        .values(
            id=uuid.uuid4(),
            org_id=org_id,
            kind=kind,
            agent_id=agent_id,
            event_type=event_type,
            title=title,
            body=body.strip()[:_BODY_CHARS],
            source_event_id=source_event_id,
            occurred_at=occurred_at or datetime.now(UTC),
        )
        # Only the source event's uniqueness is a no-op; any other conflict is a bug to see.
        .on_conflict_do_nothing(constraint="uq_memory_episodes_org_id_source_event_id")
        .returning(memory_episodes.c.id)
    )
    episode_id: uuid.UUID | None = (await tx.execute(statement)).scalar_one_or_none()
    return episode_id


async def search_episodes(
    *,
    tx: AsyncSession,
    query: str,
    limit: int = 10,
    kinds: Collection[EpisodeKind] | None = None,
) -> list[Episode]:
    """The org's episodes that match `query` (web-search syntax: words, "phrases", -not, or),
    best match first; the newer of two equal matches first."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    terms = func.websearch_to_tsquery(literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig"), query)
    rank = func.ts_rank(memory_episodes.c.search, terms).label("rank")
    statement = (
        select(*_EPISODE_COLUMNS, rank)
        .where(memory_episodes.c.search.op("@@")(terms))
        .order_by(rank.desc(), memory_episodes.c.occurred_at.desc())
        .limit(limit)
    )
    if kinds is not None:
        statement = statement.where(memory_episodes.c.kind.in_(sorted(kinds)))
    rows = (await tx.execute(statement)).all()
    return [_episode(row, rank=float(row.rank)) for row in rows]


async def recent_episodes(
    *,
    tx: AsyncSession,
    since: datetime,
    until: datetime,
    agent_ids: Collection[str],
    event_types: Collection[str],
    limit: int = 200,
) -> list[Episode]:
    """Episodes of [since, until) that concern these agents: theirs, those of events they
    follow, and the org's own (no agent, no event). Newest first."""
    concerns = memory_episodes.c.agent_id.in_(sorted(agent_ids)) | (
        memory_episodes.c.agent_id.is_(None)
        & (
            memory_episodes.c.event_type.is_(None)
            | memory_episodes.c.event_type.in_(sorted(event_types))
        )
    )
    statement = (
        select(*_EPISODE_COLUMNS)
        .where(
            memory_episodes.c.occurred_at >= since,
            memory_episodes.c.occurred_at < until,
            concerns,
        )
        .order_by(memory_episodes.c.occurred_at.desc())
        .limit(limit)
    )
    return [_episode(row) for row in (await tx.execute(statement)).all()]


async def has_embeddings_column(tx: AsyncSession) -> bool:
    """Whether the migrations could add the embedding column (pgvector was installed)."""
    found = await tx.scalar(
        text(
            "select 1 from information_schema.columns"
            " where table_name = 'memory_episodes' and column_name = 'embedding'"
        )
    )
    return found is not None


_EPISODE_COLUMNS = (
    memory_episodes.c.id,
    memory_episodes.c.kind,
    memory_episodes.c.agent_id,
    memory_episodes.c.event_type,
    memory_episodes.c.title,
    memory_episodes.c.body,
    memory_episodes.c.occurred_at,
)


def _episode(row: Row[*tuple[Any, ...]], *, rank: float = 0.0) -> Episode:
    return Episode(
        id=row.id,
        kind=row.kind,
        agent_id=row.agent_id,
        event_type=row.event_type,
        title=row.title,
        body=row.body,
        occurred_at=row.occurred_at,
        rank=rank,
    )
