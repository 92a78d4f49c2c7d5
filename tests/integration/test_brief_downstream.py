"""An approved Brief reaches every category: each category's worker (its own consumer group)
handles the event once, and its copilot reads the new Brief through the semantic cache."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from pydantic_ai import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from redis.asyncio import Redis

from tests.support.db import as_org
from tests.support.identity import create_org, sign_up
from tests.support.spine import wait_until
from xentri.ai.config import AiSettings
from xentri.ai.copilot.offline import copilot_responder
from xentri.ai.heartbeat import heartbeat_key
from xentri.ai.memory import brief_cache_handlers
from xentri.ai.registry import load_agent_registry
from xentri.ai.runner import AgentRunner
from xentri.ai.worker import AgentWorker
from xentri.categories.strategy.brief_source import ApprovedBriefSource
from xentri.kernel.events.consumer import Consumer, ConsumerSettings, Subscription

pytestmark = pytest.mark.integration

DRAFT = {
    "identity": {"name": "Café Luna", "locations": [{"city": "Oaxaca", "country": "MX"}]},
    "offerings": [{"name": "Latte", "price_minor": 4500, "currency": "MXN"}],
}


def brief_echo() -> FunctionModel:
    """Says which business its instructions describe: proves the Brief reached the prompt."""

    def business(info: AgentInfo) -> str:
        for line in (info.instructions or "").splitlines():
            if line.startswith("Business: "):
                return line.removeprefix("Business: ")
        return "no brief"

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[TextPart(business(info))])

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        yield business(info)

    return FunctionModel(respond, stream_function=stream, model_name="brief-echo")


@contextlib.asynccontextmanager
async def all_category_workers(app, stream: str):
    registry = load_agent_registry()
    redis = Redis.from_url(app.state.settings.redis_url, socket_timeout=5)
    ai = AiSettings(llm_provider="anthropic", anthropic_api_key="sk-ant-test")
    model = brief_echo()
    runner = AgentRunner(settings=ai, engine=app.state.engine, redis=redis, models=lambda c: model)
    consumer_settings = ConsumerSettings(stream=stream)
    workers = [
        AgentWorker(
            category=copilot.category,
            registry=registry,
            runner=runner,
            settings=ai,
            engine=app.state.engine,
            redis=redis,
            offline_for=copilot_responder,
            brief_source=ApprovedBriefSource(),
            consumer_settings=consumer_settings,
            heartbeat_every=0.2,
            heartbeat_timeout=2.0,
        )
        for copilot in registry.copilots()
    ]
    brief_cache = Consumer(
        subscription=Subscription(name="memory.brief_cache", handlers=brief_cache_handlers(redis)),
        engine=app.state.engine,
        redis=redis,
        settings=consumer_settings,
    )
    stop = asyncio.Event()
    tasks = [asyncio.create_task(w.run(stop)) for w in workers]
    tasks.append(asyncio.create_task(brief_cache.run(stop)))
    try:
        for worker in workers:
            await wait_until(lambda w=worker: redis.exists(heartbeat_key(w.category)))
        yield registry
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=20)
        await redis.aclose()


async def test_an_approved_brief_reaches_every_following_category_once(
    make_app, client_for, relay, stream, owner_conn
):
    app = make_app()
    async with client_for(app) as client, all_category_workers(app, stream) as registry:
        person = await sign_up(client)
        org = await create_org(person)

        async def ask_strategy() -> str:
            response = await client.post(
                "/api/v1/copilot/strategy/ask",
                json={"question": "Who are we?"},
                headers=person.headers(),
            )
            return response.text

        before = await ask_strategy()  # caches "no Brief yet"
        await client.put("/api/v1/strategy/brief/draft", json=DRAFT, headers=person.headers())
        for action in ("ready", "approve"):
            await client.post(f"/api/v1/strategy/brief/flow/{action}", headers=person.headers())
        await relay.relay_once()

        following = sorted(
            {
                agent.category
                for agent in registry.agents
                if "xentri.brief.created.v1" in agent.subscribes
            }
        )

        def receipts() -> list[tuple[str, int]]:
            with as_org(owner_conn, org):
                return owner_conn.execute(
                    "select r.consumer, count(*) from event_receipts r "
                    "join system_events e on e.id = r.event_id "
                    "where e.type = 'xentri.brief.created.v1' group by r.consumer order by 1"
                ).fetchall()

        async def delivered() -> bool:
            groups = {consumer for consumer, _ in receipts()}
            return {f"agents.{c}" for c in following} | {"memory.brief_cache"} <= groups

        await wait_until(delivered, seconds=30)
        after = await ask_strategy()

    assert len(following) == 7
    assert receipts() == sorted(
        [(f"agents.{c}", 1) for c in following] + [("memory.brief_cache", 1)]
    )
    assert '"text": "no brief"' in before
    assert '"text": "Café Luna"' in after
