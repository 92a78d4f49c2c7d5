"""Consumers: one Redis consumer group per subscriber, idempotent handlers, retries, dead letters.

A handler runs inside a tenant transaction for the event's org, and the receipt
`(consumer, event_id)` is written in that same transaction: the effect and the receipt commit
together, so a redelivery (a crash before XACK, a relay re-publish) is acknowledged without
running the handler again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.contracts.events import SystemEvent
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.dlq import dead_letter
from xentri.kernel.events.envelope_rows import DLQ_STREAM, STREAM, field_text
from xentri.kernel.events.registry import EventRegistry, InvalidEventError, registry
from xentri.kernel.events.tables import event_receipts
from xentri.kernel.stopping import sleep_or_stop
from xentri.kernel.trace import set_trace_id

log = structlog.get_logger("xentri.consumer")

Handler = Callable[[SystemEvent, AsyncSession], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """What one subscriber (one consumer group) handles.

    `accepts` lists, per payload schema name, the majors the handlers understand beyond the
    current one (N-1 support during a schema migration window).
    """

    name: str
    handlers: Mapping[str, Handler]
    accepts: Mapping[str, frozenset[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class ConsumerSettings:
    stream: str = STREAM
    batch: int = 100
    block_ms: int = 1000
    max_attempts: int = 3
    retry_base_ms: int = 500
    reclaim_idle_ms: int = 60_000
    dlq_alert_threshold: int = 5


class Consumer:
    def __init__(
        self,
        *,
        subscription: Subscription,
        engine: AsyncEngine,
        redis: Redis,
        settings: ConsumerSettings | None = None,
        events: EventRegistry = registry,
        consumer_id: str | None = None,
    ) -> None:
        self.subscription = subscription
        self.engine = engine
        self.redis = redis
        self.settings = settings or ConsumerSettings()
        self.events = events
        self.consumer_id = (
            consumer_id or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        )
        self._last_maintenance = float("-inf")

    @property
    def group(self) -> str:
        return self.subscription.name

    async def ensure_group(self) -> None:
        # From "0": a new subscriber also sees what the stream still holds; receipts make
        # re-processing safe, and older history is replayed from PostgreSQL, not Redis.
        with contextlib.suppress(ResponseError):
            await self.redis.xgroup_create(self.settings.stream, self.group, id="0", mkstream=True)

    async def run(self, stop: asyncio.Event) -> None:
        await self._until_ready(stop)
        while not stop.is_set():
            try:
                handled = await self.poll_once()
            except (RedisError, OSError) as exc:
                log.warning("consumer_redis_unavailable", consumer=self.group, error=str(exc))
                await sleep_or_stop(stop, 1.0)
                continue
            except SQLAlchemyError:
                # The database is away (restart, failover): the entry stays pending and is
                # retried; the subscriber keeps running rather than dying with it.
                log.exception("consumer_database_unavailable", consumer=self.group)
                await sleep_or_stop(stop, 1.0)
                continue
            if not handled:
                await asyncio.sleep(0)

    async def _until_ready(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.ensure_group()
                return
            except (RedisError, OSError) as exc:
                log.warning("consumer_redis_unavailable", consumer=self.group, error=str(exc))
                await sleep_or_stop(stop, 1.0)

    async def poll_once(self, *, block_ms: int | None = None) -> int:
        """Retry what is due, reclaim what crashed consumers left, read new entries."""
        handled = 0
        now = time.monotonic()
        # Pending-entry scans cost two round trips; nothing in them is due faster than this.
        if now - self._last_maintenance >= self.settings.retry_base_ms / 2000:
            self._last_maintenance = now
            handled += await self._retry_due()
            handled += await self._reclaim_abandoned()
        response: Any = await self.redis.xreadgroup(
            self.group,
            self.consumer_id,
            {self.settings.stream: ">"},
            count=self.settings.batch,
            block=self.settings.block_ms if block_ms is None else block_ms,
        )
        for _stream, entries in response or []:
            for entry_id, fields in entries:
                await self._deliver(entry_id, fields, attempt=1)
                handled += 1
        return handled

    async def _retry_due(self) -> int:
        """Entries this consumer failed: retried once their backoff has passed."""
        pending: Any = await self.redis.xpending_range(
            self.settings.stream,
            self.group,
            min="-",
            max="+",
            count=self.settings.batch,
            consumername=self.consumer_id,
            idle=self.settings.retry_base_ms,
        )
        handled = 0
        for item in pending:
            delivered = int(item["times_delivered"])
            backoff = self.settings.retry_base_ms * 2 ** (delivered - 1)
            if int(item["time_since_delivered"]) < backoff:
                continue
            claimed: Any = await self.redis.xclaim(
                self.settings.stream, self.group, self.consumer_id, backoff, [item["message_id"]]
            )
            for entry_id, fields in claimed:
                if fields:
                    await self._deliver(entry_id, fields, attempt=delivered + 1)
                    handled += 1
        return handled

    async def _reclaim_abandoned(self) -> int:
        """Entries of consumers that died mid-delivery (XAUTOCLAIM after the idle limit)."""
        result: Any = await self.redis.xautoclaim(
            self.settings.stream,
            self.group,
            self.consumer_id,
            min_idle_time=self.settings.reclaim_idle_ms,
            start_id="0-0",
            count=self.settings.batch,
        )
        entries = result[1] if result else []
        handled = 0
        for entry_id, fields in entries:
            if not fields:
                continue
            attempts = await self._times_delivered(entry_id)
            await self._deliver(entry_id, fields, attempt=attempts)
            handled += 1
        return handled

    async def _times_delivered(self, entry_id: Any) -> int:
        info: Any = await self.redis.xpending_range(
            self.settings.stream, self.group, min=entry_id, max=entry_id, count=1
        )
        return int(info[0]["times_delivered"]) if info else 1

    async def _deliver(self, entry_id: Any, fields: Mapping[Any, Any], *, attempt: int) -> None:
        decoded = {field_text(key): field_text(value) for key, value in fields.items()}
        only_for = decoded.get("only_for")
        handler = self.subscription.handlers.get(decoded.get("type", ""))
        if handler is None or (only_for is not None and only_for != self.group):
            await self._ack(entry_id)
            return
        try:
            event = SystemEvent.model_validate_json(decoded.get("event", ""))
        except ValidationError as exc:
            # Not an envelope at all: nothing to retry. Park it where an operator sees it.
            log.error("unreadable_entry", consumer=self.group, entry=field_text(entry_id))
            await self.redis.xadd(
                DLQ_STREAM,
                {
                    "consumer": self.group,
                    "stream_id": field_text(entry_id),
                    "error": f"unreadable entry: {exc.errors()[0]['msg']}",
                    "fields": json.dumps(decoded)[:4000],
                },
            )
            await self._ack(entry_id)
            return
        set_trace_id(event.trace_id)
        structlog.contextvars.bind_contextvars(
            trace_id=event.trace_id,
            correlation_id=event.correlation_id,
            org_id=str(event.org_id),
            event_id=str(event.id),
            consumer=self.group,
        )
        try:
            self._check_schema(event)
            await self._handle(event, handler, rebuild=decoded.get("rebuild") == "1")
        except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
            log.warning("handler_failed", attempt=attempt, error=f"{type(exc).__name__}: {exc}")
            if attempt >= self.settings.max_attempts or isinstance(exc, InvalidEventError):
                await dead_letter(
                    engine=self.engine,
                    redis=self.redis,
                    consumer=self.group,
                    event=event,
                    error=f"{type(exc).__name__}: {exc}",
                    attempts=attempt,
                    stream_id=field_text(entry_id),
                    depth_threshold=self.settings.dlq_alert_threshold,
                )
                await self._ack(entry_id)
            return
        finally:
            structlog.contextvars.clear_contextvars()
            set_trace_id(None)
        await self._ack(entry_id)

    def _check_schema(self, event: SystemEvent) -> None:
        older = self.subscription.accepts.get(event.schema_name, frozenset())
        self.events.validate(event, older_majors=older)

    async def _handle(self, event: SystemEvent, handler: Handler, *, rebuild: bool) -> None:
        async with tenant_transaction(self.engine, event.org_id) as tx:
            receipt = insert(event_receipts).values(
                consumer=self.group, event_id=event.id, org_id=event.org_id
            )
            if rebuild:
                receipt = receipt.on_conflict_do_update(
                    index_elements=["consumer", "event_id"],
                    set_={"created_at": receipt.excluded.created_at},
                )
            else:
                receipt = receipt.on_conflict_do_nothing()
            first = (await tx.execute(receipt.returning(event_receipts.c.event_id))).first()
            if first is None:
                log.info("event_already_handled")
                return
            await handler(event, tx)

    async def _ack(self, entry_id: Any) -> None:
        await self.redis.xack(self.settings.stream, self.group, entry_id)
