"""The relay: committed events reach the stream once, per org in commit order, none skipped."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.support.events import thing
from tests.support.spine import emit_committed
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.outbox import emit
from xentri.kernel.events.relay import Relay, RelaySettings

pytestmark = pytest.mark.integration


async def stream_entries(redis_client, stream: str) -> list[dict[str, str]]:
    entries = await redis_client.xrange(stream)
    return [{k.decode(): v.decode() for k, v in fields.items()} for _, fields in entries]


async def test_committed_events_reach_the_stream(app_engine, relay, redis_client, stream):
    org = uuid.uuid4()
    await emit_committed(app_engine, [thing(org, f"n{i}") for i in range(3)])

    published = await relay.relay_once()

    entries = await stream_entries(redis_client, stream)
    assert published == 3
    assert [(e["org_id"], e["org_seq"]) for e in entries] == [(str(org), str(i)) for i in (1, 2, 3)]
    assert await relay.relay_once() == 0


async def test_two_relays_publish_each_event_once_in_org_order(
    app_engine, system_engine, redis_client, stream, relay
):
    orgs = [uuid.uuid4() for _ in range(5)]
    await emit_committed(app_engine, [thing(org, f"{i}") for i in range(40) for org in orgs])
    small_batches = RelaySettings(stream=stream, batch=7)
    one = Relay(engine=system_engine, redis=redis_client, settings=small_batches)
    two = Relay(engine=system_engine, redis=redis_client, settings=small_batches)

    counts = await asyncio.gather(one.relay_once(), two.relay_once())
    while sum(await asyncio.gather(one.relay_once(), two.relay_once())):
        pass

    entries = await stream_entries(redis_client, stream)
    assert sum(counts) <= 200
    assert len(entries) == 200
    assert len({e["id"] for e in entries}) == 200
    for org in orgs:
        seqs = [int(e["org_seq"]) for e in entries if e["org_id"] == str(org)]
        assert seqs == list(range(1, 41))


async def test_a_long_transaction_that_commits_last_is_not_skipped(
    app_engine, relay, redis_client, stream
):
    slow_org, busy_org = uuid.uuid4(), uuid.uuid4()
    release = asyncio.Event()
    emitted = asyncio.Event()

    async def long_transaction() -> None:
        async with tenant_transaction(app_engine, slow_org) as tx:
            await emit(tx, thing(slow_org, "emitted first, committed last"))
            emitted.set()
            await release.wait()

    slow = asyncio.create_task(long_transaction())
    await emitted.wait()
    await emit_committed(app_engine, [thing(busy_org, f"later {i}") for i in range(5)])
    await relay.relay_once()
    before_commit = await stream_entries(redis_client, stream)

    release.set()
    await slow
    await relay.relay_once()
    after_commit = await stream_entries(redis_client, stream)

    assert [e["org_id"] for e in before_commit] == [str(busy_org)] * 5
    assert [e["org_id"] for e in after_commit[5:]] == [str(slow_org)]


async def test_a_writer_of_the_same_org_waits_so_order_is_commit_order(
    app_engine, relay, redis_client, stream
):
    org = uuid.uuid4()
    release = asyncio.Event()
    first_emitted = asyncio.Event()

    async def first() -> None:
        async with tenant_transaction(app_engine, org) as tx:
            await emit(tx, thing(org, "first"))
            first_emitted.set()
            await release.wait()

    async def second() -> None:
        async with tenant_transaction(app_engine, org) as tx:
            await emit(tx, thing(org, "second"))

    first_task = asyncio.create_task(first())
    await first_emitted.wait()
    second_task = asyncio.create_task(second())
    await asyncio.sleep(0.2)
    assert not second_task.done(), "the second writer must wait for the first to commit"
    release.set()
    await asyncio.gather(first_task, second_task)
    await relay.relay_once()

    entries = await stream_entries(redis_client, stream)
    notes = [e["event"] for e in entries if e["org_id"] == str(org)]
    assert ['"first"' in notes[0], '"second"' in notes[1]] == [True, True]


async def test_notify_wakes_the_running_relay(app_engine, relay, redis_client, stream):
    relay.settings = RelaySettings(stream=stream, poll_seconds=30)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    await asyncio.sleep(0.3)
    org = uuid.uuid4()
    await emit_committed(app_engine, [thing(org, "wake up")])

    try:
        for _ in range(100):
            if await redis_client.xlen(stream):
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task

    assert await redis_client.xlen(stream) == 1


async def test_a_notify_during_an_empty_pass_is_not_lost(app_engine, relay, redis_client, stream):
    org = uuid.uuid4()
    emitted_during_pass = asyncio.Event()

    class SlowFirstPass(Relay):
        async def relay_once(self) -> int:
            published = await super().relay_once()
            if not emitted_during_pass.is_set():
                # The pass found nothing; an event commits (and NOTIFYs) before it returns.
                await emit_committed(app_engine, [thing(org, "arrived mid-pass")])
                for _ in range(200):
                    if self._wake.is_set():
                        break
                    await asyncio.sleep(0.01)
                emitted_during_pass.set()
            return published

    slow = SlowFirstPass(
        engine=relay.engine,
        redis=redis_client,
        listen_url=relay.listen_url,
        settings=RelaySettings(stream=stream, poll_seconds=30),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(slow.run(stop))
    try:
        for _ in range(100):  # 5 s, far below the 30 s poll: only the wake-up can deliver it
            if await redis_client.xlen(stream):
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task

    assert emitted_during_pass.is_set()
    assert await redis_client.xlen(stream) == 1
