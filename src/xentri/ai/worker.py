"""A category's agent worker (ADR-004): `xentri agents run --category <name>`, or one of seven
tasks under `xentri serve`. It keeps the category's heartbeat, answers the copilot asks of its
category, and runs its agents' reactions to events through its own consumer group.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import socket
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import structlog
from pydantic import ValidationError
from pydantic_ai import ModelMessagesTypeAdapter, Tool
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.asks import Ask, ReplyItem, asks_stream, write_reply
from xentri.ai.config import AiSettings
from xentri.ai.context import ScopeContext, followed_event_types, scope_context
from xentri.ai.errors import ModelUnavailableError
from xentri.ai.heartbeat import HEARTBEAT_EVERY_SECONDS, HEARTBEAT_TIMEOUT_SECONDS, beat
from xentri.ai.memory import BriefSource, brief_text, current_persona, journal_reactions
from xentri.ai.memory.embeddings import Embedder
from xentri.ai.offline_model import OfflineResponder
from xentri.ai.providers import model_choice
from xentri.ai.registry import AgentRegistry, compose_prompt
from xentri.ai.runner import AgentReply, AgentRequest, AgentRunner
from xentri.ai.tools import ToolContext
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.errors import DomainError
from xentri.kernel.events.consumer import Consumer, ConsumerSettings, Handler, Subscription
from xentri.kernel.stopping import sleep_or_stop

log = structlog.get_logger("xentri.ai.worker")

# How the offline engine answers a copilot ask, given what the worker gathered for its scope.
OfflineFor = Callable[[Ask, ScopeContext], OfflineResponder]


class AgentWorker:
    def __init__(
        self,
        *,
        category: str,
        registry: AgentRegistry,
        runner: AgentRunner,
        settings: AiSettings,
        engine: AsyncEngine,
        redis: Redis,
        offline_for: OfflineFor,
        brief_source: BriefSource | None = None,
        reactions: Mapping[str, Handler] | None = None,
        consumer_settings: ConsumerSettings | None = None,
        tools: Mapping[str, Tool[ToolContext]] | None = None,
        embedder: Embedder | None = None,
        concurrency: int = 4,
        heartbeat_every: float = HEARTBEAT_EVERY_SECONDS,
        heartbeat_timeout: float = HEARTBEAT_TIMEOUT_SECONDS,
    ) -> None:
        self.category = category
        self.registry = registry
        self.runner = runner
        self.settings = settings
        self.engine = engine
        self.redis = redis
        self.offline_for = offline_for
        self.brief_source = brief_source
        self.consumer_settings = consumer_settings
        self.reactions = dict(
            reactions
            if reactions is not None
            else journal_reactions(registry, category, embedder=embedder)
        )
        # The typed tools that exist so far, by their registry names; an agent gets those of
        # its declared tools that are built (the others arrive with their categories).
        self.tools = dict(tools or {})
        self.heartbeat_every = heartbeat_every
        self.heartbeat_timeout = heartbeat_timeout
        self._slots = asyncio.Semaphore(concurrency)
        self._name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"

    @property
    def group(self) -> str:
        return f"agents.{self.category}"

    async def run(self, stop: asyncio.Event) -> None:
        work = [
            beat(
                self.redis,
                self.category,
                stop,
                every=self.heartbeat_every,
                ttl=self.heartbeat_timeout,
            ),
            self._serve_asks(stop),
        ]
        if self.reactions:
            consumer = Consumer(
                subscription=Subscription(name=self.group, handlers=self.reactions),
                engine=self.engine,
                redis=self.redis,
                settings=self.consumer_settings,
            )
            work.append(consumer.run(stop))
        await asyncio.gather(*work)

    async def _serve_asks(self, stop: asyncio.Event) -> None:
        stream = asks_stream(self.category)
        running: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            try:
                with contextlib.suppress(ResponseError):  # the group exists already
                    await self.redis.xgroup_create(stream, self.group, id="$", mkstream=True)
                response: Any = await self.redis.xreadgroup(
                    self.group, self._name, {stream: ">"}, count=10, block=1000
                )
            except (RedisError, OSError) as exc:
                log.warning("asks_unavailable", category=self.category, error=str(exc))
                await sleep_or_stop(stop, 1.0)
                continue
            for _stream, entries in response or []:
                for entry_id, fields in entries:
                    await self._slots.acquire()
                    task = asyncio.create_task(self._answer_entry(stream, entry_id, fields))
                    running.add(task)
                    task.add_done_callback(running.discard)
        if running:
            await asyncio.wait(running, timeout=self.settings.llm_timeout_seconds)

    async def _answer_entry(self, stream: str, entry_id: Any, fields: Mapping[Any, Any]) -> None:
        try:
            raw = fields.get(b"ask") or fields.get("ask") or b""
            try:
                ask = Ask.model_validate_json(raw)
            except ValidationError:
                log.error("unreadable_ask", category=self.category)
                return
            if ask.expires_at < datetime.now(UTC):
                log.info("ask_expired", ask_id=str(ask.id))
                return
            await self.answer(ask)
        finally:
            self._slots.release()
            with contextlib.suppress(RedisError):
                await self.redis.xack(stream, self.group, entry_id)

    async def answer(self, ask: Ask) -> None:
        """Run the scope's copilot on the ask and stream its reply back."""
        structlog.contextvars.bind_contextvars(org_id=str(ask.org_id), ask_id=str(ask.id))
        try:
            agent = self.registry.copilot_for_scope(ask.scope)
            context = await scope_context(
                self.engine,
                ask.org_id,
                ask.scope,
                event_types=followed_event_types(self.registry, ask.scope),
            )
            brief = await brief_text(
                redis=self.redis, engine=self.engine, org_id=ask.org_id, source=self.brief_source
            )
            context = dataclasses.replace(context, brief=brief, brief_section=ask.brief_section)
            async with tenant_transaction(self.engine, ask.org_id) as tx:
                persona = await current_persona(tx=tx, agent_id=agent.id)
            prompt = compose_prompt(
                agent,
                brief=context.brief,
                persona=persona,
                language=ask.language,
                registry=self.registry,
            )
            override = agent.model
            request = AgentRequest(
                org_id=ask.org_id,
                agent_id=agent.id,
                instructions=f"{prompt.text}\n\n{context.as_prompt()}",
                prompt=ask.prompt,
                history=ModelMessagesTypeAdapter.validate_json(ask.history) if ask.history else (),
                choice=model_choice(
                    self.settings,
                    provider=override.provider if override else None,
                    model=override.model if override else None,
                ),
                offline=self.offline_for(ask, context),
                tools=[self.tools[name] for name in agent.tools if name in self.tools],
            )
            async for item in self.runner.stream(request):
                if isinstance(item, AgentReply):
                    await write_reply(self.redis, ask.id, _done(item, agent.id))
                else:
                    await write_reply(self.redis, ask.id, ReplyItem("delta", text=item))
        except DomainError as exc:
            await write_reply(self.redis, ask.id, ReplyItem("error", data=_problem(exc)))
        except Exception:  # the asker must hear back; the trace goes to the log
            log.exception("ask_failed")
            unavailable = ModelUnavailableError()
            await write_reply(self.redis, ask.id, ReplyItem("error", data=_problem(unavailable)))
        finally:
            structlog.contextvars.unbind_contextvars("org_id", "ask_id")


def _done(reply: AgentReply, agent_id: str) -> ReplyItem:
    return ReplyItem(
        "done",
        text=reply.text,
        data={
            "agent_id": agent_id,
            "provider": reply.usage.provider,
            "model": reply.usage.model,
            "input_tokens": reply.usage.input_tokens,
            "output_tokens": reply.usage.output_tokens,
            "new_messages": reply.new_messages.decode(),
        },
    )


def _problem(exc: DomainError) -> dict[str, Any]:
    return {
        "status": exc.status,
        "code": exc.code,
        "title": exc.title,
        "detail": exc.detail,
        **exc.extensions,
    }
