"""The nightly "dreaming" job (ADR-006): at 02:00 in each org's time zone, every co-pilot's
recent episodes are distilled into a new version of its persona.

A co-pilot's run that fails writes nothing, so it keeps the persona it had; the job then fails
and the scheduler retries it with exponential backoff, where co-pilots already done in this
slot are skipped. After the last retry the scheduler raises the P3 `xentri.ops.incident.v1`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from pydantic import BaseModel, Field
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.config import AiSettings
from xentri.ai.memory.distil import Language, distil_persona
from xentri.ai.memory.episodes import Episode, recent_episodes
from xentri.ai.memory.personas import (
    PERSONA_CHARS,
    Persona,
    dreamed_in_slot,
    latest_persona,
    store_persona,
)
from xentri.ai.offline_model import OfflinePrompt, OfflineResponder
from xentri.ai.providers import model_choice
from xentri.ai.registry import AgentRegistry, AgentSpec, compose_prompt
from xentri.ai.runner import AgentRequest, AgentRunner
from xentri.identity.tables import organizations
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.scheduler.jobs import JobContext, JobSpec

log = structlog.get_logger("xentri.ai.memory")

JOB_NAME = "ai.memory.dreaming"
LOOKBACK = timedelta(days=30)
MAX_EPISODES = 200
_EPISODE_LINE_CHARS = 300

DREAMING_TASK = """## Tonight's task: dreaming
Below is your journal for this business: what happened, what was decided, what came of it.
Distil it into a short persona for yourself: the patterns, preferences and lessons that should
shape how you help this business from now on. State only what the journal shows; name clients,
products and numbers where it does. At most 12 lines, in the business's language."""


class PersonaDraft(BaseModel):
    persona: str = Field(min_length=1, max_length=PERSONA_CHARS)


class DreamingFailedError(RuntimeError):
    """Some co-pilots' personas could not be distilled; the others were written."""


@dataclass
class DreamReport:
    written: dict[str, int] = field(default_factory=dict)  # agent id -> new version
    already_done: list[str] = field(default_factory=list)  # written earlier in this slot
    nothing_to_learn: list[str] = field(default_factory=list)  # no episodes in the window
    failed: dict[str, str] = field(default_factory=dict)  # agent id -> error

    def raise_for_failures(self) -> None:
        if self.failed:
            failures = "; ".join(f"{agent} ({error})" for agent, error in self.failed.items())
            raise DreamingFailedError(f"no new persona for {failures}")


async def dream(
    *,
    engine: AsyncEngine,
    org_id: uuid.UUID,
    slot: datetime,
    runner: AgentRunner,
    registry: AgentRegistry,
) -> DreamReport:
    """Distil a persona for each co-pilot of the registry; a co-pilot that fails is reported
    in `failed` and keeps its persona."""
    night = _Night(
        engine=engine,
        org_id=org_id,
        slot=slot,
        runner=runner,
        registry=registry,
        language=await _org_language(engine, org_id),
    )
    for copilot in registry.copilots():
        try:
            await night.dream_of(copilot)
        except Exception as exc:  # noqa: BLE001 - one co-pilot failing must not cost the others their night
            error = _describe(exc)
            # No traceback: the runner logged the model's failure already, and the job's
            # failure (with this error) is logged and recorded by the scheduler.
            log.warning("dreaming_failed", org_id=str(org_id), agent=copilot.id, error=error)
            night.report.failed[copilot.id] = error
    return night.report


