"""Objectives with key results, and the decision log (each decision also an episode in the
org's memory, so agents can recall why something was decided)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.memory import record_episode
from xentri.categories.strategy.okr import key_result_progress, objective_progress
from xentri.categories.strategy.tables import decisions, key_results, objectives
from xentri.kernel.errors import DomainError

PAGE_SIZE = 50


class NotFoundError(DomainError):
    status = 404
    code = "not-found"
    title = "Not found"


@dataclass(frozen=True)
class KeyResult:
    id: uuid.UUID
    title: str
    unit: str | None
    start_value: Decimal
    target_value: Decimal
    current_value: Decimal

    @property
    def progress(self) -> Decimal:
        return key_result_progress(
            start=self.start_value, target=self.target_value, current=self.current_value
        )


@dataclass(frozen=True)
class Objective:
    id: uuid.UUID
    title: str
    description: str | None
    brief_goal: str | None
    due_on: dt.date | None
    key_results: tuple[KeyResult, ...]
    created_at: dt.datetime

    @property
    def progress(self) -> Decimal:
        return objective_progress([kr.progress for kr in self.key_results])


@dataclass(frozen=True)
class Decision:
    id: uuid.UUID
    title: str
    context: str | None
    options: tuple[str, ...]
    decision: str
    outcome: str | None
    decided_on: dt.date
    decided_by: uuid.UUID


async def create_objective(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    title: str,
    description: str | None,
    brief_goal: str | None,
    due_on: dt.date | None,
    key_results_in: Sequence[tuple[str, str | None, Decimal, Decimal, Decimal]],
) -> Objective:
    objective_id = uuid.uuid4()
    await tx.execute(
        objectives.insert().values(
            id=objective_id,
            org_id=org_id,
            title=title,
            description=description,
            brief_goal=brief_goal,
            due_on=due_on,
        )
    )
    for kr_title, unit, start, target, current in key_results_in:
        await add_key_result(
            tx=tx,
            org_id=org_id,
            objective_id=objective_id,
            title=kr_title,
            unit=unit,
            start=start,
            target=target,
            current=current,
        )
    return await objective(tx=tx, objective_id=objective_id)


async def add_key_result(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    objective_id: uuid.UUID,
    title: str,
    unit: str | None,
    start: Decimal,
    target: Decimal,
    current: Decimal,
) -> uuid.UUID:
    exists = await tx.scalar(select(objectives.c.id).where(objectives.c.id == objective_id))
    if exists is None:
        raise NotFoundError("No such objective.")
    key_result_id = uuid.uuid4()
    await tx.execute(
        key_results.insert().values(
            id=key_result_id,
            org_id=org_id,
            objective_id=objective_id,
            title=title,
            unit=unit,
            start_value=start,
            target_value=target,
            current_value=current,
            # The wall clock, not now(): key results added in one transaction keep the order
            # they were given in (now() is the same for all of them).
            created_at=func.clock_timestamp(),
        )
    )
    return key_result_id


async def record_progress(
    *, tx: AsyncSession, key_result_id: uuid.UUID, current: Decimal
) -> uuid.UUID:
    """Set a key result's current value; returns its objective."""
    objective_id = await tx.scalar(
        update(key_results)
        .where(key_results.c.id == key_result_id)
        .values(current_value=current, updated_at=func.now())
        .returning(key_results.c.objective_id)
    )
    if objective_id is None:
        raise NotFoundError("No such key result.")
    return uuid.UUID(str(objective_id))


async def objective(*, tx: AsyncSession, objective_id: uuid.UUID) -> Objective:
    found = await list_objectives(tx=tx, only=objective_id)
    if not found:
        raise NotFoundError("No such objective.")
    return found[0]


async def list_objectives(*, tx: AsyncSession, only: uuid.UUID | None = None) -> list[Objective]:
    query = select(objectives).order_by(objectives.c.created_at.desc()).limit(PAGE_SIZE)
    if only is not None:
        query = query.where(objectives.c.id == only)
    rows = (await tx.execute(query)).mappings().all()
    ids = [row["id"] for row in rows]
    krs: dict[uuid.UUID, list[KeyResult]] = {objective_id: [] for objective_id in ids}
    if ids:
        for kr in (
            await tx.execute(
                select(key_results)
                .where(key_results.c.objective_id.in_(ids))
                .order_by(key_results.c.created_at, key_results.c.id)
            )
        ).mappings():
            krs[kr["objective_id"]].append(
                KeyResult(
                    id=kr["id"],
                    title=kr["title"],
                    unit=kr["unit"],
                    start_value=kr["start_value"],
                    target_value=kr["target_value"],
                    current_value=kr["current_value"],
                )
            )
    return [
        Objective(
            id=row["id"],
            title=row["title"],
            description=row["description"],
            brief_goal=row["brief_goal"],
            due_on=row["due_on"],
            key_results=tuple(krs[row["id"]]),
            created_at=row["created_at"],
        )
        for row in rows
    ]


