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
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from sqlalchemy import text
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
        on_committed: Callable[[Sequence[SystemEvent]], None] | None = None,
    ) -> None:
        """`on_committed` is told which events were handled, once their transaction committed."""
        self.subscription = subscription
        self.engine = engine
        self.redis = redis
        self.settings = settings or ConsumerSettings()
        self.events = events
        self.consumer_id = (
            consumer_id or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        )
        self.on_committed = on_committed
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
            await self._deliver_new(entries)
            handled += len(entries)
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

    async def _deliver_new(self, entries: Sequence[tuple[Any, Mapping[Any, Any]]]) -> None:
        """First deliveries: each org's events handled together, in one transaction."""
        done: list[Any] = []
        by_org: dict[uuid.UUID, list[_Delivery]] = {}
        for entry_id, fields in entries:
            decoded = _decoded(fields)
            handler = self._handler_for(decoded)
            if handler is None:
                done.append(entry_id)
                continue
            delivery = self._parsed(entry_id, decoded, handler)
            if isinstance(delivery, str) or decoded.get("rebuild") == "1":
                await self._deliver(entry_id, fields, attempt=1)  # parks or rebuilds it
                continue
            by_org.setdefault(delivery.event.org_id, []).append(delivery)
        for org_id, deliveries in by_org.items():
            done.extend(await self._handle_together(org_id, deliveries))
        if done:
            await self._ack(*done)

    async def _handle_together(self, org_id: uuid.UUID, deliveries: list[_Delivery]) -> list[Any]:
        """Handle in one transaction; return the entries to acknowledge.

        When a handler fails, the transaction is rolled back, the failure is counted for that
        event alone, and the events around it are handled again without it.
        """
        if not deliveries:
            return []
        failed: int | None = None
        ran: list[SystemEvent] = []
        try:
            async with tenant_transaction(self.engine, org_id) as tx:
                ids = [delivery.event.id for delivery in deliveries]
                params = {"consumer": self.group, "org_id": org_id, "ids": ids}
                fresh = set((await tx.execute(_RECEIPTS, params)).scalars())
                for index, delivery in enumerate(deliveries):
                    if delivery.event.id not in fresh:
                        # A redelivery, or the same event twice in this read.
                        log.info("event_already_handled", event_id=str(delivery.event.id))
                        continue
                    fresh.discard(delivery.event.id)
                    failed = index
                    with _event_context(delivery.event, self.group):
                        self._check_schema(delivery.event)
                        await delivery.handler(delivery.event, tx)
                    ran.append(delivery.event)
                failed = None
        except Exception as exc:  # noqa: BLE001 - sorted out below, one event at a time
            if failed is None:  # not a handler's failure (the receipts, the commit)
                for delivery in deliveries:
                    await self._deliver_parsed(delivery, attempt=1)
                return []
            done = await self._handle_together(org_id, deliveries[:failed])
            if await self._failed(deliveries[failed], exc, attempt=1):
                done.append(deliveries[failed].entry_id)
            return done + await self._handle_together(org_id, deliveries[failed + 1 :])
        self._committed(ran)
        return [delivery.entry_id for delivery in deliveries]

    async def _deliver(self, entry_id: Any, fields: Mapping[Any, Any], *, attempt: int) -> None:
        """One entry on its own (a retry, a reclaimed entry, a rebuild), acknowledged when done."""
        decoded = _decoded(fields)
        handler = self._handler_for(decoded)
        if handler is None:
            await self._ack(entry_id)
            return
        delivery = self._parsed(entry_id, decoded, handler)
        if isinstance(delivery, str):
            await self._park_unreadable(entry_id, decoded, delivery)
            await self._ack(entry_id)
            return
        await self._deliver_parsed(delivery, attempt=attempt, rebuild=decoded.get("rebuild") == "1")

    def _handler_for(self, decoded: Mapping[str, str]) -> Handler | None:
        only_for = decoded.get("only_for")
        if only_for is not None and only_for != self.group:
            return None
        return self.subscription.handlers.get(decoded.get("type", ""))

    @staticmethod
    def _parsed(entry_id: Any, decoded: Mapping[str, str], handler: Handler) -> _Delivery | str:
        """The delivery, or why the entry holds no envelope."""
        try:
            event = SystemEvent.model_validate_json(decoded.get("event", ""))
        except ValidationError as exc:
            return f"unreadable entry: {exc.errors()[0]['msg']}"
        return _Delivery(entry_id=entry_id, event=event, handler=handler)

    async def _park_unreadable(
        self, entry_id: Any, decoded: Mapping[str, str], reason: str
    ) -> None:
        # Not an envelope at all: nothing to retry. Park it where an operator sees it.
        log.error("unreadable_entry", consumer=self.group, entry=field_text(entry_id))
        await self.redis.xadd(
            DLQ_STREAM,
            {
                "consumer": self.group,
                "stream_id": field_text(entry_id),
                "error": reason,
                "fields": json.dumps(decoded)[:4000],
            },
        )

    async def _deliver_parsed(
        self, delivery: _Delivery, *, attempt: int, rebuild: bool = False
    ) -> None:
        event = delivery.event
        with _event_context(event, self.group):
            try:
                self._check_schema(event)
                if await self._handle(event, delivery.handler, rebuild=rebuild):
                    self._committed([event])
            except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                if not await self._failed(delivery, exc, attempt=attempt):
                    return
        await self._ack(delivery.entry_id)

    async def _failed(self, delivery: _Delivery, exc: Exception, *, attempt: int) -> bool:
        """Count a failed attempt; True when the entry is dead-lettered (and so done with)."""
        event = delivery.event
        with _event_context(event, self.group):
            log.warning("handler_failed", attempt=attempt, error=f"{type(exc).__name__}: {exc}")
        if attempt < self.settings.max_attempts and not isinstance(exc, InvalidEventError):
            return False  # stays pending; retried after its backoff
        await dead_letter(
            engine=self.engine,
            redis=self.redis,
            consumer=self.group,
            event=event,
            error=f"{type(exc).__name__}: {exc}",
            attempts=attempt,
            stream_id=field_text(delivery.entry_id),
            depth_threshold=self.settings.dlq_alert_threshold,
        )
        return True

    def _check_schema(self, event: SystemEvent) -> None:
        older = self.subscription.accepts.get(event.schema_name, frozenset())
        self.events.validate(event, older_majors=older)

    async def _handle(self, event: SystemEvent, handler: Handler, *, rebuild: bool) -> bool:
        """Run the handler with its receipt; False when the receipt was already there."""
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
                return False
            await handler(event, tx)
            return True

    def _committed(self, events: list[SystemEvent]) -> None:
        if events and self.on_committed is not None:
            self.on_committed(events)

    async def _ack(self, *entry_ids: Any) -> None:
        await self.redis.xack(self.settings.stream, self.group, *entry_ids)


# One statement text whatever the batch size, so it is compiled once (a multi-row VALUES is
# compiled anew for every row count).
_RECEIPTS = text(
    """
    insert into event_receipts (consumer, event_id, org_id)
    select :consumer, unnest(cast(:ids as uuid[])), :org_id
    on conflict do nothing
    returning event_id
    """
)


@dataclass(frozen=True)
class _Delivery:
    entry_id: Any
    event: SystemEvent
    handler: Handler


def _decoded(fields: Mapping[Any, Any]) -> dict[str, str]:
    return {field_text(key): field_text(value) for key, value in fields.items()}


@contextlib.contextmanager
def _event_context(event: SystemEvent, consumer: str) -> Iterator[None]:
    """The event's trace in the handler's log lines and in anything it emits."""
    set_trace_id(event.trace_id)
    structlog.contextvars.bind_contextvars(
        trace_id=event.trace_id,
        correlation_id=event.correlation_id,
        org_id=str(event.org_id),
        event_id=str(event.id),
        consumer=consumer,
    )
    try:
        yield
    finally:
        structlog.contextvars.clear_contextvars()
        set_trace_id(None)