@dataclass
class _Night:
    """One org's dreaming run for one slot."""

    engine: AsyncEngine
    org_id: uuid.UUID
    slot: datetime
    runner: AgentRunner
    registry: AgentRegistry
    language: Language
    report: DreamReport = field(default_factory=DreamReport)

    async def dream_of(self, copilot: AgentSpec) -> None:
        team = self.registry.for_category(copilot.category)
        async with tenant_transaction(self.engine, self.org_id) as tx:
            if await dreamed_in_slot(tx=tx, agent_id=copilot.id, slot=self.slot):
                self.report.already_done.append(copilot.id)
                return
            episodes = await recent_episodes(
                tx=tx,
                since=self.slot - LOOKBACK,
                until=self.slot,
                agent_ids={agent.id for agent in team},
                event_types={event_type for agent in team for event_type in agent.subscribes},
                limit=MAX_EPISODES,
            )
            previous = await latest_persona(tx=tx, agent_id=copilot.id)
        if not episodes:
            self.report.nothing_to_learn.append(copilot.id)
            return
        # The model call happens outside any transaction: it may take long, and holding a
        # connection (and locks) across it would starve the pool.
        draft = await self.runner.structured(
            self._request(copilot, episodes, previous), PersonaDraft
        )
        async with tenant_transaction(self.engine, self.org_id) as tx:
            version = await store_persona(
                tx=tx,
                org_id=self.org_id,
                agent_id=copilot.id,
                persona=draft.persona,
                distilled_from_count=len(episodes),
                slot=self.slot,
            )
        if version is None:
            self.report.already_done.append(copilot.id)
        else:
            self.report.written[copilot.id] = version

    def _request(
        self, copilot: AgentSpec, episodes: Sequence[Episode], previous: Persona | None
    ) -> AgentRequest:
        prompt = compose_prompt(
            copilot,
            brief=None,
            persona=previous.persona if previous else None,
            language=self.language,
            registry=self.registry,
        )
        override = copilot.model
        return AgentRequest(
            org_id=self.org_id,
            agent_id=copilot.id,
            instructions=f"{prompt.text}\n\n{DREAMING_TASK}",
            prompt=_journal_text(episodes),
            choice=model_choice(
                self.runner.settings,
                provider=override.provider if override else None,
                model=override.model if override else None,
            ),
            offline=offline_dreaming(episodes, self.language),
        )


def offline_dreaming(episodes: Sequence[Episode], language: Language) -> OfflineResponder:
    """How the offline engine answers the dreaming task: by counting (see distil.py)."""

    def respond(_prompt: OfflinePrompt) -> dict[str, Any]:
        return {"persona": distil_persona(episodes, language=language)}

    return respond


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__
    text = f"{type(exc).__name__}: {exc}"
    return f"{text} (after {type(cause).__name__}: {cause})" if cause else text


def _journal_text(episodes: Sequence[Episode]) -> str:
    lines = []
    for episode in sorted(episodes, key=lambda item: item.occurred_at):
        body = " ".join(episode.body.split())
        line = f"- {episode.occurred_at:%Y-%m-%d} [{episode.kind}] {episode.title}: {body}"
        lines.append(line[:_EPISODE_LINE_CHARS])
    return "\n".join(lines)


async def _org_language(engine: AsyncEngine, org_id: uuid.UUID) -> Language:
    async with tenant_transaction(engine, org_id) as tx:
        language = await tx.scalar(
            select(organizations.c.default_language).where(organizations.c.id == org_id)
        )
    return "es" if language == "es" else "en"


def dreaming_job(*, runner: AgentRunner, registry: AgentRegistry) -> JobSpec:
    """The per-org job at 02:00 org-local: a first attempt and 3 retries, 5, 10 and 20 minutes
    apart, all done long before the owner's morning."""
    return JobSpec(
        name=JOB_NAME,
        schedule="0 2 * * *",
        handler=_DreamingHandler(runner, registry),
        per_org=True,
        max_attempts=4,
        retry_backoff=timedelta(minutes=5),
        timeout=timedelta(minutes=30),
    )


class _DreamingHandler:
    # A plain object rather than a closure: a failure's traceback shows this frame's locals,
    # and the agent registry among them takes seconds to render in the console log.
    def __init__(self, runner: AgentRunner, registry: AgentRegistry) -> None:
        self._runner = runner
        self._registry = registry

    async def __call__(self, context: JobContext) -> None:
        report = await dream(
            engine=context.app_engine,
            org_id=context.org_id,
            slot=context.slot,
            runner=self._runner,
            registry=self._registry,
        )
        log.info(
            "dreaming_done",
            org_id=str(context.org_id),
            written=report.written,
            nothing_to_learn=len(report.nothing_to_learn),
            failed=sorted(report.failed),
        )
        # Failing the attempt is what makes the scheduler retry it and, after the last retry,
        # raise the P3 incident; co-pilots written in this slot are skipped on the retry.
        report.raise_for_failures()


def dreaming_job_for(*, engine: AsyncEngine, redis: Redis, settings: AiSettings) -> JobSpec:
    """The dreaming job with the deployment's models (the scheduler process builds it)."""
    from xentri.ai.offline_model import offline_model
    from xentri.ai.providers import model_factory
    from xentri.ai.registry import load_agent_registry

    runner = AgentRunner(
        settings=settings,
        engine=engine,
        redis=redis,
        models=model_factory(settings, offline=offline_model(_no_task)),
    )
    return dreaming_job(runner=runner, registry=load_agent_registry())


def _no_task(_prompt: OfflinePrompt) -> str:
    # Every dreaming call names its responder; this answers only a programming error.
    return "The offline engine was asked without a task."
