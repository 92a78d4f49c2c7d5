"""Copilot API models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from xentri.contracts.brief import BriefSection

Language = Literal["en", "es"]


class AskContext(BaseModel):
    """What the asker is looking at; the recent events the copilot reads itself, server-side."""

    brief_section: BriefSection | None = None


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=4000)
    language: Language | None = None  # unset: the caller's language (Accept-Language)
    context: AskContext | None = None


class ThreadCreate(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)


class MessageCreate(BaseModel):
    content: str = Field(min_length=1, max_length=4000)
    language: Language | None = None
    context: AskContext | None = None


class MessageRead(BaseModel):
    id: uuid.UUID
    role: Literal["user", "assistant"]
    content: str
    created_at: datetime


class ThreadRead(BaseModel):
    id: uuid.UUID
    scope: str
    title: str
    created_at: datetime
    updated_at: datetime


class ThreadDetail(ThreadRead):
    messages: list[MessageRead]


class ThreadPage(BaseModel):
    items: list[ThreadRead]
    next_cursor: str | None  # pass as ?before= for the next (older) page


class RecentEvent(BaseModel):
    type: str
    occurred_at: datetime


class CopilotContextRead(BaseModel):
    """Who answers at a scope and the recent events it will read with the question."""

    scope: str
    agent_id: str
    agent_name: str
    events: list[RecentEvent]
