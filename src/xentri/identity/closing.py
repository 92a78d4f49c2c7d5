"""Closing an account: it takes the account's password (when it has one), and is refused while
the person is the only owner of an org (an org always keeps an owner); otherwise the account
and everything hanging off it go in one transaction."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import SYSTEM_ORG_ID, Actor
from xentri.identity.errors import InvalidCredentialsError, LastOwnerError
from xentri.identity.events import AccountDeleted
from xentri.identity.passwords import verify_password
from xentri.identity.tables import memberships, organizations, users
from xentri.kernel.events.outbox import emit, new_event


async def orgs_only_owned_by(*, tx: AsyncSession, user_id: uuid.UUID) -> list[str]:
    """Names of the orgs whose only owner is this person; their owner rows stay locked until
    `tx` ends, so nobody can demote the other owner of an org in between.

    `tx` is a user transaction (their memberships are readable in every org); it visits each
    org they own in turn, in org id order, so two closings lock in the same order.
    """
    owned = (
        (
            await tx.execute(
                select(memberships.c.org_id)
                .where(memberships.c.user_id == user_id, memberships.c.role == "owner")
                .order_by(memberships.c.org_id)
            )
        )
        .scalars()
        .all()
    )
    only: list[str] = []
    for org_id in owned:
        await _enter_org(tx, org_id)
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
        if list(owners) == [user_id]:
            name = (
                await tx.execute(select(organizations.c.name).where(organizations.c.id == org_id))
            ).scalar_one()
            only.append(name)
    await _enter_org(tx, SYSTEM_ORG_ID)
    return only


async def has_password(*, tx: AsyncSession, user_id: uuid.UUID) -> bool:
    """False for an account made through single sign-on that never chose a password."""
    stored = (
        await tx.execute(select(users.c.password_hash).where(users.c.id == user_id))
    ).scalar_one_or_none()
    return stored is not None


async def delete_account(*, tx: AsyncSession, user_id: uuid.UUID, password: str | None) -> None:
    """Delete the account; memberships, sessions, tokens and preferences go with it (cascades).

    An account with a password must give it again: a session left open on a shared computer
    is not enough to destroy the account. One made through single sign-on has none to give
    (the caller confirms another way). Callers throttle the attempts like log-ins.
    """
    stored = (
        await tx.execute(select(users.c.password_hash).where(users.c.id == user_id))
    ).scalar_one_or_none()
    if stored is not None and not verify_password(stored, password or ""):
        raise InvalidCredentialsError("The password is not right.")
    orphaned = await orgs_only_owned_by(tx=tx, user_id=user_id)
    if orphaned:
        raise LastOwnerError(
            "Make another member an owner, or delete the organization, first: "
            + ", ".join(sorted(orphaned)),
            orgs=sorted(orphaned),
        )
    await tx.execute(delete(users).where(users.c.id == user_id))
    actor = Actor(type="user", id=str(user_id))
    await emit(
        tx,
        new_event(
            AccountDeleted(user_id=user_id), org_id=SYSTEM_ORG_ID, actor=actor, source="identity"
        ),
    )


async def _enter_org(tx: AsyncSession, org_id: uuid.UUID) -> None:
    await tx.execute(
        text("select set_config('app.current_org_id', :org_id, true)"), {"org_id": str(org_id)}
    )