async def update_objective(
    *,
    tx: AsyncSession,
    objective_id: uuid.UUID,
    title: str,
    description: str | None,
    brief_goal: str | None,
    due_on: dt.date | None,
) -> None:
    changed = await tx.scalar(
        update(objectives)
        .where(objectives.c.id == objective_id)
        .values(
            title=title,
            description=description,
            brief_goal=brief_goal,
            due_on=due_on,
            updated_at=func.now(),
        )
        .returning(objectives.c.id)
    )
    if changed is None:
        raise NotFoundError("No such objective.")


async def update_key_result(
    *,
    tx: AsyncSession,
    key_result_id: uuid.UUID,
    title: str,
    unit: str | None,
    start: Decimal,
    target: Decimal,
) -> None:
    changed = await tx.scalar(
        update(key_results)
        .where(key_results.c.id == key_result_id)
        .values(
            title=title, unit=unit, start_value=start, target_value=target, updated_at=func.now()
        )
        .returning(key_results.c.id)
    )
    if changed is None:
        raise NotFoundError("No such key result.")


async def delete_key_result(*, tx: AsyncSession, key_result_id: uuid.UUID) -> None:
    deleted = await tx.scalar(
        delete(key_results).where(key_results.c.id == key_result_id).returning(key_results.c.id)
    )
    if deleted is None:
        raise NotFoundError("No such key result.")


async def delete_objective(*, tx: AsyncSession, objective_id: uuid.UUID) -> None:
    deleted = await tx.scalar(
        delete(objectives).where(objectives.c.id == objective_id).returning(objectives.c.id)
    )
    if deleted is None:
        raise NotFoundError("No such objective.")


async def log_decision(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    title: str,
    context: str | None,
    options: Sequence[str],
    decision: str,
    outcome: str | None,
    decided_on: dt.date,
) -> Decision:
    """Record a decision, and journal it in the org's episodic memory in the same transaction."""
    decision_id = uuid.uuid4()
    await tx.execute(
        decisions.insert().values(
            id=decision_id,
            org_id=org_id,
            title=title,
            context=context,
            options=list(options),
            decision=decision,
            outcome=outcome,
            decided_on=decided_on,
            decided_by=user_id,
        )
    )
    body = "\n".join(
        line
        for line in (
            f"Context: {context}" if context else "",
            f"Options: {'; '.join(options)}" if options else "",
            f"Decision: {decision}",
            f"Outcome: {outcome}" if outcome else "",
        )
        if line
    )
    await record_episode(
        tx=tx,
        org_id=org_id,
        kind="decision",
        title=title,
        body=body,
        occurred_at=dt.datetime.combine(decided_on, dt.time(12), tzinfo=dt.UTC),
    )
    return Decision(
        decision_id, title, context, tuple(options), decision, outcome, decided_on, user_id
    )


async def record_outcome(
    *, tx: AsyncSession, org_id: uuid.UUID, decision_id: uuid.UUID, outcome: str
) -> None:
    """What came of a decision; journaled as an outcome episode."""
    title = await tx.scalar(
        update(decisions)
        .where(decisions.c.id == decision_id)
        .values(outcome=outcome, updated_at=func.now())
        .returning(decisions.c.title)
    )
    if title is None:
        raise NotFoundError("No such decision.")
    await record_episode(tx=tx, org_id=org_id, kind="outcome", title=title, body=outcome)


async def list_decisions(
    *, tx: AsyncSession, query: str | None = None, offset: int = 0, limit: int = PAGE_SIZE
) -> list[Decision]:
    """Newest first; `offset`/`limit` page through them (ask one more to know if there is more)."""
    select_ = select(decisions).order_by(
        decisions.c.decided_on.desc(), decisions.c.created_at.desc(), decisions.c.id.desc()
    )
    if query:
        select_ = select_.where(
            or_(
                decisions.c.title.icontains(query, autoescape=True),
                decisions.c.decision.icontains(query, autoescape=True),
                decisions.c.context.icontains(query, autoescape=True),
            )
        )
    rows = (await tx.execute(select_.offset(offset).limit(limit))).mappings()
    return [
        Decision(
            row["id"],
            row["title"],
            row["context"],
            tuple(row["options"]),
            row["decision"],
            row["outcome"],
            row["decided_on"],
            row["decided_by"],
        )
        for row in rows
    ]
