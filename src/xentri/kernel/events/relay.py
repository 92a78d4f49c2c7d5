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
    select s.org_id, c.org_id is null as new from org_event_sequences s
    left join relay_cursors c on c.org_id = s.org_id
    where s.last_seq > coalesce(c.published_seq, 0)
    order by s.updated_at
    limit :limit
    """
)
_CREATE_CURSORS = text(
    "insert into relay_cursors (org_id, published_seq) "
    "select unnest(cast(:orgs as uuid[])), 0 on conflict (org_id) do nothing"
)
# One statement locks the cursors no other replica holds and reads what follows each of them:
# an org locked elsewhere is skipped, not waited for. The outer limit may cut an org short;
# its cursor then advances to the last event read, and the next pass goes on from there.
_LOCK_AND_READ = text(
    """
    with mine as (
      select org_id, published_seq from relay_cursors
      where org_id = any(cast(:orgs as uuid[]))
      for update skip locked
    )
    select e.* from mine cross join lateral (
      select * from system_events
      where org_id = mine.org_id and org_seq > mine.published_seq
      order by org_seq
      limit :limit
    ) e
    order by e.org_id, e.org_seq
    limit :limit
    """
)
_ADVANCE = text(
    """
    update relay_cursors c set published_seq = v.seq, updated_at = now()
    from unnest(cast(:orgs as uuid[]), cast(:seqs as bigint[])) as v(org_id, seq)
    where c.org_id = v.org_id
    """
)


@dataclass(frozen=True)
class RelaySettings:
    stream: str = STREAM
    maxlen: int = 100_000
    batch: int = 1000  # events per pass (one transaction, one XADD pipeline)
    orgs_per_pass: int = 100
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
        published = 0
        while True:
            moved, full = await self._relay_pass()
            published += moved
            if not full:
                return published

    async def _relay_pass(self) -> tuple[int, bool]:
        """One transaction over several orgs; True when it stopped at its batch size."""
        async with self.engine.begin() as conn:
            pending = (
                await conn.execute(_PENDING_ORGS, {"limit": self.settings.orgs_per_pass})
            ).all()
            if not pending:
                return 0, False
            orgs = [row.org_id for row in pending]
            if any(row.new for row in pending):
                # The org's first pass. A cursor inserted here is locked by this transaction
                # until it commits; a replica inserting the same one waits, then does nothing.
                await conn.execute(_CREATE_CURSORS, {"orgs": [o for o, new in pending if new]})
            rows = (
                await conn.execute(_LOCK_AND_READ, {"orgs": orgs, "limit": self.settings.batch})
            ).all()
            if not rows:
                return 0, False
            # Published before the cursors commit: a crash in between re-publishes
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
            last_seq = {row.org_id: row.org_seq for row in rows}  # rows are in org_seq order
            await conn.execute(_ADVANCE, {"orgs": list(last_seq), "seqs": list(last_seq.values())})
        more_orgs = len(pending) >= self.settings.orgs_per_pass
        return len(rows), more_orgs or len(rows) >= self.settings.batch

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
