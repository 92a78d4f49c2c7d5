"""Episodic memory: the journal of what happened in an org, searchable by its words."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import Float, Row, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.memory.embeddings import Embedder, embedding_text
from xentri.ai.memory.tables import (
    EMBEDDING_DIMENSIONS,
    TEXT_SEARCH_CONFIG,
    Vector,
    memory_episodes,
)

EpisodeKind = Literal["decision", "outcome", "conversation", "event"]
EPISODE_KINDS: tuple[EpisodeKind, ...] = get_args(EpisodeKind)
_TITLE_CHARS = 300
# Reciprocal rank fusion's constant (Cormack et al.): dampens the weight of the very top ranks.
_RRF_K = 60
# Beyond this cosine distance a MiniLM neighbour is unrelated text, however near it ranks.
_MAX_COSINE_DISTANCE = 0.75
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
    embedder: Embedder | None = None,
) -> uuid.UUID | None:
    """Journal one episode; None when its source event was journaled already.

    With an `embedder` (XENTRI_EMBEDDINGS) its embedding is stored for similarity search.
    """
    if kind not in EPISODE_KINDS:
        raise ValueError(f"episode kind must be one of {', '.join(EPISODE_KINDS)}, not {kind!r}")
    title = " ".join(title.split())[:_TITLE_CHARS]
    if not title:
        raise ValueError("an episode needs a title")
    body = body.strip()[:_BODY_CHARS]
    embedding = {}
    if embedder is not None:
        # The model runs on the CPU for a few milliseconds per entry: off the event loop.
        (vector,) = await asyncio.to_thread(embedder.embed, [embedding_text(title, body)])
        embedding = {"embedding": vector}
    statement = (
        insert(memory_episodes)
        .values(
            id=uuid.uuid4(),
            org_id=org_id,
            kind=kind,
            agent_id=agent_id,
            event_type=event_type,
            title=title,
            body=body,
            source_event_id=source_event_id,
            occurred_at=occurred_at or datetime.now(UTC),
            **embedding,
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
    embedder: Embedder | None = None,
) -> list[Episode]:
    """The org's episodes that match `query` (web-search syntax: words, "phrases", -not, or),
    best match first; the newer of two equal matches first.

    With an `embedder`, episodes close in meaning count too: the full-text and the similarity
    rankings are fused (reciprocal rank fusion), so an episode found both ways comes first.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    by_words = await _full_text(tx, query, limit=limit, kinds=kinds)
    if embedder is None:
        return by_words
    (vector,) = await asyncio.to_thread(embedder.embed, [query])
    by_meaning = await _nearest(tx, vector, limit=limit, kinds=kinds)
    return _fused(by_words, by_meaning, limit=limit)


async def _full_text(
    tx: AsyncSession, query: str, *, limit: int, kinds: Collection[EpisodeKind] | None
) -> list[Episode]:
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


async def _nearest(
    tx: AsyncSession,
    vector: Sequence[float],
    *,
    limit: int,
    kinds: Collection[EpisodeKind] | None,
) -> list[Episode]:
    distance = memory_episodes.c.embedding.op("<=>", return_type=Float)(
        cast(list(vector), Vector(EMBEDDING_DIMENSIONS))
    )
    statement = (
        select(*_EPISODE_COLUMNS, (1 - distance).label("rank"))
        .where(memory_episodes.c.embedding.is_not(None), distance <= _MAX_COSINE_DISTANCE)
        .order_by(distance, memory_episodes.c.occurred_at.desc())
        .limit(limit)
    )
    if kinds is not None:
        statement = statement.where(memory_episodes.c.kind.in_(sorted(kinds)))
    rows = (await tx.execute(statement)).all()
    return [_episode(row, rank=float(row.rank)) for row in rows]


def _fused(*rankings: list[Episode], limit: int) -> list[Episode]:
    scores: dict[uuid.UUID, float] = {}
    found: dict[uuid.UUID, Episode] = {}
    for ranking in rankings:
        for position, episode in enumerate(ranking, start=1):
            scores[episode.id] = scores.get(episode.id, 0.0) + 1 / (_RRF_K + position)
            found.setdefault(episode.id, episode)
    ordered = sorted(scores, key=lambda key: (-scores[key], -found[key].occurred_at.timestamp()))
    return [replace(found[key], rank=scores[key]) for key in ordered[:limit]]


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
