"""Helpers for the event-spine tests: build consumers, emit, drain, read effects."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from typing import Any

from redis.asyncio import Redis

from xentri.contracts.events import SystemEvent
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.consumer import Consumer, ConsumerSettings, Subscription
from xentri.kernel.events.outbox import emit
from xentri.kernel.events.relay import Relay


def make_consumer(
    name: str,
    handlers: dict[str, Any],
    *,
    engine,
    redis: Redis,
    stream: str,
    accepts: dict[str, frozenset[int]] | None = None,
    **settings: Any,
) -> Consumer:
    defaults: dict[str, Any] = {"stream": stream, "block_ms": 10, "retry_base_ms": 10}
    defaults.update(settings)
    return Consumer(
        subscription=Subscription(name=name, handlers=handlers, accepts=accepts or {}),
        engine=engine,
        redis=redis,
        settings=ConsumerSettings(**defaults),
    )


async def emit_committed(engine, events: Iterable[SystemEvent]) -> None:
    for event in events:
        async with tenant_transaction(engine, event.org_id) as tx:
            await emit(tx, event)


async def drain(relay: Relay, consumers: Iterable[Consumer], *, rounds: int = 50) -> None:
    """Relay and consume until a full round moves nothing (bounded)."""
    consumers = list(consumers)
    for consumer in consumers:
        await consumer.ensure_group()
    for _ in range(rounds):
        moved = await relay.relay_once()
        for consumer in consumers:
            moved += await consumer.poll_once(block_ms=1)
        if moved == 0:
            return
    raise AssertionError("events were still moving after the bounded number of rounds")


def handled(owner_conn, consumer: str, org_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    return owner_conn.execute(
        "select event_id, note from testing.handled "
        "where consumer = %s and org_id = %s order by id",
        (consumer, org_id),
    ).fetchall()


async def wait_until(condition, *, seconds: float = 20.0, every: float = 0.05) -> None:
    """Poll `condition` (bounded); for tests that run loops in the background."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if await condition():
            return
        await asyncio.sleep(every)
    raise AssertionError("condition not met in time")
