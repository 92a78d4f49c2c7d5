"""Consumers: at-least-once delivery, effects exactly once, retries, dead letters, replay."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.db import as_org
from tests.support.events import ACTOR, RenamedOld, recording_handler, thing
from tests.support.spine import drain, emit_committed, handled, make_consumer
from xentri.contracts.events import EventMeta, SystemEvent
from xentri.kernel.events.consumer import Consumer
from xentri.kernel.events.envelope_rows import DLQ_STREAM
from xentri.kernel.events.ops import replay_dead_letters, replay_from
from xentri.kernel.trace import current_trace_id, set_trace_id

pytestmark = pytest.mark.integration
THING = "xentri.test.thing_happened.v1"


def consumer_name(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:8]}"


async def test_every_group_handles_each_event_once_even_when_published_twice(
    app_engine, system_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    names = [consumer_name("pulse"), consumer_name("finance")]
    consumers = [
        make_consumer(
            name,
            {THING: recording_handler(name)},
            engine=app_engine,
            redis=redis_client,
            stream=stream,
        )
        for name in names
    ]
    await emit_committed(app_engine, [thing(org, f"e{i}") for i in range(5)])
    await drain(relay, consumers)

    # What a relay that crashed before committing its cursor does: publish the same again.
    await republish_log(system_engine, redis_client, stream, org)
    await drain(relay, consumers)

    for name in names:
        assert [note for _, note in handled(owner_conn, name, org)] == [f"e{i}" for i in range(5)]


async def test_the_same_event_twice_in_one_read_is_handled_once(
    app_engine, system_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    name = consumer_name("twice")
    consumer = make_consumer(
        name, {THING: recording_handler(name)}, engine=app_engine, redis=redis_client, stream=stream
    )
    await consumer.ensure_group()
    await emit_committed(app_engine, [thing(org, f"e{i}") for i in range(3)])
    await relay.relay_once()
    await republish_log(system_engine, redis_client, stream, org)

    read = await consumer.poll_once(block_ms=1)

    assert read == 6
    assert [note for _, note in handled(owner_conn, name, org)] == ["e0", "e1", "e2"]
    assert (await redis_client.xpending(stream, name))["pending"] == 0


async def test_one_failing_event_in_a_read_is_retried_alone(
    app_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    name = consumer_name("flaky")
    calls: list[str] = []
    record = recording_handler(name)

    async def fails_once_on_e2(event: SystemEvent, tx: AsyncSession) -> None:
        calls.append(event.payload["note"])
        if event.payload["note"] == "e2" and calls.count("e2") == 1:
            raise ValueError("flaky")
        await record(event, tx)

    consumer = make_consumer(
        name,
        {THING: fails_once_on_e2},
        engine=app_engine,
        redis=redis_client,
        stream=stream,
        retry_base_ms=50,
    )
    await consumer.ensure_group()
    await emit_committed(app_engine, [thing(org, f"e{i}") for i in range(5)])
    await relay.relay_once()

    await consumer.poll_once(block_ms=1)
    first_read = [note for _, note in handled(owner_conn, name, org)]
    pending_after_first = (await redis_client.xpending(stream, name))["pending"]
    for _ in range(100):
        await asyncio.sleep(0.02)
        await consumer.poll_once(block_ms=1)
        if (await redis_client.xpending(stream, name))["pending"] == 0:
            break

    assert first_read == ["e0", "e1", "e3", "e4"]
    assert pending_after_first == 1
    assert [note for _, note in handled(owner_conn, name, org)] == ["e0", "e1", "e3", "e4", "e2"]
    assert calls.count("e2") == 2
    assert _dead_letters(owner_conn, org) == []


async def republish_log(system_engine, redis_client, stream, org):
    from xentri.kernel.events.envelope_rows import event_from_row, stream_fields
    from xentri.kernel.events.tables import system_events

    async with system_engine.connect() as conn:
        rows = (
            await conn.execute(
                system_events.select()
                .where(system_events.c.org_id == org)
                .order_by(system_events.c.org_seq)
            )
        ).all()
    for row in rows:
        await redis_client.xadd(stream, stream_fields(event_from_row(row), org_seq=row.org_seq))


async def test_killed_after_effect_before_ack_is_not_handled_twice(
    app_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    name = consumer_name("crashy")

    class KilledBeforeAck(Consumer):
        async def _ack(self, *entry_ids):  # the process dies right after the commit
            raise asyncio.CancelledError

    doomed = KilledBeforeAck(
        subscription=make_consumer(
            name,
            {THING: recording_handler(name)},
            engine=app_engine,
            redis=redis_client,
            stream=stream,
        ).subscription,
        engine=app_engine,
        redis=redis_client,
        settings=make_consumer(
            name, {}, engine=app_engine, redis=redis_client, stream=stream
        ).settings,
    )
    await emit_committed(app_engine, [thing(org, "paid")])
    await doomed.ensure_group()
    await relay.relay_once()
    with pytest.raises(asyncio.CancelledError):
        await doomed.poll_once(block_ms=1)

    survivor = make_consumer(
        name,
        {THING: recording_handler(name)},
        engine=app_engine,
        redis=redis_client,
        stream=stream,
        reclaim_idle_ms=0,
    )
    reclaimed = await survivor.poll_once(block_ms=1)
    pending = await redis_client.xpending(stream, name)

    assert reclaimed == 1
    assert pending["pending"] == 0
    assert [note for _, note in handled(owner_conn, name, org)] == ["paid"]


async def test_always_failing_handler_is_dead_lettered_after_three_attempts_then_replayed(
    app_engine, system_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    name = consumer_name("broken")
    attempts: list[int] = []
    fixed = recording_handler(name)

    async def broken(event: SystemEvent, tx: AsyncSession) -> None:
        attempts.append(1)
        raise ValueError("cannot handle this")

    consumer = make_consumer(
        name, {THING: broken}, engine=app_engine, redis=redis_client, stream=stream
    )
    event = thing(org, "poison", correlation_id=f"corr-{uuid.uuid4().hex[:6]}")
    await emit_committed(app_engine, [event])
    await consumer.ensure_group()
    await relay.relay_once()
    for _ in range(200):
        await consumer.poll_once(block_ms=1)
        if len(attempts) >= 3 and (await redis_client.xpending(stream, name))["pending"] == 0:
            break
        await asyncio.sleep(0.01)

    letter = _dead_letters(owner_conn, org)
    assert len(attempts) == 3
    assert [row[:3] for row in letter] == [(name, event.id, 3)]
    assert "ValueError: cannot handle this" in letter[0][3]
    dlq = await redis_client.xrange(DLQ_STREAM)
    assert any(fields[b"event_id"] == str(event.id).encode() for _, fields in dlq)

    # When the handler is fixed and the dead letter replayed
    consumer.subscription.handlers[THING] = fixed  # type: ignore[index]
    replayed = await replay_dead_letters(
        system_engine=system_engine, redis=redis_client, ids=[letter[0][4]], stream=stream
    )
    for _ in range(5):
        await consumer.poll_once(block_ms=1)

    assert replayed == 1
    assert [note for _, note in handled(owner_conn, name, org)] == ["poison"]
    assert _dead_letters(owner_conn, org)[0][5] is not None


def _dead_letters(owner_conn, org):
    with as_org(owner_conn, org):
        return owner_conn.execute(
            "select consumer, event_id, attempts, error, id, replayed_at from dead_letters"
        ).fetchall()


async def test_handlers_see_one_orgs_events_in_commit_order(
    app_engine, redis_client, relay, stream, owner_conn
):
    org_a, org_b = uuid.uuid4(), uuid.uuid4()
    name = consumer_name("ordered")
    consumer = make_consumer(
        name, {THING: recording_handler(name)}, engine=app_engine, redis=redis_client, stream=stream
    )
    for i in range(20):
        await emit_committed(app_engine, [thing(org_a, f"a{i}"), thing(org_b, f"b{i}")])
        if i % 6 == 0:
            await drain(relay, [consumer])
    await drain(relay, [consumer])

    assert [n for _, n in handled(owner_conn, name, org_a)] == [f"a{i}" for i in range(20)]
    assert [n for _, n in handled(owner_conn, name, org_b)] == [f"b{i}" for i in range(20)]


async def test_a_consumer_can_accept_the_previous_major(
    app_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    seen: list[dict] = []

    async def on_renamed(event: SystemEvent, tx: AsyncSession) -> None:
        seen.append(event.payload)

    old_event = SystemEvent(
        type=RenamedOld.event_type,
        org_id=org,
        actor=ACTOR,
        payload_schema="test.renamed@1.0",
        payload={"name": "Ana López"},
        meta=EventMeta(source="tests"),
    )
    tolerant = make_consumer(
        consumer_name("tolerant"),
        {RenamedOld.event_type: on_renamed},
        engine=app_engine,
        redis=redis_client,
        stream=stream,
        accepts={"test.renamed": frozenset({1})},
    )
    strict = make_consumer(
        consumer_name("strict"),
        {RenamedOld.event_type: on_renamed},
        engine=app_engine,
        redis=redis_client,
        stream=stream,
    )
    for consumer in (tolerant, strict):
        await consumer.ensure_group()
    await redis_client.xadd(
        stream,
        {
            "id": str(old_event.id),
            "type": old_event.type,
            "org_id": str(org),
            "org_seq": "1",
            "event": old_event.model_dump_json(),
        },
    )
    await tolerant.poll_once(block_ms=1)
    await strict.poll_once(block_ms=1)

    assert seen == [{"name": "Ana López"}]
    assert [row[0] for row in _dead_letters(owner_conn, org)] == [strict.group]


async def test_trace_id_flows_from_the_emitter_to_the_handler(
    app_engine, redis_client, relay, stream
):
    org = uuid.uuid4()
    seen: list[str | None] = []

    async def remember(event: SystemEvent, tx: AsyncSession) -> None:
        seen.append(current_trace_id())

    set_trace_id("4bf92f3577b34da6a3ce929d0e0e4736")
    try:
        event = thing(org, "traced")
    finally:
        set_trace_id(None)
    consumer = make_consumer(
        consumer_name("traced"),
        {THING: remember},
        engine=app_engine,
        redis=redis_client,
        stream=stream,
    )
    await emit_committed(app_engine, [event])
    await drain(relay, [consumer])

    assert event.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert seen == ["4bf92f3577b34da6a3ce929d0e0e4736"]


async def test_replay_from_the_log_rebuilds_a_projection(
    app_engine, system_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    name = consumer_name("projection")
    consumer = make_consumer(
        name, {THING: recording_handler(name)}, engine=app_engine, redis=redis_client, stream=stream
    )
    await emit_committed(app_engine, [thing(org, f"p{i}") for i in range(3)])
    await drain(relay, [consumer])
    owner_conn.execute("delete from testing.handled where consumer = %s", (name,))

    count = await replay_from(
        system_engine=system_engine,
        redis=redis_client,
        consumer=name,
        since=None,
        org_id=org,
        stream=stream,
    )
    await drain(relay, [consumer])

    assert count == 3
    assert [n for _, n in handled(owner_conn, name, org)] == ["p0", "p1", "p2"]


async def test_an_unreadable_entry_is_parked_and_does_not_stop_the_subscriber(
    app_engine, redis_client, relay, stream, owner_conn
):
    org = uuid.uuid4()
    name = consumer_name("robust")
    consumer = make_consumer(
        name, {THING: recording_handler(name)}, engine=app_engine, redis=redis_client, stream=stream
    )
    await consumer.ensure_group()
    await redis_client.xadd(stream, {"type": THING, "event": "{not json"})
    await emit_committed(app_engine, [thing(org, "after the junk")])

    await drain(relay, [consumer])

    parked = await redis_client.xrange(DLQ_STREAM)
    assert any(fields.get(b"consumer") == name.encode() for _, fields in parked)
    assert [n for _, n in handled(owner_conn, name, org)] == ["after the junk"]
    assert (await redis_client.xpending(stream, name))["pending"] == 0
