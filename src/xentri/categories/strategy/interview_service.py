"""Interview use cases: every turn is stored as it happens, so nothing an owner said is lost
when the connection drops, and the conversation resumes where it stopped."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.errors import BudgetExhaustedError, ModelUnavailableError
from xentri.ai.offline import (
    BriefSection,
    KnownFacts,
    Language,
    Question,
    next_question,
    summary,
)
from xentri.categories.strategy import brief_patch, interview
from xentri.categories.strategy.domain import FlowAction, FlowState, next_state
from xentri.categories.strategy.interview_model import InterviewModel, known_from
from xentri.categories.strategy.service import flow, locked_flow
from xentri.categories.strategy.tables import brief_flows, brief_messages
from xentri.contracts.brief import Brief
from xentri.identity.tables import organizations

log = structlog.get_logger("xentri.strategy")

MODEL_QUESTION = "model"  # the id of a question the configured model wrote
_MODEL_DOWN = {
    "en": (
        "(Your configured assistant is not answering right now, so the built-in one took this "
        "answer; nothing you wrote is lost.) "
    ),
    "es": (
        "(Tu asistente configurado no responde en este momento, así que el asistente integrado "
        "tomó esta respuesta; no se perdió nada de lo que escribiste.) "
    ),
}
_MODEL_RESTING = {
    "en": (
        "(Your assistant is on a break until its budget renews, so the built-in one took this "
        "answer; nothing you wrote is lost.) "
    ),
    "es": (
        "(Tu asistente está en pausa hasta que se renueve su presupuesto, así que el asistente "
        "integrado tomó esta respuesta; no se perdió nada de lo que escribiste.) "
    ),
}


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
    known, stored = _state(current_flow.interview, language)
    if _by_model(current_flow.interview):
        # The configured model chose the question; the offline engine would choose another.
        return InterviewView(
            current_flow.state,
            await _messages(tx),
            stored.text if stored else None,
            summary(known, language=language),
            current_flow.draft,
            stored.id if stored else None,
        )
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
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    text: str,
    language: Language,
    today: dt.date,
    model: InterviewModel | None = None,
) -> InterviewView:
    """Take one answer: merge it, rebuild the draft, ask the next question (409 once drafted).

    With `model` (a configured cloud model) the model reads the answer and asks next; the
    offline engine takes any turn the model cannot (see _answer_by_model)."""
    current = await locked_flow(tx, org_id)
    state = next_state(current.state, FlowAction.ANSWER)
    known, question = _state(current.interview, language)
    if not await _messages(tx):  # answered before the opening was shown: ask it first
        opening = interview.opening(known, language=language)
        await _say(tx, org_id, "copilot", opening.reply, language)
        question = opening.question
    currency = await tx.scalar(select(organizations.c.currency).where(organizations.c.id == org_id))
    if model is not None:
        return await _answer_by_model(
            tx,
            org_id,
            model,
            _Turn(current.draft, known, question, text, language, today, currency),
            state,
        )
    if question is not None and question.id == MODEL_QUESTION:
        # The model asked it, and the operator has since gone back to the offline engine.
        question = next_question(known, language=language)
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


@dataclass(frozen=True)
class _Turn:
    draft: Brief
    known: KnownFacts
    question: Question | None
    text: str
    language: Language
    today: dt.date
    currency: str | None


async def _answer_by_model(
    tx: AsyncSession, org_id: uuid.UUID, model: InterviewModel, turn: _Turn, state: FlowState
) -> InterviewView:
    """The configured model's turn. Output that would not make a valid Brief is logged and the
    offline engine takes the turn; so does a provider failure or a spent budget, with a line in
    the chat saying so. Either way the owner's answer is stored and the interview goes on."""
    language = turn.language
    notice, draft, asked = "", None, turn.known.asked
    try:
        step = await model.step(
            org_id=org_id,
            draft=turn.draft,
            question=turn.question.text if turn.question else None,
            text=turn.text,
            language=language,
        )
    except BudgetExhaustedError:
        notice = _MODEL_RESTING[language]
    except ModelUnavailableError:
        notice = _MODEL_DOWN[language]
    else:
        try:
            draft = brief_patch.merge(turn.draft, step.facts)
        except ValueError as exc:
            log.warning("interview_model_output_refused", org_id=str(org_id), error=str(exc))
    if draft is not None:
        known = known_from(draft, asked=asked, language=language)
        question = None if step.complete else _model_question(known, step.reply, language)
        reply = step.reply
    else:
        offline_question = turn.question
        if offline_question is None or offline_question.id == MODEL_QUESTION:
            offline_question = next_question(turn.known, language=language)
        offline = interview.answer(
            turn.known,
            offline_question,
            turn.text,
            language=language,
            today=turn.today,
            default_currency=turn.currency,
        )
        try:
            draft = brief_patch.merge(turn.draft, interview.brief_from(offline.known))
        except ValueError:
            draft = interview.brief_from(offline.known)
        known, question, reply = offline.known, offline.question, notice + offline.reply
    await _say(tx, org_id, "owner", turn.text, language)
    await _say(tx, org_id, "copilot", reply, language)
    await _save(tx, org_id, state=state, draft=draft, known=known, question=question, by_model=True)
    return InterviewView(
        state,
        await _messages(tx),
        question.text if question else None,
        summary(known, language=language),
        draft,
        question.id if question else None,
    )


def _model_question(known: KnownFacts, text: str, language: Language) -> Question:
    # Filed under the section the offline engine would ask about next (the model's own choice
    # is free text).
    following = next_question(known, language=language)
    return Question(
        id=MODEL_QUESTION,
        section=following.section if following else BriefSection.IDENTITY,
        kind="missing",
        text=text,
        reason="asked by the configured model",
        language=language,
    )


def _by_model(raw: dict[str, Any] | None) -> bool:
    return raw is not None and raw.get("by") == "model"


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
    by_model: bool = False,
) -> None:
    stored: dict[str, Any] = {
        "known": known.model_dump(mode="json"),
        "question": question.model_dump(mode="json") if question else None,
    }
    if by_model:  # the view shows the stored question, not the offline engine's next one
        stored["by"] = "model"
    await tx.execute(
        update(brief_flows)
        .where(brief_flows.c.org_id == org_id)
        .values(state=state.value, draft=draft.model_dump(mode="json"), interview=stored)
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
