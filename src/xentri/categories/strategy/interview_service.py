"""Interview use cases: every turn is stored as it happens, so nothing an owner said is lost
when the connection drops, and the conversation resumes where it stopped."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.offline import KnownFacts, Language, Question
from xentri.categories.strategy import interview
from xentri.categories.strategy.domain import FlowAction, FlowState, next_state
from xentri.categories.strategy.service import flow, locked_flow
from xentri.categories.strategy.tables import brief_flows, brief_messages
from xentri.contracts.brief import Brief
from xentri.identity.tables import organizations


@dataclass(frozen=True)
class Message:
    role: str
    content: str
    created_at: dt.datetime


@dataclass(frozen=True)
class InterviewView:
    state: FlowState
    messages: list[Message]
    question: str | None  # what the co-pilot is waiting for; None: ready to draft
    understood: str
    draft: Brief
    question_id: str | None = None  # "identity.name", "offerings.price.0"…


async def view(*, tx: AsyncSession, org_id: uuid.UUID, language: Language) -> InterviewView:
    """The conversation so far, and the question it waits on (a new one: the first question)."""
    current_flow = await flow(tx=tx, org_id=org_id)
    known, _question = _state(current_flow.interview, language)
    turn = interview.opening(known, language=language)
    messages = await _messages(tx)
    if not messages:
        # Shown, not stored: the opening is stored with the first answer (a read writes nothing).
        messages = [Message("copilot", turn.reply, dt.datetime.now(dt.UTC))]
    question = turn.question.text if turn.question else None
    return InterviewView(
        current_flow.state,
        messages,
        question,
        turn.understood,
        current_flow.draft,
        turn.question.id if turn.question else None,
    )


async def answer(
    *, tx: AsyncSession, org_id: uuid.UUID, text: str, language: Language, today: dt.date
) -> InterviewView:
    """Take one answer: merge it, rebuild the draft, ask the next question (409 once drafted)."""
    current = await locked_flow(tx, org_id)
    state = next_state(current.state, FlowAction.ANSWER)
    known, question = _state(current.interview, language)
    if not await _messages(tx):  # answered before the opening was shown: ask it first
        opening = interview.opening(known, language=language)
        await _say(tx, org_id, "copilot", opening.reply, language)
        question = opening.question
    currency = await tx.scalar(select(organizations.c.currency).where(organizations.c.id == org_id))
    turn = interview.answer(
        known, question, text, language=language, today=today, default_currency=currency
    )
    draft = interview.brief_from(turn.known)
    await _say(tx, org_id, "owner", text, language)
    await _say(tx, org_id, "copilot", turn.reply, language)
    await _save(tx, org_id, state=state, draft=draft, known=turn.known, question=turn.question)
    question_text = turn.question.text if turn.question else None
    return InterviewView(
        state,
        await _messages(tx),
        question_text,
        turn.understood,
        draft,
        turn.question.id if turn.question else None,
    )


def _state(raw: dict[str, Any] | None, language: Language) -> tuple[KnownFacts, Question | None]:
    if not raw:
        return KnownFacts(language=language), None
    known = KnownFacts.model_validate(raw["known"])
    question = Question.model_validate(raw["question"]) if raw.get("question") else None
    return known, question


async def _save(
    tx: AsyncSession,
    org_id: uuid.UUID,
    *,
    state: FlowState,
    draft: Brief,
    known: KnownFacts,
    question: Question | None,
) -> None:
    await tx.execute(
        update(brief_flows)
        .where(brief_flows.c.org_id == org_id)
        .values(
            state=state.value,
            draft=draft.model_dump(mode="json"),
            interview={
                "known": known.model_dump(mode="json"),
                "question": question.model_dump(mode="json") if question else None,
            },
        )
    )


async def _say(
    tx: AsyncSession, org_id: uuid.UUID, role: str, content: str, language: Language
) -> None:
    await tx.execute(
        brief_messages.insert().values(
            id=uuid.uuid4(),
            org_id=org_id,
            role=role,
            content=content,
            language=language,
            created_at=dt.datetime.now(dt.UTC),
        )
    )


async def _messages(tx: AsyncSession) -> list[Message]:
    rows = (
        await tx.execute(
            select(
                brief_messages.c.role, brief_messages.c.content, brief_messages.c.created_at
            ).order_by(brief_messages.c.created_at, brief_messages.c.id)
        )
    ).all()
    return [Message(row.role, row.content, row.created_at) for row in rows]
