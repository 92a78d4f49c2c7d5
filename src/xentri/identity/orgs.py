"""Use cases of organizations and memberships: create, settings, roles, leave, transfer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import Actor, EventPayload
from xentri.identity.errors import (
    ForbiddenError,
    LastOwnerError,
    MemberNotFoundError,
    OrgNotFoundError,
)
from xentri.identity.events import (
    MemberRemoved,
    MemberRoleChanged,
    OrgCreated,
    OrgSettingsChanged,
    OwnershipTransferred,
)
from xentri.identity.permissions import RANK, Permission, Role, can
from xentri.identity.tables import memberships, organizations, users
from xentri.kernel.events.outbox import emit, new_event

_SOURCE = "identity"


@dataclass(frozen=True)
class OrgContext:
    """The gate's verdict: this user acts in this org with this role."""

    org_id: uuid.UUID
    user_id: uuid.UUID
    role: Role

    def require(self, permission: Permission) -> None:
        if not can(self.role, permission):
            raise ForbiddenError(f"A {self.role.value} cannot do this ({permission.value}).")


async def membership(*, tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> OrgContext:
    """The caller's role in the org of this transaction; a non-member gets 'not found'."""
    role = (
        await tx.execute(
            select(memberships.c.role).where(
                memberships.c.org_id == org_id, memberships.c.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    if role is None:
        raise OrgNotFoundError("It does not exist, or you are not a member.")
    return OrgContext(org_id=org_id, user_id=user_id, role=Role(role))


async def create_org(
    *, tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, values: dict[str, Any]
) -> None:
    """Create the org with its creator as owner. `tx` must be scoped to `org_id` already."""
    await tx.execute(organizations.insert().values(id=org_id, org_id=org_id, **values))
    await tx.execute(
        memberships.insert().values(
            id=uuid.uuid4(), org_id=org_id, user_id=user_id, role=Role.OWNER.value
        )
    )
    await _audit(tx, OrgCreated(org_id=org_id, owner_id=user_id), org_id, user_id)


async def my_orgs(*, tx: AsyncSession, user_id: uuid.UUID) -> list[Any]:
    """Every org the user belongs to (visible through the user-scope policies)."""
    return list(
        (
            await tx.execute(
                select(organizations, memberships.c.role)
                .join(memberships, memberships.c.org_id == organizations.c.id)
                .where(memberships.c.user_id == user_id)
                .order_by(func.lower(organizations.c.name))
            )
        ).all()
    )


async def get_org(*, tx: AsyncSession, ctx: OrgContext) -> Any:
    ctx.require(Permission.ORG_READ)
    return (await tx.execute(select(organizations).where(organizations.c.id == ctx.org_id))).one()


async def update_org(*, tx: AsyncSession, ctx: OrgContext, changes: dict[str, Any]) -> Any:
    ctx.require(Permission.ORG_UPDATE)
    if changes:
        await tx.execute(
            update(organizations)
            .where(organizations.c.id == ctx.org_id)
            .values(**changes, updated_at=func.now())
        )
        await _audit(tx, OrgSettingsChanged(changed=sorted(changes)), ctx.org_id, ctx.user_id)
    return await get_org(tx=tx, ctx=ctx)


async def list_members(*, tx: AsyncSession, ctx: OrgContext) -> list[Any]:
    ctx.require(Permission.MEMBERS_READ)
    return list(
        (
            await tx.execute(
                select(
                    memberships.c.user_id,
                    memberships.c.role,
                    memberships.c.created_at,
                    users.c.name,
                    users.c.email,
                )
                .join(users, users.c.id == memberships.c.user_id)
                .where(memberships.c.org_id == ctx.org_id)
                .order_by(func.lower(users.c.name))
            )
        ).all()
    )


async def change_role(
    *, tx: AsyncSession, ctx: OrgContext, member_id: uuid.UUID, new_role: Role
) -> None:
    """Admins manage members and admins; only an owner touches owners. Nobody raises themself."""
    ctx.require(Permission.MEMBERS_MANAGE)
    current = await _member_role(tx, ctx.org_id, member_id)
    if member_id == ctx.user_id and RANK[new_role] > RANK[ctx.role]:
        raise ForbiddenError("You cannot raise your own role.")
    if Role.OWNER in (current, new_role) and ctx.role is not Role.OWNER:
        raise ForbiddenError("Only an owner can change an owner's role or make an owner.")
    if RANK[new_role] > RANK[ctx.role]:
        raise ForbiddenError("You cannot give a role above your own.")
    if current is Role.OWNER and new_role is not Role.OWNER:
        await _ensure_another_owner(tx, ctx.org_id, member_id)
    if current is new_role:
        return
    await tx.execute(
        update(memberships)
        .where(memberships.c.org_id == ctx.org_id, memberships.c.user_id == member_id)
        .values(role=new_role.value, updated_at=func.now())
    )
    await _audit(
        tx,
        MemberRoleChanged(user_id=member_id, old_role=current.value, new_role=new_role.value),
        ctx.org_id,
        ctx.user_id,
    )


async def remove_member(*, tx: AsyncSession, ctx: OrgContext, member_id: uuid.UUID) -> None:
    leaving = member_id == ctx.user_id
    if not leaving:
        ctx.require(Permission.MEMBERS_MANAGE)
    current = await _member_role(tx, ctx.org_id, member_id)
    if not leaving and current is Role.OWNER and ctx.role is not Role.OWNER:
        raise ForbiddenError("Only an owner can remove an owner.")
    if current is Role.OWNER:
        await _ensure_another_owner(tx, ctx.org_id, member_id)
    await tx.execute(
        memberships.delete().where(
            memberships.c.org_id == ctx.org_id, memberships.c.user_id == member_id
        )
    )
    await _audit(tx, MemberRemoved(user_id=member_id, left=leaving), ctx.org_id, ctx.user_id)


async def transfer_ownership(*, tx: AsyncSession, ctx: OrgContext, to_user_id: uuid.UUID) -> None:
    """The new owner must already be a member; the old owner stays on as admin."""
    ctx.require(Permission.OWNERSHIP_TRANSFER)
    if to_user_id == ctx.user_id:
        return
    await _member_role(tx, ctx.org_id, to_user_id)
    await tx.execute(
        update(memberships)
        .where(memberships.c.org_id == ctx.org_id, memberships.c.user_id == to_user_id)
        .values(role=Role.OWNER.value, updated_at=func.now())
    )
    await tx.execute(
        update(memberships)
        .where(memberships.c.org_id == ctx.org_id, memberships.c.user_id == ctx.user_id)
        .values(role=Role.ADMIN.value, updated_at=func.now())
    )
    await _audit(
        tx,
        OwnershipTransferred(from_user_id=ctx.user_id, to_user_id=to_user_id),
        ctx.org_id,
        ctx.user_id,
    )


async def _member_role(tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> Role:
    role = (
        await tx.execute(
            select(memberships.c.role)
            .where(memberships.c.org_id == org_id, memberships.c.user_id == user_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if role is None:
        raise MemberNotFoundError("No such member in this organization.")
    return Role(role)


async def _ensure_another_owner(tx: AsyncSession, org_id: uuid.UUID, losing: uuid.UUID) -> None:
    # Lock the org's owner rows so two owners cannot demote each other at the same moment.
    owners = (
        (
            await tx.execute(
                text(
                    "select user_id from memberships where org_id = :org and role = 'owner' "
                    "order by user_id for update"
                ),
                {"org": org_id},
            )
        )
        .scalars()
        .all()
    )
    if not [owner for owner in owners if owner != losing]:
        raise LastOwnerError("Transfer ownership to another member first.")


async def _audit(
    tx: AsyncSession, payload: EventPayload, org_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    await emit(
        tx,
        new_event(
            payload, org_id=org_id, actor=Actor(type="user", id=str(user_id)), source=_SOURCE
        ),
    )
