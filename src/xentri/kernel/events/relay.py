"""Move committed events from system_events to the Redis stream, per org in commit order.

Progress is a per-org cursor over the gap-free `org_seq`, so an event of a transaction that is
still open is never skipped: its sequence number is not visible (or not assigned) until it
commits, and nothing after it can be committed for that org before it. Replicas split the work
by org with `FOR UPDATE SKIP LOCKED` on the cursor row; one org is relayed by one replica at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from dataclasses import dataclass

import psycopg
import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.kernel.db.urls import libpq_uri
from xentri.kernel.events.envelope_rows import STREAM, event_from_row, stream_fields
from xentri.kernel.events.outbox import NOTIFY_CHANNEL
from xentri.kernel.stopping import sleep_or_stop

log = structlog.get_logger("xentri.relay")

_PENDING_ORGS = text(
    """
    select s.org_id from org_event_sequences s
    left join relay_cursors c on c.org_id = s.org_id
    where s.last_seq > coalesce(c.published_seq, 0)
    order by s.updated_at
    limit :limit
    """
)
_LOCK_CURSOR = text(
    "select published_seq from relay_cursors where org_id = :org for update skip locked"
)
_NEXT_EVENTS = text(
    """
    select * from system_events
    where org_id = :org and org_seq > :after
    order by org_seq
    limit :limit
    """
)
_CREATE_CURSOR = text(
    "insert into relay_cursors (org_id, published_seq) values (:org, 0) "
    "on conflict (org_id) do nothing returning org_id"
)
_ADVANCE = text(
    "update relay_cursors set published_seq = :seq, updated_at = now() where org_id = :org"
)


@dataclass(frozen=True)
class RelaySettings:
    stream: str = STREAM
    maxlen: int = 100_000
    batch: int = 500
    orgs_per_pass: int = 200
    poll_seconds: float = 1.0
    backoff_initial: float = 0.2
    backoff_max: float = 30.0


class Relay:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        redis: Redis,
        listen_url: str | None = None,
        settings: RelaySettings | None = None,
    ) -> None:
        self.engine = engine
        self.redis = redis
        self.listen_url = listen_url
        self.settings = settings or RelaySettings()
        self._wake = asyncio.Event()

    async def relay_once(self) -> int:
        """Publish what is committed and not yet published; return how many events."""
        async with self.engine.connect() as conn:
            orgs = (
                (await conn.execute(_PENDING_ORGS, {"limit": self.settings.orgs_per_pass}))
                .scalars()
                .all()
            )
        published = 0
        for org_id in orgs:
            published += await self._relay_org(org_id)
        return published

    async def _relay_org(self, org_id: uuid.UUID) -> int:
        published = 0
        while True:
            async with self.engine.begin() as conn:
                after = (await conn.execute(_LOCK_CURSOR, {"org": org_id})).scalar_one_or_none()
                if after is None:
                    created = await conn.execute(_CREATE_CURSOR, {"org": org_id})
                    if created.first() is None:
                        return published  # another replica holds this org right now
                    after = 0  # the org's first pass: the new row is ours, locked by the insert
                rows = (
                    await conn.execute(
                        _NEXT_EVENTS, {"org": org_id, "after": after, "limit": self.settings.batch}
                    )
                ).all()
                if not rows:
                    return published
                # Published before the cursor commits: a crash in between re-publishes
                # (at-least-once); consumers' receipts make the repeat harmless.
                async with self.redis.pipeline(transaction=False) as pipe:
                    for row in rows:
                        pipe.xadd(
                            self.settings.stream,
                            stream_fields(event_from_row(row), org_seq=row.org_seq),  # type: ignore[arg-type]
                            maxlen=self.settings.maxlen,
                            approximate=True,
                        )
                    await pipe.execute()
                await conn.execute(_ADVANCE, {"org": org_id, "seq": rows[-1].org_seq})
                published += len(rows)
                if len(rows) < self.settings.batch:
                    return published

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until `stop` is set: woken by NOTIFY, polling as the fallback."""
        listener = asyncio.create_task(self._listen(stop)) if self.listen_url else None
        delay = self.settings.backoff_initial
        try:
            while not stop.is_set():
                # Cleared before the pass, not after: a NOTIFY arriving during the pass must
                # still wake the next wait.
                self._wake.clear()
                try:
                    published = await self.relay_once()
                    delay = self.settings.backoff_initial
                except (RedisError, OSError) as exc:
                    # Events wait safely in PostgreSQL; back off (with jitter) until Redis returns.
                    log.warning("relay_redis_unavailable", error=str(exc), retry_in=round(delay, 2))
                    await sleep_or_stop(stop, delay * random.uniform(0.5, 1.5))  # noqa: S311
                    delay = min(delay * 2, self.settings.backoff_max)
                    continue
                if published:
                    continue
                await _wait_any(stop, self._wake, seconds=self.settings.poll_seconds)
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener

    async def _listen(self, stop: asyncio.Event) -> None:
        assert self.listen_url is not None
        while not stop.is_set():
            try:
                async with await psycopg.AsyncConnection.connect(
                    libpq_uri(self.listen_url), autocommit=True
                ) as conn:
                    await conn.execute(f"listen {NOTIFY_CHANNEL}")
                    async for _ in conn.notifies():
                        self._wake.set()
            except psycopg.Error as exc:
                log.warning("relay_listen_failed", error=str(exc))
                await sleep_or_stop(stop, 1.0)


async def _wait_any(*events: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
