"""Redis down: writes keep working, events wait in PostgreSQL, nothing is lost or doubled."""

from __future__ import annotations

import asyncio
import random
import uuid

import pytest
from redis.asyncio import Redis

from tests.support.events import recording_handler, thing
from tests.support.spine import make_consumer, wait_until
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.embedded.redis import EmbeddedRedis
from xentri.kernel.events.outbox import emit
from xentri.kernel.events.relay import Relay, RelaySettings

pytestmark = pytest.mark.integration
THING = "xentri.test.thing_happened.v1"


async def test_a_thousand_events_written_while_redis_is_down_all_arrive_once(
    app_engine, system_engine, owner_conn, tmp_path
):
    # Given a Redis of our own (persistent, so its consumer group survives the restart)
    redis_server = EmbeddedRedis(tmp_path / "redis")
    redis_url = redis_server.start()
    redis = Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
    stream = f"test:outage:{uuid.uuid4().hex[:8]}"
    name = f"outage-{uuid.uuid4().hex[:8]}"
    consumer = make_consumer(
        name, {THING: recording_handler(name)}, engine=app_engine, redis=redis, stream=stream
    )
    await consumer.ensure_group()
    relay = Relay(
        engine=system_engine,
        redis=redis,
        settings=RelaySettings(
            stream=stream, poll_seconds=0.05, backoff_initial=0.05, backoff_max=0.3
        ),
    )
    stop = asyncio.Event()
    loops = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
    orgs = [uuid.uuid4() for _ in range(10)]

    try:
        # When Redis stops and 20 concurrent writers commit 1,000 events
        redis_server.stop()

        async def writer(n: int) -> int:
            rng = random.Random(n)
            for i in range(50):
                org = rng.choice(orgs)
                async with tenant_transaction(app_engine, org) as tx:
                    await emit(tx, thing(org, f"w{n}-{i}"))
            return 50

        written = await asyncio.gather(*(writer(n) for n in range(20)))
        await asyncio.sleep(0.5)
        nothing_yet = _handled_count(owner_conn, name)

        # And Redis comes back
        redis_server.start()

        async def all_handled() -> bool:
            return _handled_count(owner_conn, name) >= 1000

        await wait_until(all_handled, seconds=60)
        await asyncio.sleep(0.3)
    finally:
        stop.set()
        await asyncio.gather(*loops, return_exceptions=True)
        await redis.aclose()
        redis_server.stop()

    # Then every write succeeded, and every event was handled exactly once
    assert sum(written) == 1000
    assert nothing_yet == 0
    rows = owner_conn.execute(
        "select count(*), count(distinct event_id) from testing.handled where consumer = %s",
        (name,),
    ).fetchone()
    assert rows == (1000, 1000)


def _handled_count(owner_conn, name: str) -> int:
    return owner_conn.execute(
        "select count(*) from testing.handled where consumer = %s", (name,)
    ).fetchone()[0]
