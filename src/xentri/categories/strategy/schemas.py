"""Strategy API models."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from xentri.categories.strategy.domain import FieldChange, FlowAction, FlowState
from xentri.categories.strategy.interview_service import InterviewView
from xentri.categories.strategy.planning import Decision, Objective
from xentri.categories.strategy.recommendations_service import Kept
from xentri.categories.strategy.service import BriefVersion, Flow
from xentri.contracts.brief import Brief, BriefSection


class FlowRead(BaseModel):
    state: FlowState
    draft: Brief
    allowed: list[FlowAction]
    updated_at: datetime

    @classmethod
    def of(cls, flow: Flow) -> FlowRead:
        return cls(
            state=flow.state,
            draft=flow.draft,
            allowed=list(flow.allowed),
            updated_at=flow.updated_at,
        )


class BriefVersionRead(BaseModel):
    version: int
    document: Brief
    changed_sections: list[BriefSection]
    approved_by: uuid.UUID
    approved_at: datetime

    @classmethod
    def of(cls, version: BriefVersion) -> BriefVersionRead:
        return cls(
            version=version.version,
            document=version.document,
            changed_sections=list(version.changed_sections),
            approved_by=version.approved_by,
            approved_at=version.approved_at,
        )


class BriefVersionSummary(BaseModel):
    version: int
    changed_sections: list[BriefSection]
    approved_by: uuid.UUID
    approved_at: datetime


class FieldChangeRead(BaseModel):
    path: str
    before: Any
    after: Any

    @classmethod
    def of(cls, change: FieldChange) -> FieldChangeRead:
        return cls(path=change.path, before=change.before, after=change.after)


class BriefDiffRead(BaseModel):
    before: int
    after: int
    changes: list[FieldChangeRead]


class AnswerIn(BaseModel):
    text: str = Field(min_length=1, max_length=5000)
    language: Literal["en", "es"] | None = None  # unset: the caller's language

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Write an answer first.")
        return value


class BriefChangeIn(BaseModel):
    # Checked by the route, so a refusal comes back as a field error in the caller's language.
    words: str = Field(
        description="What to change, in English or Spanish, in 1 to 1000 characters.",
        json_schema_extra={"minLength": 1, "maxLength": 1000},
    )


class BriefChangeRead(BaseModel):
    state: FlowState
    draft: Brief
    source: Literal["model", "offline"] = Field(
        description="`model`: the configured model made the change; `offline`: the built-in "
        "rules did (no model configured, or it could not)."
    )
    summary: str = Field(description="What changed, in one line.")
    notice: str | None = Field(
        default=None, description="Why the built-in rules made it although a model is set up."
    )
    changed_sections: list[BriefSection]
    changes: list[FieldChangeRead]


class MessageRead(BaseModel):
    role: Literal["owner", "copilot"]
    content: str
    created_at: datetime


class InterviewRead(BaseModel):
    state: FlowState
    messages: list[MessageRead]
    question: str | None  # what the co-pilot waits for; None: enough to draft
    understood: str
    draft: Brief
    pending: bool = False  # an answer waits for its reply: POST /interview/reply gets it

    @classmethod
    def of(cls, view: InterviewView) -> InterviewRead:
        return cls(
            state=view.state,
            messages=[
                MessageRead(role=m.role, content=m.content, created_at=m.created_at)
                for m in view.messages
            ],
            question=view.question,
            understood=view.understood,
            draft=view.draft,
            pending=view.pending,
        )


class KeyResultIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    start_value: Decimal = Field(default=Decimal(0), max_digits=18, decimal_places=4)
    target_value: Decimal = Field(max_digits=18, decimal_places=4)
    current_value: Decimal | None = Field(default=None, max_digits=18, decimal_places=4)


class ObjectiveIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    brief_goal: str | None = Field(default=None, max_length=500)
    due_on: date | None = None
    key_results: list[KeyResultIn] = Field(default_factory=list, max_length=10)


class ProgressIn(BaseModel):
    current_value: Decimal = Field(max_digits=18, decimal_places=4)


class KeyResultRead(BaseModel):
    id: uuid.UUID
    title: str
    unit: str | None
    start_value: Decimal
    target_value: Decimal
    current_value: Decimal
    progress: Decimal


class ObjectiveRead(BaseModel):
    id: uuid.UUID
    title: str
    description: str | None
    brief_goal: str | None
    due_on: date | None
    progress: Decimal
    key_results: list[KeyResultRead]

    @classmethod
    def of(cls, objective: Objective) -> ObjectiveRead:
        return cls(
            id=objective.id,
            title=objective.title,
            description=objective.description,
            brief_goal=objective.brief_goal,
            due_on=objective.due_on,
            progress=objective.progress.quantize(Decimal("0.0001")),
            key_results=[
                KeyResultRead(
                    id=kr.id,
                    title=kr.title,
                    unit=kr.unit,
                    start_value=kr.start_value,
                    target_value=kr.target_value,
                    current_value=kr.current_value,
                    progress=kr.progress.quantize(Decimal("0.0001")),
                )
                for kr in objective.key_results
            ],
        )


class DecisionIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    context: str | None = Field(default=None, max_length=5000)
    options: list[str] = Field(default_factory=list, max_length=20)
    decision: str = Field(min_length=1, max_length=5000)
    outcome: str | None = Field(default=None, max_length=5000)
    decided_on: date


class OutcomeIn(BaseModel):
    outcome: str = Field(min_length=1, max_length=5000)


class DecisionRead(BaseModel):
    id: uuid.UUID
    title: str
    context: str | None
    options: list[str]
    decision: str
    outcome: str | None
    decided_on: date
    decided_by: uuid.UUID

    @classmethod
    def of(cls, decision: Decision) -> DecisionRead:
        return cls(
            id=decision.id,
            title=decision.title,
            context=decision.context,
            options=list(decision.options),
            decision=decision.decision,
            outcome=decision.outcome,
            decided_on=decision.decided_on,
            decided_by=decision.decided_by,
        )


class ModuleRecommendationRead(BaseModel):
    module_id: str
    name: str
    status: str
    reason: str


class GoalRewriteRead(BaseModel):
    statement: str
    metric: str | None
    target: str | None
    deadline: date | None


class GoalRecommendationRead(BaseModel):
    index: int = Field(description="The goal's place in the Brief's goals (0 is the first).")
    statement: str = Field(description="The goal as the approved Brief states it.")
    missing: list[str] = Field(description="What the goal still lacks: target, deadline.")
    advice: str
    rewrite: GoalRewriteRead | None = Field(
        description="A SMART wording to use instead (None when a number or date is missing)."
    )
    source: Literal["model", "offline"]


class RecommendationsRead(BaseModel):
    brief_version: int
    language: str
    source: Literal["model", "offline"] = Field(
        description="model: the configured model wrote them; offline: the built-in rules."
    )
    modules: list[ModuleRecommendationRead]
    goals: list[GoalRecommendationRead]

    @classmethod
    def of(cls, kept: Kept) -> RecommendationsRead:
        return cls(
            brief_version=kept.brief_version,
            language=kept.language,
            source="model" if kept.source == "model" else "offline",
            modules=[ModuleRecommendationRead(**vars(module)) for module in kept.modules],
            goals=[
                GoalRecommendationRead(
                    index=goal.index,
                    statement=goal.statement,
                    missing=list(goal.missing),
                    advice=goal.advice,
                    rewrite=GoalRewriteRead(**vars(goal.rewrite)) if goal.rewrite else None,
                    source="model" if goal.source == "model" else "offline",
                )
                for goal in kept.goals
            ],
        )


class RewriteApplyIn(BaseModel):
    brief_version: int = Field(
        ge=1, description="The approved version the rewrite was recommended for."
    )
