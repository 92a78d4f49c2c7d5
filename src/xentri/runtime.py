"""The background work of a process: the relay, the consumers and the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.config import AiSettings
from xentri.ai.memory.embeddings import Embedder
from xentri.kernel.config import Settings
from xentri.kernel.dataplane import DataPlane
from xentri.kernel.db.engine import create_engine
from xentri.kernel.events.consumer import Consumer, ConsumerSettings, Subscription
from xentri.kernel.events.relay import Relay, RelaySettings


@dataclass
class Connections:
    app_engine: AsyncEngine
    system_engine: AsyncEngine
    redis: Redis


@contextlib.asynccontextmanager
async def connections(plane: DataPlane, *, name: str) -> AsyncIterator[Connections]:
    conns = Connections(
        app_engine=create_engine(plane.app_database_url, pool_size=5, application_name=name),
        system_engine=create_engine(
            plane.system_database_url, pool_size=3, application_name=f"{name}-system"
        ),
        redis=Redis.from_url(plane.redis_url, socket_timeout=5, socket_connect_timeout=2),
    )
    try:
        yield conns
    finally:
        await conns.redis.aclose()
        await conns.app_engine.dispose()
        await conns.system_engine.dispose()


async def run_relay(stop: asyncio.Event, *, settings: Settings, plane: DataPlane) -> None:
    async with connections(plane, name="xentri-relay") as conns:
        relay = Relay(
            engine=conns.system_engine,
            redis=conns.redis,
            listen_url=plane.system_database_url,
            settings=RelaySettings(maxlen=settings.events_stream_maxlen),
        )
        await relay.run(stop)


async def run_consumers(
    stop: asyncio.Event,
    *,
    settings: Settings,
    plane: DataPlane,
    subscriptions: list[Subscription],
) -> None:
    if not subscriptions:
        return
    consumer_settings = ConsumerSettings(dlq_alert_threshold=settings.dlq_alert_threshold)
    async with connections(plane, name="xentri-consumers") as conns:
        consumers = [
            Consumer(
                subscription=subscription,
                engine=conns.app_engine,
                redis=conns.redis,
                settings=consumer_settings,
            )
            for subscription in subscriptions
        ]
        await asyncio.gather(*(consumer.run(stop) for consumer in consumers))


async def run_scheduler(stop: asyncio.Event, *, plane: DataPlane) -> None:
    from xentri.identity.schedules import org_schedules
    from xentri.kernel.scheduler.scheduler import Scheduler
    from xentri.scheduled_jobs import all_jobs

    async with connections(plane, name="xentri-scheduler") as conns:
        scheduler = Scheduler(
            jobs=all_jobs(conns),
            system_engine=conns.system_engine,
            app_engine=conns.app_engine,
            org_provider=org_schedules(conns.system_engine),
            max_concurrent_runs=4,
        )
        await scheduler.run(stop=stop)


async def run_agent_workers(
    stop: asyncio.Event,
    *,
    plane: DataPlane,
    ai_settings: AiSettings | None,
    categories: Sequence[str] | None = None,
    embedder: Embedder | None = None,
) -> None:
    """The agent workers of `categories` (all seven when None) in this process."""
    from xentri.agent_tools import agent_tools, offline_copilot
    from xentri.ai.memory import brief_cache_handlers
    from xentri.ai.memory.embeddings import check_embeddings_column
    from xentri.ai.offline_model import offline_model
    from xentri.ai.providers import model_factory
    from xentri.ai.registry import load_agent_registry
    from xentri.ai.runner import AgentRunner
    from xentri.ai.worker import AgentWorker
    from xentri.categories.strategy.brief_source import ApprovedBriefSource

    if ai_settings is None:
        ai_settings = AiSettings()
    registry = load_agent_registry()
    chosen = list(categories) if categories else [agent.category for agent in registry.copilots()]
    async with connections(plane, name="xentri-agents") as conns:
        if embedder is not None:
            await check_embeddings_column(conns.app_engine)
        tools = agent_tools(embedder=embedder)
        runner = AgentRunner(
            settings=ai_settings,
            engine=conns.app_engine,
            redis=conns.redis,
            models=model_factory(ai_settings, offline=offline_model(_needs_a_task)),
        )
        workers = [
            AgentWorker(
                category=category,
                registry=registry,
                runner=runner,
                settings=ai_settings,
                engine=conns.app_engine,
                redis=conns.redis,
                offline_for=offline_copilot(),
                brief_source=ApprovedBriefSource(),
                tools=tools,
                embedder=embedder,
                heartbeat_every=ai_settings.agent_heartbeat_seconds / 3,
                heartbeat_timeout=ai_settings.agent_heartbeat_seconds,
            )
            for category in chosen
        ]
        # The agents' semantic memory: a Brief approval drops the org's cached Brief.
        brief_cache = Consumer(
            subscription=Subscription(
                name="memory.brief_cache", handlers=brief_cache_handlers(conns.redis)
            ),
            engine=conns.app_engine,
            redis=conns.redis,
        )
        await asyncio.gather(brief_cache.run(stop), *(worker.run(stop) for worker in workers))


def _needs_a_task(prompt: object) -> str:
    # Every offline call names its task's responder; reaching this is a programming error that
    # the user must still not see as a crash.
    return "The offline engine was asked without a task."
