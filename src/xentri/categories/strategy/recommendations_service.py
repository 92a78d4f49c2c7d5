"""The Strategy Co-pilot's recommendations, kept per approved Brief version and language
(ADR 0026): computed on their first read, on the configured model when there is one (else the
offline rules), and read from the table ever after.

A model call is slow and costs tokens, so it never runs inside a transaction: the first reader
claims the (version, language) row in one short transaction, asks the model with no transaction
open, and stores the answer in a second one. Whoever finds the row claimed meanwhile is shown
the offline rules for that view (not kept), so the model is asked at most once per version and
language. A claim left behind by a process that died is taken over after CLAIM_EXPIRES.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.errors import BudgetExhaustedError, ModelUnavailableError
from xentri.ai.runner import AgentRunner
from xentri.catalog import load_catalogue
from xentri.categories.strategy import editing, service
from xentri.categories.strategy.recommendations import (
    GoalRecommendation,
    GoalRewrite,
    ModuleRecommendation,
    recommend_goals,
    recommend_modules,
)
from xentri.categories.strategy.recommendations_model import accepted, ask_model
from xentri.categories.strategy.service import Flow
from xentri.categories.strategy.tables import recommendations
from xentri.contracts.brief import Brief, Goal
from xentri.contracts.events import Actor
from xentri.kernel.db.tenant import Transactions
from xentri.kernel.errors import DomainError

log = structlog.get_logger("xentri.strategy.recommendations")

# Longer than a model call can take with its retries: a claim older than this was left behind.
CLAIM_EXPIRES = dt.timedelta(minutes=5)
# How long the offline rules' recommendations stand before a configured model is tried again
# (it was down, out of budget, or configured after they were kept).
RETRY_MODEL_AFTER = dt.timedelta(minutes=10)

_ONE_PER_VERSION = "uq_strategy_recommendations_org_id_brief_version_language"


class StaleRecommendationError(DomainError):
    status = 409
    code = "recommendation-stale"
    title = "The Brief changed meanwhile"


class NoRewriteError(DomainError):
    status = 404
    code = "no-goal-rewrite"
    title = "No rewrite for that goal"


@dataclass(frozen=True)
class Kept:
    brief_version: int
    language: str
    source: str  # "model" | "offline"
    modules: tuple[ModuleRecommendation, ...]
    goals: tuple[GoalRecommendation, ...]


async def recommendations_for(
    *, unit_of_work: Transactions, org_id: uuid.UUID, language: str, runner: AgentRunner | None
) -> Kept:
    """The approved Brief's recommendations in `language` (BriefNotFoundError without one).

    `unit_of_work` opens one tenant transaction; it is called once or twice, never around the
    model call."""
    async with unit_of_work() as tx:
        current = await service.current_brief(tx=tx)
        found = await stored(tx=tx, brief_version=current.version, language=language)
        if runner is None:
            if found is not None:
                return found
            offline = _offline(current.version, current.document, language)
            await _keep_at_once(tx, org_id, offline)
            return offline
        if found is None:
            claim = await _claim(tx, org_id, current.version, language)
        elif found.source == "offline":
            # Kept while the model was down or out of budget, or before one was configured:
            # it is tried again, at most every RETRY_MODEL_AFTER.
            claim = await _reclaim_for_the_model(tx, current.version, language)
            if claim is None:
                return found
        else:
            return found
    if claim is None:
        # Another request is asking the model right now: this view gets the rules.
        return _offline(current.version, current.document, language)
    computed = await _computed(runner, org_id, current.version, current.document, language)
    async with unit_of_work() as tx:
        await _store(tx, claim, computed)
    return computed


async def stored(*, tx: AsyncSession, brief_version: int, language: str) -> Kept | None:
    """The kept recommendations for that version and language, if they are ready."""
    row = (
        (
            await tx.execute(
                select(recommendations).where(
                    recommendations.c.brief_version == brief_version,
                    recommendations.c.language == language,
                    recommendations.c.state == "ready",
                )
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return Kept(
        brief_version=brief_version,
        language=language,
        source=row["source"],
        modules=_modules_from(row["modules"], language),
        goals=tuple(_goal_from(raw) for raw in row["goals"]),
    )


async def module_names(*, tx: AsyncSession, version: service.BriefVersion, language: str) -> str:
    """The recommended modules' names in a line: the kept ones, else the offline rules'. Reads
    only; safe inside any transaction (the Pulse consumer's)."""
    found = await stored(tx=tx, brief_version=version.version, language=language)
    modules = (
        found.modules
        if found is not None
        else tuple(recommend_modules(version.document, language=language))
    )
    return ", ".join(module.name for module in modules)


async def apply_rewrite(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    index: int,
    brief_version: int,
    language: str,
    actor: Actor,
) -> Flow:
    """Put goal `index`'s rewrite in the Brief draft (an approved Brief moves to Editing).

    409 when the approved version is no longer `brief_version` or the draft's goal is no
    longer the one the rewrite was for; 404 when that goal has no rewrite."""
    current = await service.current_brief(tx=tx)
    if current.version != brief_version:
        raise StaleRecommendationError(
            f"The Brief is at version {current.version} now; these recommendations were for "
            f"version {brief_version}. Reload them and try again.",
            brief_version=current.version,
        )
    found = await stored(tx=tx, brief_version=brief_version, language=language)
    goals = (
        found.goals if found is not None else recommend_goals(current.document, language=language)
    )
    chosen = next((goal for goal in goals if goal.index == index), None)
    if chosen is None or chosen.rewrite is None:
        raise NoRewriteError(
            f"Goal {index} has no rewrite to use: the recommendations list the goals that "
            "have one.",
            errors=[
                {"field": "index", "message": "No rewrite for this goal.", "code": "no-rewrite"}
            ],
        )
    rewrite = chosen.rewrite

    def use_it(draft: Brief) -> Brief:
        goals = list(draft.goals)
        if index >= len(goals) or goals[index].statement != chosen.statement:
            raise StaleRecommendationError(
                "That goal was changed in the draft meanwhile. Reload the recommendations."
            )
        goals[index] = Goal(
            statement=rewrite.statement,
            metric=rewrite.metric,
            target=rewrite.target,
            deadline=rewrite.deadline,
        )
        return draft.model_copy(update={"goals": tuple(goals)})

    flow, _before = await editing.change_draft(tx=tx, org_id=org_id, change=use_it, actor=actor)
    return flow


async def in_draft(*, tx: AsyncSession, org_id: uuid.UUID, kept: Kept) -> frozenset[int]:
    """The goals whose rewrite the draft already holds (used, waiting for approval)."""
    draft = (await service.flow(tx=tx, org_id=org_id)).draft
    return frozenset(
        goal.index
        for goal in kept.goals
        if goal.rewrite is not None
        and goal.index < len(draft.goals)
        and draft.goals[goal.index].statement == goal.rewrite.statement
    )


def _offline(version: int, brief: Brief, language: str) -> Kept:
    return Kept(
        brief_version=version,
        language=language,
        source="offline",
        modules=tuple(recommend_modules(brief, language=language)),
        goals=tuple(recommend_goals(brief, language=language)),
    )


async def _computed(
    runner: AgentRunner, org_id: uuid.UUID, version: int, brief: Brief, language: str
) -> Kept:
    """The model's recommendations, or the rules' when it fails (logged, never an error)."""
    try:
        answer = await ask_model(runner, org_id=org_id, brief=brief, language=language)
    except BudgetExhaustedError:
        log.info("recommendations_offline", reason="budget", org_id=str(org_id), version=version)
        return _offline(version, brief, language)
    except ModelUnavailableError:
        log.warning(
            "recommendations_offline", reason="unavailable", org_id=str(org_id), version=version
        )
        return _offline(version, brief, language)
    modules, goals = accepted(answer, brief=brief, language=language)
    return Kept(
        brief_version=version,
        language=language,
        source="model",
        modules=tuple(modules),
        goals=tuple(goals),
    )


async def _claim(
    tx: AsyncSession, org_id: uuid.UUID, version: int, language: str
) -> uuid.UUID | None:
    """Claim the row for asking the model; None when someone else holds a fresh claim."""
    inserted = await tx.execute(
        insert(recommendations)
        .values(
            id=uuid.uuid4(),
            org_id=org_id,
            brief_version=version,
            language=language,
            state="computing",
        )
        .on_conflict_do_nothing(constraint=_ONE_PER_VERSION)
        .returning(recommendations.c.id)
    )
    claimed: uuid.UUID | None = inserted.scalar_one_or_none()
    if claimed is not None:
        return claimed
    taken_over = await tx.execute(
        update(recommendations)
        .where(
            recommendations.c.brief_version == version,
            recommendations.c.language == language,
            recommendations.c.state == "computing",
            recommendations.c.updated_at < func.now() - CLAIM_EXPIRES,
        )
        .values(updated_at=func.now())
        .returning(recommendations.c.id)
    )
    stale: uuid.UUID | None = taken_over.scalar_one_or_none()
    return stale


async def _reclaim_for_the_model(tx: AsyncSession, version: int, language: str) -> uuid.UUID | None:
    """Claim kept offline recommendations for another try of the model, when they are older
    than RETRY_MODEL_AFTER; None when they are fresher or someone else took them."""
    retried = await tx.execute(
        update(recommendations)
        .where(
            recommendations.c.brief_version == version,
            recommendations.c.language == language,
            recommendations.c.state == "ready",
            recommendations.c.source == "offline",
            recommendations.c.updated_at < func.now() - RETRY_MODEL_AFTER,
        )
        .values(state="computing", source=None, modules=None, goals=None, updated_at=func.now())
        .returning(recommendations.c.id)
    )
    claimed: uuid.UUID | None = retried.scalar_one_or_none()
    return claimed


async def _keep_at_once(tx: AsyncSession, org_id: uuid.UUID, kept: Kept) -> None:
    """Keep the offline rules' recommendations (no claim needed: nothing slow runs)."""
    await tx.execute(
        insert(recommendations)
        .values(id=uuid.uuid4(), org_id=org_id, **_row(kept))
        .on_conflict_do_nothing(constraint=_ONE_PER_VERSION)
    )


async def _store(tx: AsyncSession, claim: uuid.UUID, kept: Kept) -> None:
    row = _row(kept)
    await tx.execute(
        update(recommendations)
        .where(recommendations.c.id == claim, recommendations.c.state == "computing")
        .values(
            state=row["state"],
            source=row["source"],
            modules=row["modules"],
            goals=row["goals"],
            updated_at=func.now(),
        )
    )


def _row(kept: Kept) -> dict[str, Any]:
    return {
        "brief_version": kept.brief_version,
        "language": kept.language,
        "state": "ready",
        "source": kept.source,
        "modules": [{"module_id": m.module_id, "reason": m.reason} for m in kept.modules],
        "goals": [_goal_json(goal) for goal in kept.goals],
    }


def _goal_json(goal: GoalRecommendation) -> dict[str, Any]:
    rewrite = goal.rewrite
    return {
        "index": goal.index,
        "statement": goal.statement,
        "missing": list(goal.missing),
        "advice": goal.advice,
        "source": goal.source,
        "rewrite": None
        if rewrite is None
        else {
            "statement": rewrite.statement,
            "metric": rewrite.metric,
            "target": rewrite.target,
            "deadline": rewrite.deadline.isoformat() if rewrite.deadline else None,
        },
    }


def _goal_from(raw: dict[str, Any]) -> GoalRecommendation:
    rewrite = raw.get("rewrite")
    return GoalRecommendation(
        index=raw["index"],
        statement=raw["statement"],
        missing=tuple(raw["missing"]),
        advice=raw["advice"],
        source=raw["source"],
        rewrite=None
        if rewrite is None
        else GoalRewrite(
            statement=rewrite["statement"],
            metric=rewrite["metric"],
            target=rewrite["target"],
            deadline=dt.date.fromisoformat(rewrite["deadline"]) if rewrite["deadline"] else None,
        ),
    )


def _modules_from(raw: list[dict[str, Any]], language: str) -> tuple[ModuleRecommendation, ...]:
    # Names and statuses come from the catalogue as it is now; a module since removed from it
    # is left out.
    entries = {entry.module.id: entry for entry in load_catalogue().entries()}
    return tuple(
        ModuleRecommendation(
            module_id=item["module_id"],
            name=entries[item["module_id"]].module.name.in_language(language),
            status=entries[item["module_id"]].module.status,
            reason=item["reason"],
        )
        for item in raw
        if item["module_id"] in entries
    )
