"""Dead-letter patterns raise incidents; old letters are archived; stats report the streams."""

from __future__ import annotations

import uuid

import pytest

from tests.support.db import as_org
from tests.support.events import thing
from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.kernel.events.dlq import dead_letter
from xentri.kernel.events.envelope_rows import DLQ_STREAM
from xentri.kernel.events.ops import (
    archive_dead_letters,
    archive_old_stream_entries,
    list_dead_letters,
    stream_stats,
)

pytestmark = pytest.mark.integration


def incidents(owner_conn, org) -> list[tuple[str, str]]:
    with as_org(owner_conn, org):
        return owner_conn.execute(
            "select payload->>'kind', payload->>'severity' from system_events "
            "where type = 'xentri.ops.incident.v1' order by org_seq"
        ).fetchall()


async def test_same_correlation_dead_lettered_three_times_raises_one_incident(
    app_engine, redis_client, owner_conn
):
    org = uuid.uuid4()
    correlation = f"checkout-{uuid.uuid4().hex[:6]}"
    for n in range(4):
        await dead_letter(
            engine=app_engine,
            redis=redis_client,
            consumer="finance",
            event=thing(org, f"try {n}", correlation_id=correlation),
            error="boom",
            attempts=3,
            stream_id=None,
            depth_threshold=10_000,
        )

    assert incidents(owner_conn, org) == [("dlq_correlation_repeated", "P2")]


async def test_dlq_depth_over_threshold_raises_a_platform_incident(
    app_engine, redis_client, owner_conn
):
    await redis_client.delete("dlq:depth-alerted")
    before = len(incidents(owner_conn, SYSTEM_ORG_ID))
    org = uuid.uuid4()
    depth = int(await redis_client.xlen(DLQ_STREAM))
    for n in range(2):
        await dead_letter(
            engine=app_engine,
            redis=redis_client,
            consumer="pulse",
            event=thing(org, f"deep {n}"),
            error="boom",
            attempts=3,
            stream_id=None,
            depth_threshold=depth,
        )

    after = incidents(owner_conn, SYSTEM_ORG_ID)
    assert len(after) == before + 1, "one incident per alert window, not one per letter"
    assert after[-1][0] == "dlq_depth"


async def test_letters_older_than_a_day_are_archived_and_leave_the_stream(
    app_engine, system_engine, redis_client, owner_conn
):
    org = uuid.uuid4()
    letter_id = await dead_letter(
        engine=app_engine,
        redis=redis_client,
        consumer="sales",
        event=thing(org, "old"),
        error="boom",
        attempts=3,
        stream_id=None,
        depth_threshold=10_000,
    )
    with as_org(owner_conn, org):
        owner_conn.execute(
            "update dead_letters set created_at = now() - interval '25 hours' where id = %s",
            (letter_id,),
        )

    archived, _purged = await archive_dead_letters(system_engine=system_engine, redis=redis_client)

    visible = {row.id for row in await list_dead_letters(system_engine=system_engine)}
    entries = await redis_client.xrange(DLQ_STREAM)
    assert archived >= 1
    assert letter_id not in visible
    assert all(fields.get(b"dead_letter_id") != str(letter_id).encode() for _, fields in entries)
    everything = await list_dead_letters(system_engine=system_engine, include_archived=True)
    assert letter_id in {row.id for row in everything}


async def test_stats_report_length_pending_and_lag_per_group(redis_client):
    stream = f"test:stats:{uuid.uuid4().hex[:8]}"
    for n in range(3):
        await redis_client.xadd(stream, {"n": str(n)})
    await redis_client.xgroup_create(stream, "readers", id="0")
    await redis_client.xreadgroup("readers", "c1", {stream: ">"}, count=1)

    stats = {(s.stream, s.group): s for s in await stream_stats(redis_client, stream=stream)}

    readers = stats[(stream, "readers")]
    assert (readers.length, readers.pending) == (3, 1)
    assert readers.lag in (2, None)
    assert (DLQ_STREAM, "-") in stats


async def test_stream_entries_older_than_a_day_move_to_the_dated_archive(redis_client):
    dlq = f"test:dlq:{uuid.uuid4().hex[:8]}"
    archive = f"test:dlq-archive:{uuid.uuid4().hex[:8]}"
    old_id = "1000000000000-0"  # 2001-09-09: far older than a day
    await redis_client.xadd(dlq, {"consumer": "x", "error": "unreadable entry"}, id=old_id)
    await redis_client.xadd(dlq, {"consumer": "x", "error": "fresh"})

    await archive_old_stream_entries(redis_client, stream=dlq, archive_prefix=archive)

    remaining = [fields[b"error"] for _, fields in await redis_client.xrange(dlq)]
    archived = await redis_client.xrange(f"{archive}:2001-09-09")
    assert remaining == [b"fresh"]
    assert [fields[b"error"] for _, fields in archived] == [b"unreadable entry"]
    assert 0 < await redis_client.ttl(f"{archive}:2001-09-09") <= 30 * 24 * 3600


async def test_stats_show_a_stream_that_has_no_subscriber_yet(redis_client):
    stream = f"test:lonely:{uuid.uuid4().hex[:8]}"
    await redis_client.xadd(stream, {"n": "1"})

    stats = await stream_stats(redis_client, stream=stream)

    assert (stats[0].stream, stats[0].group, stats[0].length) == (stream, "-", 1)
