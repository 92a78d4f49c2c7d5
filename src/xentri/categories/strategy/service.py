"""Strategy use cases: the Brief flow, its versions and diff. One transaction each, given."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.strategy.domain import (
    TRANSITIONS,
    FieldChange,
    FlowAction,
    FlowState,
    IllegalTransitionError,
    changed_sections,
    diff,
    next_state,
)
from xentri.categories.strategy.events import BriefCreated, BriefUpdated
from xentri.categories.strategy.tables import brief_flows, brief_versions
from xentri.contracts.brief import Brief, BriefSection
from xentri.contracts.events import Actor
from xentri.kernel.errors import DomainError
from xentri.kernel.events.outbox import emit, new_event

SOURCE = "strategy"


class NothingChangedError(DomainError):
    status = 409
    code = "nothing-changed"
    title = "Nothing to approve"


class BriefNotFoundError(DomainError):
    status = 404
    code = "brief-not-found"
    title = "No Brief yet"


@dataclass(frozen=True)
class Flow:
    state: FlowState
    draft: Brief
    updated_at: datetime
    interview: dict[str, Any] | None = None  # the interview's state (see interview_service)

    @property
    def allowed(self) -> tuple[FlowAction, ...]:
        return tuple(action for (state, action) in TRANSITIONS if state == self.state)


@dataclass(frozen=True)
class BriefVersion:
    version: int
    document: Brief
    changed_sections: tuple[BriefSection, ...]
    approved_by: uuid.UUID
    approved_at: datetime


async def flow(*, tx: AsyncSession, org_id: uuid.UUID) -> Flow:
    """The org's Brief flow; a new org's starts Initiated with an empty draft."""
    row = (await tx.execute(select(brief_flows))).mappings().first()
    if row is None:
        return Flow(FlowState.INITIATED, Brief(), datetime.now(UTC))
    return _flow(row)


async def advance(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    action: FlowAction,
    actor: Actor,
    draft: Brief | None = None,
) -> Flow:
    """Apply `action` (409 when the state does not allow it); approving records a version."""
    current = await locked_flow(tx, org_id)
    state = next_state(current.state, action)
    new_draft = draft if draft is not None else current.draft
    if action is FlowAction.REVISE:
        latest = await _latest(tx)
        new_draft = latest.document if latest else new_draft
    if action is FlowAction.APPROVE:
        await _approve(tx, org_id, new_draft, actor)
    if state is FlowState.DRAFTING:
        # The draft is what the interview gathered, already typed; drafting it is immediate,
        # so the owner lands on the review. (A cloud model polishing the prose would make
        # Drafting a visible, asynchronous state.)
        state = next_state(state, FlowAction.DRAFTED)
    await _store(tx, org_id, state, new_draft)
    return Flow(state, new_draft, datetime.now(UTC))


async def edit_draft(*, tx: AsyncSession, org_id: uuid.UUID, draft: Brief) -> Flow:
    """Replace the draft while editing (or while still conversing, as the interview fills it)."""
    current = await locked_flow(tx, org_id)
    if current.state not in (FlowState.EDITING, FlowState.CONVERSING, FlowState.INITIATED):
        raise IllegalTransitionError(
            f"The Brief can be edited while editing, not while "
            f"{current.state.value.replace('_', ' ')}.",
            state=current.state.value,
            allowed=[a.value for a in current.allowed],
        )
    state = FlowState.CONVERSING if current.state is FlowState.INITIATED else current.state
    await _store(tx, org_id, state, draft)
    return Flow(state, draft, datetime.now(UTC))


async def current_brief(*, tx: AsyncSession) -> BriefVersion:
    latest = await _latest(tx)
    if latest is None:
        raise BriefNotFoundError("This organization has no approved Brief yet.")
    return latest


async def versions(*, tx: AsyncSession) -> list[BriefVersion]:
    rows = (
        await tx.execute(select(brief_versions).order_by(brief_versions.c.version.desc()))
    ).mappings()
    return [_version(row) for row in rows]


async def version(*, tx: AsyncSession, number: int) -> BriefVersion:
    row = (
        (await tx.execute(select(brief_versions).where(brief_versions.c.version == number)))
        .mappings()
        .first()
    )
    if row is None:
        raise BriefNotFoundError(f"There is no version {number} of the Brief.")
    return _version(row)


async def version_diff(*, tx: AsyncSession, before: int, after: int) -> tuple[FieldChange, ...]:
    old = await version(tx=tx, number=before)
    new = await version(tx=tx, number=after)
    return diff(old.document, new.document)


async def _approve(tx: AsyncSession, org_id: uuid.UUID, draft: Brief, actor: Actor) -> None:
    latest = await _latest(tx)
    number = (latest.version if latest else 0) + 1
    sections = changed_sections(latest.document if latest else None, draft)
    if latest is not None and not sections:
        raise NothingChangedError("Nothing changed since the approved version.")
    await tx.execute(
        brief_versions.insert().values(
            id=uuid.uuid4(),
            org_id=org_id,
            version=number,
            document=draft.model_dump(mode="json"),
            changed_sections=[section.value for section in sections],
            approved_by=uuid.UUID(actor.id),
        )
    )
    payload = (
        BriefCreated(version=number, sections=list(sections))
        if latest is None
        else BriefUpdated(version=number, changed_sections=list(sections))
    )
    await emit(tx, new_event(payload, org_id=org_id, actor=actor, source=SOURCE))


async def locked_flow(tx: AsyncSession, org_id: uuid.UUID) -> Flow:
    # The flow row is locked for the whole use case: two approvals at once make one version.
    await tx.execute(
        insert(brief_flows)
        .values(
            id=uuid.uuid4(),
            org_id=org_id,
            state=FlowState.INITIATED.value,
            draft=Brief().model_dump(mode="json"),
        )
        .on_conflict_do_nothing(index_elements=["org_id"])
    )
    row = (await tx.execute(select(brief_flows).with_for_update())).mappings().one()
    return _flow(row)


def _flow(row: RowMapping) -> Flow:
    return Flow(
        FlowState(row["state"]),
        Brief.model_validate(row["draft"]),
        row["updated_at"],
        row["interview"],
    )


async def _store(tx: AsyncSession, org_id: uuid.UUID, state: FlowState, draft: Brief) -> None:
    await tx.execute(
        update(brief_flows)
        .where(brief_flows.c.org_id == org_id)
        .values(state=state.value, draft=draft.model_dump(mode="json"), updated_at=func.now())
    )


async def _latest(tx: AsyncSession) -> BriefVersion | None:
    row = (
        (
            await tx.execute(
                select(brief_versions).order_by(brief_versions.c.version.desc()).limit(1)
            )
        )
        .mappings()
        .first()
    )
    return _version(row) if row is not None else None


def _version(data: RowMapping) -> BriefVersion:
    return BriefVersion(
        version=data["version"],
        document=Brief.model_validate(data["document"]),
        changed_sections=tuple(BriefSection(s) for s in data["changed_sections"]),
        approved_by=data["approved_by"],
        approved_at=data["created_at"],
    )
