"""Changes to the Brief asked for in words, and their undo (ADR 0027).

In three steps, so a model call never runs while the flow's row is locked or a transaction is
open: `draft_to_change` reads the draft (409 when the flow cannot be edited), `propose` asks
the configured model outside any transaction, and `apply` changes the draft in one transaction,
refusing the model's change (409) when the draft changed meanwhile. When there is no model, or
it fails, is out of budget, or proposes a change that is invalid or loses what the words did not
name (brief_guard), the offline rules (change_words) read the words instead, inside `apply`,
and the change carries a notice saying why.

The change just made is kept in the flow row's `interview` JSON under "last_change" (the draft
before and after, the words, the source and summary), so the page can show it with Undo and an
undo can check the draft did not change since.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Any, Literal

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.errors import BudgetExhaustedError, ModelUnavailableError
from xentri.ai.offline import KnownFacts, Language
from xentri.categories.strategy import editing
from xentri.categories.strategy.brief_guard import losses
from xentri.categories.strategy.change_model import ChangeModel, changed_draft
from xentri.categories.strategy.change_words import apply_words
from xentri.categories.strategy.domain import FlowState, IllegalTransitionError
from xentri.categories.strategy.service import Flow, flow, locked_flow
from xentri.categories.strategy.tables import brief_flows
from xentri.contracts.brief import Brief
from xentri.contracts.events import Actor
from xentri.identity.tables import organizations
from xentri.kernel.errors import DomainError

log = structlog.get_logger("xentri.strategy")

Source = Literal["model", "offline"]
# Why the offline rules read the words although a model is configured.
Notice = Literal["model_down", "model_resting", "model_invalid", "model_refused"]
_KEY = "last_change"


class DraftChangedError(DomainError):
    status = 409
    code = "brief-changed-meanwhile"
    title = "The Brief changed meanwhile"


class NotUnderstoodError(DomainError):
    status = 422
    code = "words-not-understood"
    title = "Nothing to change"

    def __init__(self, detail: str, *, notice: Notice | None) -> None:
        super().__init__(detail)
        self.notice = notice


class NothingToUndoError(DomainError):
    status = 409
    code = "nothing-to-undo"
    title = "Nothing to undo"


class UndoRefusedError(DomainError):
    status = 409
    code = "undo-refused"
    title = "The change can no longer be undone"

    def __init__(self, detail: str, *, approved: bool) -> None:
        super().__init__(detail)
        self.approved = approved


@dataclass(frozen=True)
class Proposal:
    """What the configured model proposed, worked out outside any transaction."""

    draft: Brief | None  # the model's changed draft; None: the offline rules read the words
    summary: str | None = None
    notice: Notice | None = None


@dataclass(frozen=True)
class Change:
    words: str
    before: Brief
    after: Brief
    source: Source
    summary: str | None  # the model's line; None for the offline rules (the page words one)
    notice: Notice | None
    undone: bool = False

    def stored(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "before": self.before.model_dump(mode="json"),
            "after": self.after.model_dump(mode="json"),
            "source": self.source,
            "summary": self.summary,
            "notice": self.notice,
            "undone": self.undone,
        }

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Change:
        return cls(
            words=raw["words"],
            before=Brief.model_validate(raw["before"]),
            after=Brief.model_validate(raw["after"]),
            source=raw["source"],
            summary=raw.get("summary"),
            notice=raw.get("notice"),
            undone=bool(raw.get("undone")),
        )


async def draft_to_change(*, tx: AsyncSession, org_id: uuid.UUID) -> Brief:
    """The draft a change will be made to; 409 while the flow cannot be edited."""
    current = await flow(tx=tx, org_id=org_id)
    if current.state not in editing.EDITABLE:
        raise IllegalTransitionError(
            "Finish the interview (or ask for the draft) before editing the Brief.",
            state=current.state.value,
            allowed=[a.value for a in current.allowed],
        )
    return current.draft


async def propose(
    *,
    model: ChangeModel | None,
    org_id: uuid.UUID,
    draft: Brief,
    words: str,
    language: Language,
) -> Proposal:
    """The model's change to `draft`, checked; call it with no transaction open."""
    if model is None:
        return Proposal(None)
    notice: Notice
    try:
        answer = await model.propose(org_id=org_id, draft=draft, words=words, language=language)
    except BudgetExhaustedError:
        notice = "model_resting"
    except ModelUnavailableError:
        notice = "model_down"
    else:
        try:
            changed = changed_draft(draft, answer)
        except ValueError as exc:
            log.warning("brief_change_output_refused", org_id=str(org_id), error=str(exc))
            notice = "model_invalid"
        else:
            if changed == draft:  # the model made nothing of it: the rules may
                return Proposal(None)
            if lost := losses(draft, changed, words):
                log.warning("brief_change_would_lose", org_id=str(org_id), paths=list(lost))
                notice = "model_refused"
            else:
                return Proposal(changed, answer.summary.strip())
    return Proposal(None, notice=notice)


