"""Fixtures of the integration tests: engines by role, Redis, a private stream per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from tests.support.fake_model import fake_model  # noqa: F401 - a fixture for the tests here
from tests.support.identity import create_org, sign_up
from xentri.kernel.db.engine import create_engine
from xentri.kernel.events.relay import Relay, RelaySettings

LEFTOVERS = "test:events:leftovers"


@pytest.fixture
async def app_engine(servers):
    engine = create_engine(servers.app_url, pool_size=20)
    yield engine
    await engine.dispose()


@pytest.fixture
async def system_engine(servers):
    engine = create_engine(servers.system_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def redis_client(servers) -> AsyncIterator[Redis]:
    client = Redis.from_url(servers.redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def stream() -> str:
    """Each test gets its own stream, so no test sees another's entries."""
    return f"test:events:{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def relay(system_engine, redis_client, stream, servers):
    relay = Relay(
        engine=system_engine,
        redis=redis_client,
        listen_url=servers.system_url,
        settings=RelaySettings(
            stream=stream, poll_seconds=0.05, backoff_initial=0.05, backoff_max=0.5
        ),
    )
    await _flush_leftovers(system_engine, redis_client)
    yield relay
    await _flush_leftovers(system_engine, redis_client)


async def _flush_leftovers(system_engine, redis_client) -> None:
    """Publish other tests' unrelayed events elsewhere, so this test's stream holds only its own."""
    flush = Relay(
        engine=system_engine, redis=redis_client, settings=RelaySettings(stream=LEFTOVERS)
    )
    await flush.relay_once()
    await redis_client.delete(LEFTOVERS)


@pytest.fixture
async def app_owner(make_app, client_for):
    """An app, the owner of a new org signed up over the API, and that org's id."""
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org
