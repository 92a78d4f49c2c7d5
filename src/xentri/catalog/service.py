"""Use cases of the catalogue: list modules, vote, withdraw a vote, the roadmap, set a status."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, String, column, false, func, null, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.catalog.domain import STATUSES, ModuleStatus, VoteTally, accepts_votes
from xentri.catalog.errors import ModuleAlreadyActiveError, ModuleNotFoundError
from xentri.catalog.events import ModuleStatusChanged
from xentri.catalog.sync import EVENT_SOURCE, StatusChange
from xentri.catalog.tables import module_votes, modules
from xentri.contracts.events import SYSTEM_ORG_ID, Actor
from xentri.kernel.events.outbox import emit, new_event

# Counts per module across every org, from the one cross-tenant reader (migration 0005).
_tally = (
    func.module_vote_tally()
    .table_valued(
        column("module_id", String),
        column("votes", BigInteger),
        column("paying_votes", BigInteger),
        column("churn_risk_votes", BigInteger),
    )
    .alias("tally")
)


@dataclass(frozen=True)
class ModuleView:
    id: str
    category: str
    subcategory: str
    name: dict[str, str]
    description: dict[str, str]
    icon: str
    sort_order: int
    status: ModuleStatus
    tally: VoteTally
    voted: bool = False
    use_case: str | None = None


@dataclass(frozen=True)
class RoadmapGroup:
    status: ModuleStatus
    modules: list[ModuleView]

    @property
    def votes(self) -> int:
        return sum(module.tally.votes for module in self.modules)


async def list_modules(
    *, tx: AsyncSession, user_id: uuid.UUID | None = None, category: str | None = None
) -> list[ModuleView]:
    """Every current module in catalogue order, with its votes and (given a user) their vote.

    The user's own vote is read through their user-scope policy, so it shows whichever of
    their orgs they voted from.
    """
    return [_view(row) for row in (await tx.execute(_listing(user_id, category=category))).all()]


async def get_module(
    *, tx: AsyncSession, module_id: str, user_id: uuid.UUID | None = None
) -> ModuleView:
    row = (await tx.execute(_listing(user_id, module_id=module_id))).first()
    if row is None:
        raise ModuleNotFoundError(f"There is no module {module_id!r}.")
    return _view(row)


async def cast_vote(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    module_id: str,
    use_case: str | None = None,
) -> ModuleView:
    """Vote for a module once; voting again keeps one vote, updates the use case when one is
    given, and counts it for the org the user is acting in now."""
    module = await get_module(tx=tx, module_id=module_id, user_id=user_id)
    if not accepts_votes(module.status):
        raise ModuleAlreadyActiveError(f"{module_id} is already available; open it to use it.")
    statement = insert(module_votes).values(
        id=uuid.uuid4(), org_id=org_id, user_id=user_id, module_id=module_id, use_case=use_case
    )
    await tx.execute(
        statement.on_conflict_do_update(
            constraint="uq_module_votes_user_id_module_id",
            set_={
                "org_id": statement.excluded.org_id,
                "use_case": func.coalesce(statement.excluded.use_case, module_votes.c.use_case),
                "updated_at": func.now(),
            },
        )
    )
    return await get_module(tx=tx, module_id=module_id, user_id=user_id)


async def withdraw_vote(*, tx: AsyncSession, user_id: uuid.UUID, module_id: str) -> ModuleView:
    """Remove the user's vote (from whichever org it was cast); no vote is not an error."""
    await get_module(tx=tx, module_id=module_id)
    await tx.execute(
        module_votes.delete().where(
            module_votes.c.user_id == user_id, module_votes.c.module_id == module_id
        )
    )
    return await get_module(tx=tx, module_id=module_id, user_id=user_id)


async def roadmap(*, tx: AsyncSession, category: str | None = None) -> list[RoadmapGroup]:
    """Modules grouped by status (in the order modules move through them), each group's
    modules by priority score, highest first, then catalogue order."""
    views = await list_modules(tx=tx, category=category)
    groups = []
    for status in STATUSES:
        members = [view for view in views if view.status == status]
        members.sort(key=lambda view: (-view.tally.priority_score, view.sort_order))
        groups.append(RoadmapGroup(status=status, modules=members))
    return groups


async def current_statuses(*, tx: AsyncSession) -> dict[str, ModuleStatus]:
    """Each current module's live status (an admin may have changed what the file says)."""
    rows = await tx.execute(
        select(modules.c.id, modules.c.status).where(modules.c.retired_at.is_(None))
    )
    return {row.id: row.status for row in rows}


async def set_status(
    *, tx: AsyncSession, module_id: str, status: ModuleStatus, changed_by: str | None
) -> StatusChange | None:
    """An admin's decision: the status changes, stays through later syncs, and is recorded as
    `xentri.module.status_changed.v1`. Runs as the owner in the platform org; None when the
    module already had that status."""
    row = (
        await tx.execute(select(modules).where(modules.c.id == module_id).with_for_update())
    ).first()
    if row is None or row.retired_at is not None:
        raise ModuleNotFoundError(f"There is no module {module_id!r}.")
    if row.status == status:
        return None
    await tx.execute(
        update(modules)
        .where(modules.c.id == module_id)
        .values(
            status=status,
            status_source="admin",
            status_changed_at=func.now(),
            updated_at=func.now(),
        )
    )
    payload = ModuleStatusChanged(
        module_id=module_id,
        old_status=row.status,
        new_status=status,
        source="admin",
        changed_by=changed_by,
    )
    actor = Actor(type="user", id=changed_by) if changed_by else Actor(type="system", id="admin")
    await emit(tx, new_event(payload, org_id=SYSTEM_ORG_ID, actor=actor, source=EVENT_SOURCE))
    return StatusChange(module_id, row.status, status)


def _listing(
    user_id: uuid.UUID | None, *, module_id: str | None = None, category: str | None = None
) -> Any:
    columns: list[Any] = [
        *modules.c,
        func.coalesce(_tally.c.votes, 0).label("votes"),
        func.coalesce(_tally.c.paying_votes, 0).label("paying_votes"),
        func.coalesce(_tally.c.churn_risk_votes, 0).label("churn_risk_votes"),
    ]
    joined = modules.outerjoin(_tally, _tally.c.module_id == modules.c.id)
    if user_id is None:
        columns += [false().label("voted"), null().label("my_use_case")]
    else:
        mine = module_votes.alias("mine")
        columns += [mine.c.id.is_not(None).label("voted"), mine.c.use_case.label("my_use_case")]
        joined = joined.outerjoin(
            mine, (mine.c.module_id == modules.c.id) & (mine.c.user_id == user_id)
        )
    query = select(*columns).select_from(joined).where(modules.c.retired_at.is_(None))
    if module_id is not None:
        query = query.where(modules.c.id == module_id)
    if category is not None:
        query = query.where(modules.c.category == category)
    return query.order_by(modules.c.sort_order, modules.c.id)


def _view(row: Any) -> ModuleView:
    return ModuleView(
        id=row.id,
        category=row.category,
        subcategory=row.subcategory,
        name=row.name,
        description=row.description,
        icon=row.icon,
        sort_order=row.sort_order,
        status=row.status,
        tally=VoteTally(
            votes=row.votes, paying_votes=row.paying_votes, churn_risk_votes=row.churn_risk_votes
        ),
        voted=bool(row.voted),
        use_case=row.my_use_case,
    )
