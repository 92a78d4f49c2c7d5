"""The Strategy Co-pilot's recommendations on a configured model: one structured call per Brief
version and language (see recommendations_service and ADR 0026) returning the modules to start
with, each with a reason from this Brief, and a SMART rewrite of each goal that needs one.

What comes back is checked before it is kept: unknown or repeated module ids are dropped, and a
rewrite that states a number or a date the owner never gave (digits that are nowhere in the
Brief) is refused, so that goal gets the offline advice. The call's own failures are the
caller's to turn into the offline rules.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import structlog
from pydantic import BaseModel, Field

from xentri.ai.runner import AgentRequest, AgentRunner
from xentri.catalog import load_catalogue
from xentri.categories.strategy.model_runner import AGENT_ID, LANGUAGE_NAMES
from xentri.categories.strategy.recommendations import (
    MAX_MODULES,
    GoalRecommendation,
    GoalRewrite,
    ModuleRecommendation,
    asking,
    missing_parts,
    needs_work,
    numbers_in,
    recommend_goals,
    recommend_modules,
)
from xentri.contracts.brief import Brief, Goal

log = structlog.get_logger("xentri.strategy.recommendations")

INSTRUCTIONS = """\
You are Xentri's Strategy Co-pilot. From the owner's approved Universal Brief you recommend:

- `modules`: the catalogue modules this business should start with, most useful first (at most
  {max_modules}). Use ONLY ids from `catalogue`. Each `reason` is one short sentence that names
  something from this Brief (what they sell, who buys, a goal, the city), written in {language}.
- `goals`: for each goal in `goals_to_sharpen` (by its `goal` number), a SMART rewrite:
  `statement` (specific, with its number and date when they are known), `metric`, `target`,
  `deadline` (ISO date), and `advice`: one sentence in {language} saying what is still missing
  and asking the owner for it. NEVER invent a number or a date: use only numbers and dates the
  Brief states; leave `target` or `deadline` empty when the owner never gave one.
Write every text in {language}.
"""


class ModulePick(BaseModel):
    module_id: str = Field(max_length=100)
    reason: str = Field(min_length=1, max_length=300)


class GoalAdvice(BaseModel):
    goal: int = Field(ge=0)
    statement: str | None = Field(default=None, max_length=500)
    metric: str | None = Field(default=None, max_length=200)
    target: str | None = Field(default=None, max_length=100)
    deadline: dt.date | None = None
    advice: str | None = Field(default=None, max_length=500)


class CopilotRecommendations(BaseModel):
    """What the model returns for one Brief version."""

    modules: list[ModulePick] = Field(default_factory=list, max_length=20)
    goals: list[GoalAdvice] = Field(default_factory=list, max_length=100)


async def ask_model(
    runner: AgentRunner, *, org_id: uuid.UUID, brief: Brief, language: str
) -> CopilotRecommendations:
    """One call; raises the runner's ModelUnavailableError / BudgetExhaustedError."""
    prompt = json.dumps(
        {
            "brief": brief.model_dump(mode="json", exclude_defaults=True),
            "catalogue": [
                {
                    "id": entry.module.id,
                    "name": entry.module.name.in_language("en"),
                    "category": entry.category_id,
                }
                for entry in load_catalogue().entries()
            ],
            "goals_to_sharpen": [
                {"goal": index, **goal.model_dump(mode="json", exclude_defaults=True)}
                for index, goal in enumerate(brief.goals)
                if needs_work(goal)
            ],
        },
        ensure_ascii=False,
    )
    request = AgentRequest(
        org_id=org_id,
        agent_id=AGENT_ID,
        instructions=INSTRUCTIONS.format(
            language=LANGUAGE_NAMES["es" if language == "es" else "en"], max_modules=MAX_MODULES
        ),
        prompt=prompt,
    )
    return await runner.structured(request, CopilotRecommendations)


def accepted(
    found: CopilotRecommendations, *, brief: Brief, language: str
) -> tuple[list[ModuleRecommendation], list[GoalRecommendation]]:
    """The model's recommendations that hold up, the offline ones where they do not."""
    return _modules(found, brief, language), _goals(found, brief, language)


def _modules(
    found: CopilotRecommendations, brief: Brief, language: str
) -> list[ModuleRecommendation]:
    entries = {entry.module.id: entry for entry in load_catalogue().entries()}
    kept: list[ModuleRecommendation] = []
    for pick in found.modules:
        entry = entries.get(pick.module_id)
        if entry is None or any(k.module_id == pick.module_id for k in kept):
            log.info("recommended_module_dropped", module_id=pick.module_id)
            continue
        kept.append(
            ModuleRecommendation(
                module_id=pick.module_id,
                name=entry.module.name.in_language(language),
                status=entry.module.status,
                reason=pick.reason.strip(),
            )
        )
    if not kept:
        # Nothing usable: the rules still know what fits this Brief.
        return recommend_modules(brief, language=language)
    return kept[:MAX_MODULES]


def _goals(found: CopilotRecommendations, brief: Brief, language: str) -> list[GoalRecommendation]:
    offline = {rec.index: rec for rec in recommend_goals(brief, language=language)}
    stated = numbers_in(json.dumps(brief.model_dump(mode="json"), ensure_ascii=False))
    by_goal: dict[int, GoalAdvice] = {}
    for given in found.goals:
        by_goal.setdefault(given.goal, given)
    chosen: list[GoalRecommendation] = []
    for index, fallback in offline.items():
        advice = by_goal.get(index)
        rewrite = _rewrite(advice, brief.goals[index], stated) if advice else None
        if advice is None or rewrite is None:
            chosen.append(fallback)
            continue
        missing = missing_parts(
            Goal(statement=rewrite.statement, target=rewrite.target, deadline=rewrite.deadline)
        )
        told = (advice.advice or "").strip()
        if not told or not numbers_in(told) <= stated:
            told = asking(missing, rewrite.statement, language) if missing else ""
        chosen.append(
            GoalRecommendation(
                index=index,
                statement=fallback.statement,
                missing=missing,
                advice=told,
                rewrite=rewrite,
                source="model",
            )
        )
    return chosen


def _rewrite(advice: GoalAdvice, goal: Goal, stated: set[str]) -> GoalRewrite | None:
    """The model's rewrite, or None when it has none or states a number the Brief does not."""
    statement = (advice.statement or "").strip()
    if not statement:
        return None
    said = " ".join(part or "" for part in (statement, advice.metric, advice.target))
    numbers = numbers_in(said)
    if advice.deadline is not None:
        day = advice.deadline
        numbers |= numbers_in(f"{day.year} {day.month} {day.day}")
    if not numbers <= stated:
        log.info("goal_rewrite_refused", goal=goal.statement, invented=sorted(numbers - stated)[:5])
        return None
    return GoalRewrite(
        statement=statement,
        metric=(advice.metric or "").strip() or goal.metric,
        target=(advice.target or "").strip() or goal.target,
        deadline=advice.deadline or goal.deadline,
    )
