"""Strategy API models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from xentri.categories.strategy.domain import FieldChange, FlowAction, FlowState
from xentri.categories.strategy.interview_service import InterviewView
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
        )
