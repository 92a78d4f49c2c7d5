"""Interview use cases: every turn is stored as it happens, so nothing an owner said is lost
when the connection drops, and the conversation resumes where it stopped."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import structlog
from redis.asyncio import Redis
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
from xentri.categories.strategy.service import Flow, flow, locked_flow
from xentri.categories.strategy.tables import brief_flows, brief_messages
from xentri.contracts.brief import Brief
from xentri.identity.tables import organizations
from xentri.kernel.db.tenant import Transactions
from xentri.kernel.errors import DomainError

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
    pending: bool = False  # an answer waits for the co-pilot's reply (see `reply`)


async def view(*, tx: AsyncSession, org_id: uuid.UUID, language: Language) -> InterviewView:
    """The conversation so far, and the question it waits on (a new one: the first question)."""
    current_flow = await flow(tx=tx, org_id=org_id)
    known, stored = _state(current_flow.interview, language)
    pending = pending_of(current_flow.interview) is not None
    if _by_model(current_flow.interview):
        # The configured model chose the question; the offline engine would choose another.
        return InterviewView(
            current_flow.state,
            await _messages(tx),
            stored.text if stored else None,
            summary(known, language=language),
            current_flow.draft,
            stored.id if stored else None,
            pending,
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
        pending,
    )


# Longer than a model call can take with its retries (60 s x 4 by default): a claim older than
# this was left by a process that stopped.
CLAIM_SECONDS = 300
_WAIT_STEP = 0.25


class ReplyPendingError(DomainError):
    status = 409
    code = "reply-pending"
    title = "The co-pilot is still replying"


@dataclass(frozen=True)
class Pending:
    """An answer stored and waiting for the co-pilot's reply."""

    message_id: uuid.UUID
    text: str
    language: Language

    def dump(self) -> dict[str, str]:
        return {"message_id": str(self.message_id), "text": self.text, "language": self.language}


async def take(*, tx: AsyncSession, org_id: uuid.UUID, text: str, language: Language) -> Pending:
    """Store the owner's answer, before any model reads it: the first half of a turn.

    The answer is kept even if the reply never comes (the connection drops, the process stops):
    the page shows it with a way to get the reply (`reply`). A second answer while one waits
    is refused (409 reply-pending), so two answers never race for one question."""
    current = await locked_flow(tx, org_id)
    state = next_state(current.state, FlowAction.ANSWER)
    if pending_of(current.interview) is not None:
        raise ReplyPendingError(
            "The co-pilot is still replying to your last answer. Wait for it, then answer."
        )
    known, question = _state(current.interview, language)
    if not await _messages(tx):  # answered before the opening was shown: ask it first
        opening = interview.opening(known, language=language)
        await _say(tx, org_id, "copilot", opening.reply, language)
        question = opening.question
    pending = Pending(await _say(tx, org_id, "owner", text, language), text, language)
    stored = dict(current.interview or {})
    stored.update(
        known=known.model_dump(mode="json"),
        question=question.model_dump(mode="json") if question else None,
        pending=pending.dump(),
    )
    await tx.execute(
        update(brief_flows)
        .where(brief_flows.c.org_id == org_id)
        .values(state=state.value, interview=stored)
    )
    return pending


async def reply(
    *,
    transactions: Transactions,
    org_id: uuid.UUID,
    today: dt.date,
    model: InterviewModel | None = None,
    streamed: bool = False,
    redis: Redis | None = None,
) -> AsyncIterator[str]:
    """The second half of a turn: the reply to the waiting answer, its text as it is written,
    then the turn stored (the facts merged, the next question) when the iterator ends.

    No transaction is held while a model writes: the flow is read, the model called, and the
    turn stored in a new transaction, only if that answer is still the one waiting (a reply
    finished meanwhile in another tab wins; this one is dropped). With nothing waiting it
    yields nothing. With `model` (a configured cloud model) the model reads the answer and
    asks next, streamed token by token when `streamed`; the offline engine takes any turn the
    model cannot (see _model_turn).

    With `redis`, one reply per answer is written at a time: a second ask while the first is
    writing (a reload mid-reply) waits for it to be stored, yielding nothing, instead of paying
    for the same reply twice. A claim left by a process that stopped expires."""
    async with transactions() as tx:
        current = await flow(tx=tx, org_id=org_id)
    pending = pending_of(current.interview)
    if pending is None or current.state is not FlowState.CONVERSING:
        return
    claim = f"strategy:interview-reply:{pending.message_id}"
    if redis is not None and not await redis.set(claim, "1", nx=True, ex=CLAIM_SECONDS):
        await _until_answered(transactions, org_id, pending, redis, claim)
        return
    try:
        written = _write_reply(
            transactions, org_id, current, pending, today=today, model=model, streamed=streamed
        )
        async for text in written:
            yield text
    finally:
        if redis is not None:
            await redis.delete(claim)


async def _until_answered(
    transactions: Transactions, org_id: uuid.UUID, pending: Pending, redis: Redis, claim: str
) -> None:
    """Wait while another task writes the reply to `pending`: until it is stored, or that task
    is gone (its claim released or expired; the answer then still waits, to be asked again)."""
    deadline = asyncio.get_running_loop().time() + CLAIM_SECONDS
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(_WAIT_STEP)
        async with transactions() as tx:
            waiting = pending_of((await flow(tx=tx, org_id=org_id)).interview)
        if waiting is None or waiting.message_id != pending.message_id:
            return
        if not await redis.exists(claim):
            return


