"""Operations on the spine: stream statistics, dead-letter listing, replay and archiving."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy import and_, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.contracts.events import SystemEvent
from xentri.kernel.events.envelope_rows import (
    DLQ_STREAM,
    STREAM,
    event_from_row,
    field_text,
    stream_fields,
)
from xentri.kernel.events.tables import dead_letters, system_events

ARCHIVE_AFTER = timedelta(hours=24)
KEEP_ARCHIVED = timedelta(days=30)


@dataclass(frozen=True)
class GroupStats:
    stream: str
    group: str
    length: int
    pending: int
    lag: int | None


async def stream_stats(redis: Redis, *, stream: str = STREAM) -> list[GroupStats]:
    """Length, pending and lag for every consumer group of the stream, plus the DLQ depth."""
    stats: list[GroupStats] = []
    try:
        length = int(await redis.xlen(stream))
        groups: Any = await redis.xinfo_groups(stream)
    except ResponseError:
        length, groups = 0, []
    for group in groups:
        lag = group.get("lag")
        stats.append(
            GroupStats(
                stream=stream,
                group=field_text(group["name"]),
                length=length,
                pending=int(group["pending"]),
                lag=int(lag) if lag is not None else None,
            )
        )
    if not groups:
        # No subscriber yet: still show how much the stream holds.
        stats.append(GroupStats(stream=stream, group="-", length=length, pending=0, lag=None))
    stats.append(
        GroupStats(
            stream=DLQ_STREAM,
            group="-",
            length=int(await redis.xlen(DLQ_STREAM)),
            pending=0,
            lag=None,
        )
    )
    return stats


async def list_dead_letters(
    *, system_engine: AsyncEngine, include_archived: bool = False, limit: int = 100
) -> Sequence[Any]:
    query = select(dead_letters).order_by(dead_letters.c.created_at.desc()).limit(limit)
    if not include_archived:
        query = query.where(dead_letters.c.archived_at.is_(None))
    async with system_engine.connect() as conn:
        return (await conn.execute(query)).all()


async def replay_dead_letters(
    *,
    system_engine: AsyncEngine,
    redis: Redis,
    ids: Sequence[uuid.UUID] | None,
    batch: int = 100,
    stream: str = STREAM,
) -> int:
    """Re-deliver dead letters to the subscriber that failed them (all pending when ids=None)."""
    replayed = 0
    while True:
        query = (
            select(dead_letters)
            .where(dead_letters.c.replayed_at.is_(None))
            .order_by(dead_letters.c.created_at)
            .limit(batch)
        )
        if ids is not None:
            query = query.where(dead_letters.c.id.in_(list(ids)))
        async with system_engine.begin() as conn:
            letters = (await conn.execute(query.with_for_update(skip_locked=True))).all()
            if not letters:
                return replayed
            for letter in letters:
                event = SystemEvent.model_validate(letter.envelope)
                # No rebuild flag: if the subscriber handled it meanwhile, its receipt wins.
                await redis.xadd(stream, stream_fields(event, org_seq=0, only_for=letter.consumer))  # type: ignore[arg-type]
            await conn.execute(
                update(dead_letters)
                .where(dead_letters.c.id.in_([letter.id for letter in letters]))
                .values(replayed_at=text("now()"))
            )
            replayed += len(letters)
        if ids is not None:
            return replayed


async def replay_from(
    *,
    system_engine: AsyncEngine,
    redis: Redis,
    consumer: str,
    since: datetime | None,
    org_id: uuid.UUID | None = None,
    stream: str = STREAM,
    batch: int = 1000,
) -> int:
    """Re-deliver the log from `since` to one subscriber, which handles it again (a rebuild)."""
    conditions: list[Any] = []
    if since is not None:
        conditions.append(system_events.c.created_at >= since)
    if org_id is not None:
        conditions.append(system_events.c.org_id == org_id)
    sent = 0
    last: tuple[datetime, uuid.UUID] | None = None
    while True:
        query = select(system_events).order_by(system_events.c.created_at, system_events.c.id)
        page_conditions = list(conditions)
        if last is not None:
            page_conditions.append(
                text("(created_at, id) > (:after_at, :after_id)").bindparams(
                    after_at=last[0], after_id=last[1]
                )
            )
        if page_conditions:
            query = query.where(and_(*page_conditions))
        async with system_engine.connect() as conn:
            rows = (await conn.execute(query.limit(batch))).all()
        if not rows:
            return sent
        # Per org, created_at and org_seq agree except within one instant; sort by org_seq there.
        rows = sorted(rows, key=lambda row: (row.created_at, row.org_id, row.org_seq))
        async with redis.pipeline(transaction=False) as pipe:
            for row in rows:
                pipe.xadd(
                    stream,
                    stream_fields(
                        event_from_row(row), org_seq=row.org_seq, only_for=consumer, rebuild=True
                    ),  # type: ignore[arg-type]
                )
            await pipe.execute()
        sent += len(rows)
        last = (rows[-1].created_at, rows[-1].id)


async def archive_dead_letters(*, system_engine: AsyncEngine, redis: Redis) -> tuple[int, int]:
    """Archive letters older than 24 h (off the DLQ stream); forget archived ones after 30 days."""
    async with system_engine.begin() as conn:
        archived = (
            await conn.execute(
                update(dead_letters)
                .where(
                    dead_letters.c.archived_at.is_(None),
                    dead_letters.c.created_at < text("now() - interval '24 hours'"),
                )
                .values(archived_at=text("now()"))
                .returning(dead_letters.c.stream_id, dead_letters.c.id)
            )
        ).all()
        purged = (
            await conn.execute(
                delete(dead_letters).where(
                    dead_letters.c.archived_at < text("now() - interval '30 days'")
                )
            )
        ).rowcount
    if archived:
        old_entries: Any = await redis.xrange(DLQ_STREAM, count=10_000)
        archived_ids = {str(row.id) for row in archived}
        stale = [
            entry_id
            for entry_id, fields in old_entries
            if field_text(fields.get(b"dead_letter_id", b"")) in archived_ids
        ]
        if stale:
            await redis.xdel(DLQ_STREAM, *stale)
    await archive_old_stream_entries(redis)
    return len(archived), int(purged or 0)


async def archive_old_stream_entries(
    redis: Redis, *, stream: str = DLQ_STREAM, archive_prefix: str = "dlq:archive:events"
) -> None:
    """Entries without a table row (unreadable ones) move to `{archive_prefix}:{date}` too."""
    cutoff_ms = int((datetime.now(UTC) - ARCHIVE_AFTER).timestamp() * 1000)
    old: Any = await redis.xrange(stream, min="-", max=f"{cutoff_ms}", count=10_000)
    for entry_id, fields in old:
        day = datetime.fromtimestamp(int(field_text(entry_id).split("-")[0]) / 1000, UTC)
        archive = f"{archive_prefix}:{day:%Y-%m-%d}"
        await redis.xadd(archive, fields)
        await redis.expire(archive, int(KEEP_ARCHIVED.total_seconds()))
    if old:
        await redis.xdel(stream, *[entry_id for entry_id, _ in old])
