"""Agent workers as real processes: killing one makes its category's copilot answer 503 within
the heartbeat period while tool endpoints keep working; a restarted worker answers again."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.db import as_org
from tests.support.identity import create_org, sign_up
from xentri.ai.heartbeat import heartbeat_key
from xentri.kernel.events.relay import Relay

pytestmark = pytest.mark.integration

HEARTBEAT_SECONDS = 1.5


def start_worker(servers, home: Path, *categories: str, **settings: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XENTRI_")}
    env.update(
        XENTRI_HOME=str(home),
        XENTRI_SECRET_KEY="worker-test",
        XENTRI_DATABASE_URL=servers.owner_url,
        XENTRI_DATABASE_APP_URL=servers.app_url,
        XENTRI_DATABASE_APP_ROLE=servers.app_role,
        XENTRI_DATABASE_SYSTEM_URL=servers.system_url,
        XENTRI_DATABASE_SYSTEM_ROLE=servers.system_role,
        XENTRI_REDIS_URL=servers.redis_url,
        XENTRI_AGENT_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
        XENTRI_LOG_LEVEL="WARNING",
        **settings,
    )
    args = [arg for category in categories for arg in ("--category", category)]
    return subprocess.Popen(
        [sys.executable, "-m", "xentri.cli", "agents", "run", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def until(condition, *, seconds: float) -> bool:
    """Poll `condition` (bounded); True when it held before the bound."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if await condition():
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_killed_worker_is_a_503_then_catches_up_once(
    make_app, client_for, servers, tmp_path, system_engine, redis_client, owner_conn
):
    app = make_app()
    redis = app.state.redis
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)

        async def ask():
            return await client.post(
                "/api/v1/copilot/category.finance/ask",
                json={"question": "Should I hire?"},
                headers=person.headers(),
            )

        async def beating() -> bool:
            return bool(await redis.exists(heartbeat_key("finance")))

        worker = start_worker(servers, tmp_path, "finance")
        try:
            assert await until(beating, seconds=60), worker.stderr
            answered = await ask()

            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)

            async def refused() -> bool:
                return (await ask()).status_code == 503

            became_unavailable = await until(refused, seconds=HEARTBEAT_SECONDS * 4)
            tool = await client.get(f"/api/v1/orgs/{org}", headers=person.headers())
            # While the worker is down, the org approves its Brief (finance follows that event).
            await client.put(
                "/api/v1/strategy/brief/draft",
                json={"identity": {"name": "Café Luna"}},
                headers=person.headers(),
            )
            for action in ("ready", "approve"):
                await client.post(f"/api/v1/strategy/brief/flow/{action}", headers=person.headers())
            await Relay(engine=system_engine, redis=redis_client).relay_once()

            worker = start_worker(servers, tmp_path, "finance")
            assert await until(beating, seconds=60)
            answered_again = await ask()

            async def journaled() -> bool:
                return len(brief_receipts(owner_conn, org)) == 2

            caught_up = await until(journaled, seconds=60)
        finally:
            worker.terminate()
            worker.wait(timeout=20)

    assert answered.status_code == 200
    assert "event: done" in answered.text
    assert became_unavailable
    assert tool.status_code == 200
    assert answered_again.status_code == 200
    assert worker.returncode == 0  # a clean stop on SIGTERM
    assert caught_up
    # Handled once by the finance worker, and once by the Brief cache it runs beside it.
    assert brief_receipts(owner_conn, org) == [("agents.finance", 1), ("memory.brief_cache", 1)]
    with as_org(owner_conn, org):
        episodes = owner_conn.execute(
            "select count(*) from memory_episodes where title ilike 'brief created%'"
        ).fetchone()[0]
    assert episodes == 1


def brief_receipts(owner_conn, org) -> list[tuple[str, int]]:
    with as_org(owner_conn, org):
        return owner_conn.execute(
            "select r.consumer, count(*) from event_receipts r "
            "join system_events e on e.id = r.event_id "
            "where e.type = 'xentri.brief.created.v1' group by r.consumer order by 1"
        ).fetchall()


def test_an_unknown_category_is_a_one_line_error(servers, tmp_path):
    worker = start_worker(servers, tmp_path, "astrology")
    _, stderr = worker.communicate(timeout=60)

    assert worker.returncode == 1
    assert b"Traceback" not in stderr
    assert b"unknown category 'astrology'" in stderr


def test_embeddings_without_their_extra_is_a_one_line_error(servers, tmp_path):
    if importlib.util.find_spec("sentence_transformers") is not None:
        pytest.skip("the embeddings extra is installed here")
    worker = start_worker(servers, tmp_path, "finance", XENTRI_EMBEDDINGS="minilm")
    _, stderr = worker.communicate(timeout=60)

    assert worker.returncode == 1
    assert b"Traceback" not in stderr
    assert b"embeddings" in stderr.lower()