async def apply(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    read: Brief,
    proposal: Proposal,
    words: str,
    language: Language,
    today: dt.date,
    currency: str | None,
    actor: Actor,
) -> tuple[Flow, Change]:
    """Make the change in the draft (opening it for editing); 409 when the model's change was
    made to a draft that has changed since `read`, 422 when nothing could be made of the words."""

    def change(draft: Brief) -> Brief:
        if proposal.draft is not None:
            if draft != read:
                raise DraftChangedError(
                    "The Brief changed while your assistant was working on it; try again."
                )
            return proposal.draft
        return apply_words(draft, words, today=today, default_currency=currency, language=language)

    changed, before = await editing.change_draft(tx=tx, org_id=org_id, change=change, actor=actor)
    if changed.draft == before:
        raise NotUnderstoodError(
            "Nothing in the words could be turned into a change.", notice=proposal.notice
        )
    made = Change(
        words=words,
        before=before,
        after=changed.draft,
        source="model" if proposal.draft is not None else "offline",
        summary=proposal.summary,
        notice=proposal.notice,
    )
    await _remember(tx, org_id, made, language)
    return changed, made


async def undo(*, tx: AsyncSession, org_id: uuid.UUID, actor: Actor) -> Flow:
    """Put back the draft as it was before the last change in words; 409 when there is none,
    or the draft was approved or changed since."""
    current = await locked_flow(tx, org_id)
    made = last_change(current)
    if made is None or made.undone:
        raise NothingToUndoError("There is no change in words to undo.")
    if current.state is FlowState.APPROVED:
        raise UndoRefusedError(
            "The Brief was approved after this change; edit it to make the next version.",
            approved=True,
        )
    if current.draft != made.after:
        raise UndoRefusedError(
            "The Brief changed after this change; undoing it would lose that.", approved=False
        )
    restored, _ = await editing.change_draft(
        tx=tx, org_id=org_id, change=lambda _draft: made.before, actor=actor
    )
    await _remember(tx, org_id, replace(made, undone=True), None)
    return restored


async def org_currency(*, tx: AsyncSession, org_id: uuid.UUID) -> str | None:
    """The org's currency, for prices the words give without one."""
    return await tx.scalar(select(organizations.c.currency).where(organizations.c.id == org_id))


def last_change(current: Flow) -> Change | None:
    raw = (current.interview or {}).get(_KEY)
    return Change.of(raw) if isinstance(raw, dict) else None


def shown_change(current: Flow) -> Change | None:
    """The last change while it still describes the draft: made and not undone (and not yet
    approved), or undone with the draft as it was put back."""
    made = last_change(current)
    if made is None:
        return None
    if made.undone:
        return made if current.draft == made.before else None
    if current.state is FlowState.APPROVED or current.draft != made.after:
        return None
    return made


async def _remember(
    tx: AsyncSession, org_id: uuid.UUID, made: Change, language: Language | None
) -> None:
    raw = await tx.scalar(select(brief_flows.c.interview))
    # The interview reads "known" whenever the column is set (interview_service._state): a
    # Brief made through the API has no interview, so it gets an empty one, as it would start.
    stored: dict[str, Any] = (
        dict(raw)
        if raw
        else {
            "known": KnownFacts(language=language or "en").model_dump(mode="json"),
            "question": None,
        }
    )
    stored[_KEY] = made.stored()
    await tx.execute(
        update(brief_flows).where(brief_flows.c.org_id == org_id).values(interview=stored)
    )
