"""Every agent call goes through here: budget check, model call with retries, usage recorded,
failures turned into a 503 the user can read (never a 500)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel
from pydantic_ai import Agent, ModelMessage, ModelMessagesTypeAdapter, Tool
from pydantic_ai.exceptions import AgentRunError
from pydantic_ai.settings import ModelSettings
from pydantic_ai.usage import RunUsage
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.budgets import BudgetWindow, budget_window
from xentri.ai.config import AiSettings
from xentri.ai.errors import BudgetExhaustedError, ModelUnavailableError
from xentri.ai.offline_model import OfflineResponder, responding_with
from xentri.ai.providers import ModelChoice, ModelFactory, model_choice
from xentri.ai.tools import ToolContext
from xentri.ai.usage import CallUsage, record_usage, tokens_spent
from xentri.identity.tables import organizations
from xentri.kernel.db.tenant import tenant_transaction

log = structlog.get_logger("xentri.ai")

OutputT = TypeVar("OutputT", bound=BaseModel)


@dataclass(frozen=True)
class AgentRequest:
    org_id: uuid.UUID
    agent_id: str
    instructions: str  # the composed soul (global + category + role + Brief + persona)
    prompt: str
    history: Sequence[ModelMessage] = ()
    choice: ModelChoice | None = None  # the agent's override from the registry
    offline: OfflineResponder | None = None  # how the offline engine serves this task
    # Typed tools; each gets RunContext[ToolContext] and opens the org's tenant transaction.
    tools: Sequence[Tool[ToolContext]] = field(default_factory=tuple)


@dataclass(frozen=True)
class AgentReply:
    text: str
    new_messages: bytes  # pydantic-ai messages as JSON, to resume a thread
    usage: CallUsage


class AgentRunner:
    def __init__(
        self,
        *,
        settings: AiSettings,
        engine: AsyncEngine,
        redis: Redis,
        models: ModelFactory,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.redis = redis
        self.models = models
        self.clock = clock

    async def answer(self, request: AgentRequest) -> AgentReply:
        choice, window = await self._admit(request)
        agent = self._agent(request, choice, output_type=str)
        try:
            with _offline(request):
                result = await agent.run(request.prompt, **self._run_options(request))
        except (AgentRunError, OSError) as exc:
            raise self._unavailable(request, choice, exc) from exc
        usage = await self._record(request, choice, result.usage, window)
        return AgentReply(text=result.output, new_messages=result.new_messages_json(), usage=usage)

    async def structured(self, request: AgentRequest, output_type: type[OutputT]) -> OutputT:
        """A pydantic model filled by the model; invalid output is sent back to it to fix."""
        choice, window = await self._admit(request)
        agent = self._agent(request, choice, output_type=output_type)
        try:
            with _offline(request):
                result = await agent.run(request.prompt, **self._run_options(request))
        except (AgentRunError, OSError) as exc:
            raise self._unavailable(request, choice, exc) from exc
        await self._record(request, choice, result.usage, window)
        output: OutputT = result.output
        return output

    async def stream(self, request: AgentRequest) -> AsyncIterator[str | AgentReply]:
        """Text deltas as they come, then the whole reply as the last item.

        A failure before the first delta raises (the caller can still answer 503); after it,
        the stream ends with ModelUnavailableError, which the caller reports inside the stream.
        """
        choice, window = await self._admit(request)
        agent = self._agent(request, choice, output_type=str)
        parts: list[str] = []
        try:
            with _offline(request):
                async with agent.run_stream(request.prompt, **self._run_options(request)) as run:
                    async for delta in run.stream_text(delta=True, debounce_by=None):
                        parts.append(delta)
                        yield delta
                    usage = run.usage
                    new_messages = ModelMessagesTypeAdapter.dump_json(run.new_messages())
        except (AgentRunError, OSError) as exc:
            raise self._unavailable(request, choice, exc) from exc
        recorded = await self._record(request, choice, usage, window)
        yield AgentReply(text="".join(parts), new_messages=new_messages, usage=recorded)

    async def stream_structured(
        self, request: AgentRequest, output_type: type[OutputT]
    ) -> AsyncIterator[tuple[OutputT, bool]]:
        """`output_type` as the model writes it: partial outputs (validated in partial mode, so
        a field grows as its tokens arrive) with False, then the whole output with True.

        Invalid output is not sent back to the model here (a stream already shown cannot be
        taken back); it ends the stream with ModelUnavailableError, as any failure does.
        """
        choice, window = await self._admit(request)
        agent = self._agent(request, choice, output_type=output_type)
        final: OutputT | None = None
        try:
            with _offline(request):
                async with agent.run_stream(request.prompt, **self._run_options(request)) as run:
                    async for partial in run.stream_output(debounce_by=None):
                        final = partial
                        yield partial, False
                    usage = run.usage
        except (AgentRunError, OSError) as exc:
            raise self._unavailable(request, choice, exc) from exc
        if final is None:  # the model ended without an output
            raise self._unavailable(request, choice, ValueError("no output"))
        await self._record(request, choice, usage, window)
        yield final, True

    async def _admit(self, request: AgentRequest) -> tuple[ModelChoice, BudgetWindow | None]:
        """The model to use, after the org's budget check for a metered one."""
        choice = request.choice or model_choice(self.settings)
        if not choice.metered:
            return choice, None
        window = budget_window(self.clock(), await self._time_zone(request.org_id))
        spent = await tokens_spent(
            engine=self.engine, redis=self.redis, org_id=request.org_id, window=window
        )
        if spent >= self.settings.llm_tokens_per_window:
            raise BudgetExhaustedError(
                "Your assistant is on a break. Continue on your own or wait until it is back.",
                next_available=window.end,
            )
        return choice, window

    def _run_options(self, request: AgentRequest) -> dict[str, Any]:
        """What every run of an agent takes besides the prompt."""
        return {
            "message_history": list(request.history),
            "model_settings": self._model_settings(),
            "deps": ToolContext(org_id=request.org_id, engine=self.engine),
        }

    def _agent(
        self, request: AgentRequest, choice: ModelChoice, *, output_type: Any
    ) -> Agent[Any, Any]:
        return Agent(
            self.models(choice),
            deps_type=ToolContext,
            instructions=request.instructions,
            output_type=output_type,
            tools=list(request.tools),
            name=request.agent_id,
            retries=2,  # invalid structured output goes back to the model this often
        )

    def _model_settings(self) -> ModelSettings:
        return ModelSettings(
            timeout=self.settings.llm_timeout_seconds,
            max_tokens=self.settings.llm_max_output_tokens,
        )

    async def _time_zone(self, org_id: uuid.UUID) -> str:
        async with tenant_transaction(self.engine, org_id) as tx:
            zone = await tx.scalar(
                select(organizations.c.time_zone).where(organizations.c.id == org_id)
            )
        return zone or "UTC"

    async def _record(
        self,
        request: AgentRequest,
        choice: ModelChoice,
        usage: RunUsage,
        window: BudgetWindow | None,
    ) -> CallUsage:
        call = CallUsage(
            agent_id=request.agent_id,
            provider=choice.provider,
            model=choice.model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            metered=choice.metered,
        )
        await record_usage(
            engine=self.engine,
            redis=self.redis,
            org_id=request.org_id,
            usage=call,
            window=window,
            at=self.clock(),
        )
        return call

    def _unavailable(
        self, request: AgentRequest, choice: ModelChoice, exc: BaseException
    ) -> ModelUnavailableError:
        log.warning(
            "model_call_failed",
            agent=request.agent_id,
            provider=choice.provider,
            model=choice.model,
            error=f"{type(exc).__name__}: {exc}",
        )
        return ModelUnavailableError()


def _offline(request: AgentRequest) -> contextlib.AbstractContextManager[None]:
    return responding_with(request.offline) if request.offline else contextlib.nullcontext()
