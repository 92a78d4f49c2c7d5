"""Editing the Brief from its page: the owner edits a section (or asks in words) whatever the
flow's state, and the state machine is walked on their behalf — a Brief under review goes to
Editing (request_changes), an approved one starts its next version (revise). Approving walks
Editing → ReviewPending (resubmit) → Approved. Each step is still checked by the machine."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.strategy.domain import FlowAction, FlowState, IllegalTransitionError
from xentri.categories.strategy.interview_service import ReplyPendingError, pending_of
from xentri.categories.strategy.service import Flow, advance, edit_draft, locked_flow
from xentri.contracts.brief import Brief
from xentri.contracts.events import Actor

# While the interview is still running, its facts rebuild the draft on every answer: an edit
# made then would be overwritten, so the editor opens once the draft is out.
EDITABLE = frozenset({FlowState.REVIEW_PENDING, FlowState.EDITING, FlowState.APPROVED})


async def change_draft(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    change: Callable[[Brief], Brief],
    actor: Actor,
) -> tuple[Flow, Brief]:
    """Apply `change` to the draft, opening it for editing first; returns the flow and the
    draft as it was before the change."""
    current = await locked_flow(tx, org_id)
    if current.state not in EDITABLE:
        raise IllegalTransitionError(
            "Finish the interview (or ask for the draft) before editing the Brief.",
            state=current.state.value,
            allowed=[a.value for a in current.allowed],
        )
    if current.state is FlowState.REVIEW_PENDING:
        current = await advance(
            tx=tx, org_id=org_id, action=FlowAction.REQUEST_CHANGES, actor=actor
        )
    elif current.state is FlowState.APPROVED:
        current = await advance(tx=tx, org_id=org_id, action=FlowAction.REVISE, actor=actor)
    before = current.draft
    return await edit_draft(tx=tx, org_id=org_id, draft=change(before)), before


async def approve(*, tx: AsyncSession, org_id: uuid.UUID, actor: Actor) -> Flow:
    """Approve the draft: from Editing it is resubmitted first (409 from any other state)."""
    current = await locked_flow(tx, org_id)
    if current.state is FlowState.EDITING:
        await advance(tx=tx, org_id=org_id, action=FlowAction.RESUBMIT, actor=actor)
    return await advance(tx=tx, org_id=org_id, action=FlowAction.APPROVE, actor=actor)


async def draft_it(*, tx: AsyncSession, org_id: uuid.UUID, actor: Actor) -> Flow:
    """The owner says "draft it": the interview's draft goes to review (409 while an answer
    still waits for its reply: its facts are not in the draft yet)."""
    current = await locked_flow(tx, org_id)
    if pending_of(current.interview) is not None:
        raise ReplyPendingError(
            "The co-pilot is still replying to your last answer. Wait for it, then draft."
        )
    return await advance(tx=tx, org_id=org_id, action=FlowAction.READY, actor=actor)