async def _write_reply(
    transactions: Transactions,
    org_id: uuid.UUID,
    current: Flow,
    pending: Pending,
    *,
    today: dt.date,
    model: InterviewModel | None,
    streamed: bool,
) -> AsyncIterator[str]:
    async with transactions() as tx:
        currency = await tx.scalar(
            select(organizations.c.currency).where(organizations.c.id == org_id)
        )
    known, question = _state(current.interview, pending.language)
    turn = _Turn(current.draft, known, question, pending.text, pending.language, today, currency)
    outcome: _Outcome | None = None
    if model is not None:
        async for item in _model_turn(org_id, model, turn, streamed=streamed):
            if isinstance(item, str):
                yield item
            else:
                outcome = item
    else:
        outcome = _offline(turn, turn.question)
        yield outcome.reply
    assert outcome is not None
    async with transactions() as tx:
        locked = await locked_flow(tx, org_id)
        waiting = pending_of(locked.interview)
        if waiting is None or waiting.message_id != pending.message_id:
            return  # answered meanwhile (another tab): that reply stands
        await _say(tx, org_id, "copilot", outcome.reply, pending.language)
        await _save(
            tx,
            org_id,
            state=FlowState.CONVERSING,
            draft=outcome.draft,
            known=outcome.known,
            question=outcome.question,
            by_model=model is not None,
        )


def pending_of(raw: dict[str, Any] | None) -> Pending | None:
    """The answer waiting for a reply, if any."""
    found = (raw or {}).get("pending")
    if not found:
        return None
    return Pending(uuid.UUID(found["message_id"]), found["text"], found["language"])


@dataclass(frozen=True)
class _Turn:
    draft: Brief
    known: KnownFacts
    question: Question | None
    text: str
    language: Language
    today: dt.date
    currency: str | None


@dataclass(frozen=True)
class _Outcome:
    draft: Brief
    known: KnownFacts
    question: Question | None
    reply: str


def _offline(
    turn: _Turn, question: Question | None, *, model_draft: bool = False, notice: str = ""
) -> _Outcome:
    """The offline engine's turn; on a draft a model wrote (`model_draft`), its facts are
    merged into it so what only the model could hold stays."""
    if question is not None and question.id == MODEL_QUESTION:
        # The model asked it (and failed, or the operator went back to the offline engine).
        question = next_question(turn.known, language=turn.language)
    offline = interview.answer(
        turn.known,
        question,
        turn.text,
        language=turn.language,
        today=turn.today,
        default_currency=turn.currency,
    )
    rebuilt = interview.brief_from(offline.known)
    draft = rebuilt
    if model_draft:
        try:
            draft = brief_patch.merge(turn.draft, rebuilt)
        except ValueError:
            draft = rebuilt
    return _Outcome(draft, offline.known, offline.question, notice + offline.reply)


async def _model_turn(
    org_id: uuid.UUID, model: InterviewModel, turn: _Turn, *, streamed: bool
) -> AsyncIterator[str | _Outcome]:
    """The configured model's turn: its reply's text as it comes (when `streamed`), then the
    outcome. Output that would not make a valid Brief is logged and the offline engine takes
    the turn; so does a provider failure or a spent budget, with a line in the chat saying so.
    Either way the owner's answer is kept and the interview goes on. Text already streamed
    from a failed call is superseded by the stored reply the caller shows at the end."""
    language = turn.language
    notice, step = "", None
    question = turn.question.text if turn.question else None
    try:
        if streamed:
            async for item in model.stream(
                org_id=org_id,
                draft=turn.draft,
                question=question,
                text=turn.text,
                language=language,
            ):
                if isinstance(item, str):
                    yield item
                else:
                    step = item
        else:
            step = await model.step(
                org_id=org_id,
                draft=turn.draft,
                question=question,
                text=turn.text,
                language=language,
            )
    except BudgetExhaustedError:
        notice = _MODEL_RESTING[language]
    except ModelUnavailableError:
        notice = _MODEL_DOWN[language]
    draft = None
    if step is not None:
        try:
            draft = brief_patch.merge(turn.draft, step.facts)
        except ValueError as exc:
            log.warning("interview_model_output_refused", org_id=str(org_id), error=str(exc))
    if step is not None and draft is not None:
        known = known_from(draft, asked=turn.known.asked, language=language)
        following = None if step.complete else _model_question(known, step.reply, language)
        yield _Outcome(draft, known, following, step.reply)
        return
    outcome = _offline(turn, turn.question, model_draft=True, notice=notice)
    if streamed:
        yield outcome.reply
    yield outcome


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
) -> uuid.UUID:
    message_id = uuid.uuid4()
    await tx.execute(
        brief_messages.insert().values(
            id=message_id,
            org_id=org_id,
            role=role,
            content=content,
            language=language,
            created_at=dt.datetime.now(dt.UTC),
        )
    )
    return message_id


async def _messages(tx: AsyncSession) -> list[Message]:
    rows = (
        await tx.execute(
            select(
                brief_messages.c.role, brief_messages.c.content, brief_messages.c.created_at
            ).order_by(brief_messages.c.created_at, brief_messages.c.id)
        )
    ).all()
    return [Message(row.role, row.content, row.created_at) for row in rows]
