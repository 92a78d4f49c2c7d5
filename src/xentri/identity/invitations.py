"""Invitations to an organization: an emailed single-use link that expires after a week."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.contracts.events import Actor, EventPayload
from xentri.identity.errors import ForbiddenError
from xentri.identity.invitation_errors import (
    AlreadyMemberError,
    InvitationAlreadyAcceptedError,
    InvitationEmailMismatchError,
    InvitationNotFoundError,
    InvitationUnavailableError,
)
from xentri.identity.invitation_events import (
    InvitationAccepted,
    InvitationRevoked,
    InvitationSent,
)
from xentri.identity.mailer import Mail, Mailer
from xentri.identity.orgs import OrgContext
from xentri.identity.permissions import Permission, Role
from xentri.identity.sessions import set_active_org
from xentri.identity.tables import invitations, memberships, organizations, users
from xentri.identity.tokens import hash_secret, new_secret
from xentri.kernel.db.tenant import system_transaction
from xentri.kernel.events.outbox import emit, new_event

INVITATION_LIFETIME = timedelta(days=7)
_SOURCE = "identity"


@dataclass(frozen=True)
class InvitationPreview:
    org_name: str
    role: Role
    inviter_name: str | None
    email: str
    expires_at: datetime
    time_zone: str = "UTC"  # the org's: the page says until when in the org's clock


@dataclass(frozen=True)
class AcceptedInvitation:
    invitation_id: uuid.UUID
    org_id: uuid.UUID
    org_name: str
    role: Role
    already_member: bool


async def invite(
    *, tx: AsyncSession, ctx: OrgContext, email: str, role: Role, mailer: Mailer, base_url: str
) -> uuid.UUID:
    """Mail a link to join the org; a pending invitation to the same address is replaced."""
    ctx.require(Permission.MEMBERS_MANAGE)
    if role is Role.OWNER and ctx.role is not Role.OWNER:
        raise ForbiddenError("Only an owner can invite an owner.")
    email = email.strip()
    # Two invitations of one address at the same moment must not both stay pending: the
    # second waits here until the first commits, then replaces it.
    await tx.execute(
        text("select pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"invitation:{ctx.org_id}:{email.lower()}"},
    )
    already = (
        await tx.execute(
            select(memberships.c.user_id)
            .join(users, users.c.id == memberships.c.user_id)
            .where(memberships.c.org_id == ctx.org_id, func.lower(users.c.email) == email.lower())
        )
    ).first()
    if already is not None:
        raise AlreadyMemberError(f"{email} already belongs to this organization.")

    invitation_id = uuid.uuid4()
    replaced = (
        await tx.execute(
            update(invitations)
            .where(
                invitations.c.org_id == ctx.org_id,
                func.lower(invitations.c.email) == email.lower(),
                invitations.c.accepted_at.is_(None),
                invitations.c.revoked_at.is_(None),
            )
            .values(revoked_at=func.now(), updated_at=func.now())
            .returning(invitations.c.id, invitations.c.role)
        )
    ).all()
    token, token_hash = new_secret()
    expires_at = (
        await tx.execute(
            invitations.insert()
            .values(
                id=invitation_id,
                org_id=ctx.org_id,
                email=email,
                role=role.value,
                token_hash=token_hash,
                invited_by=ctx.user_id,
                # The database's clock decides expiry, here and when the link is used.
                expires_at=func.now() + INVITATION_LIFETIME,
            )
            .returning(invitations.c.expires_at)
        )
    ).scalar_one()

    for old in sorted(replaced, key=lambda r: str(r.id)):
        await _audit(
            tx,
            InvitationRevoked(
                invitation_id=old.id, role=old.role, reason="replaced", replaced_by=invitation_id
            ),
            ctx.org_id,
            ctx.user_id,
        )
    await _audit(
        tx,
        InvitationSent(
            invitation_id=invitation_id,
            role=role.value,
            invited_by=ctx.user_id,
            expires_at=expires_at,
        ),
        ctx.org_id,
        ctx.user_id,
    )
    await mailer.send(
        await _invitation_mail(
            tx=tx,
            ctx=ctx,
            email=email,
            role=role,
            link=f"{base_url}/invitations/accept?token={token}",
        ),
        tx=tx,
    )
    return invitation_id


async def get_invitation(*, tx: AsyncSession, ctx: OrgContext, invitation_id: uuid.UUID) -> Any:
    ctx.require(Permission.MEMBERS_READ)
    row = (
        await tx.execute(
            _invitation_rows().where(
                invitations.c.org_id == ctx.org_id, invitations.c.id == invitation_id
            )
        )
    ).first()
    if row is None:
        raise InvitationNotFoundError("No such invitation in this organization.")
    return row


async def list_invitations(*, tx: AsyncSession, ctx: OrgContext) -> list[Any]:
    """The org's pending invitations (neither accepted, revoked nor expired), newest first."""
    ctx.require(Permission.MEMBERS_READ)
    return list(
        (
            await tx.execute(
                _invitation_rows()
                .where(
                    invitations.c.org_id == ctx.org_id,
                    invitations.c.accepted_at.is_(None),
                    invitations.c.revoked_at.is_(None),
                    invitations.c.expires_at > func.now(),
                )
                .order_by(invitations.c.created_at.desc(), invitations.c.id)
            )
        ).all()
    )


async def revoke_invitation(*, tx: AsyncSession, ctx: OrgContext, invitation_id: uuid.UUID) -> None:
    """Withdraw an unaccepted invitation; revoking one twice changes nothing."""
    ctx.require(Permission.MEMBERS_MANAGE)
    row = (
        await tx.execute(
            select(invitations.c.role, invitations.c.accepted_at, invitations.c.revoked_at)
            .where(invitations.c.org_id == ctx.org_id, invitations.c.id == invitation_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise InvitationNotFoundError("No such invitation in this organization.")
    if row.role == Role.OWNER.value and ctx.role is not Role.OWNER:
        raise ForbiddenError("Only an owner can revoke an invitation to become an owner.")
    if row.accepted_at is not None:
        raise InvitationAlreadyAcceptedError("Remove the member instead.")
    if row.revoked_at is not None:
        return
    await tx.execute(
        update(invitations)
        .where(invitations.c.org_id == ctx.org_id, invitations.c.id == invitation_id)
        .values(revoked_at=func.now(), updated_at=func.now())
    )
    await _audit(
        tx,
        InvitationRevoked(invitation_id=invitation_id, role=row.role, reason="revoked"),
        ctx.org_id,
        ctx.user_id,
    )


async def preview_invitation(*, engine: AsyncEngine, token: str) -> InvitationPreview:
    """What the accept page shows to whoever holds the link (no sign-in needed)."""
    async with _token_transaction(engine, token) as tx:
        row = await _pending(tx, token)
        await _enter_org(tx, row.org_id)
        org_name, time_zone = (
            await tx.execute(
                select(organizations.c.name, organizations.c.time_zone).where(
                    organizations.c.id == row.org_id
                )
            )
        ).one()
        inviter_name = (
            await tx.execute(select(users.c.name).where(users.c.id == row.invited_by))
        ).scalar_one_or_none()
    return InvitationPreview(
        org_name=org_name,
        role=Role(row.role),
        inviter_name=inviter_name,
        email=row.email,
        expires_at=row.expires_at,
        time_zone=time_zone,
    )


async def accept_invitation(
    *,
    engine: AsyncEngine,
    token: str,
    user_id: uuid.UUID,
    session_id: uuid.UUID | None = None,
) -> AcceptedInvitation:
    """Join the org as the signed-in user the invitation was sent to; with `session_id`, the
    org becomes that session's active org in the same transaction."""
    async with _token_transaction(engine, token, user_id=user_id) as tx:
        row = await _pending(tx, token)
        user_email = (
            await tx.execute(select(users.c.email).where(users.c.id == user_id))
        ).scalar_one()
        # The link proves access to the invited mailbox; the account must be that address too,
        # or a forwarded link would let anyone with an account join.
        if user_email.lower() != row.email.lower():
            raise InvitationEmailMismatchError(
                f"Sign in as {row.email} to accept it, or ask for an invitation to {user_email}."
            )
        await _enter_org(tx, row.org_id)
        # Single use: of two concurrent accepts the second waits on the row lock, then finds
        # accepted_at set and claims nothing.
        claimed = (
            await tx.execute(
                update(invitations)
                .where(
                    invitations.c.id == row.id,
                    invitations.c.accepted_at.is_(None),
                    invitations.c.revoked_at.is_(None),
                    invitations.c.expires_at > func.now(),
                )
                .values(accepted_at=func.now(), accepted_by=user_id, updated_at=func.now())
                .returning(invitations.c.id)
            )
        ).first()
        if claimed is None:
            # Read committed: a fresh statement sees what the winner committed, and says why.
            await _pending(tx, token)
            raise InvitationUnavailableError("It was just used or withdrawn.", reason="accepted")
        added = (
            await tx.execute(
                insert(memberships)
                .values(id=uuid.uuid4(), org_id=row.org_id, user_id=user_id, role=row.role)
                .on_conflict_do_nothing(constraint="uq_memberships_org_id_user_id")
                .returning(memberships.c.role)
            )
        ).scalar_one_or_none()
        role = (
            added
            or (
                await tx.execute(
                    select(memberships.c.role).where(
                        memberships.c.org_id == row.org_id, memberships.c.user_id == user_id
                    )
                )
            ).scalar_one()
        )
        await _audit(
            tx,
            InvitationAccepted(
                invitation_id=row.id, user_id=user_id, role=role, already_member=added is None
            ),
            row.org_id,
            user_id,
        )
        if session_id is not None:
            await set_active_org(tx=tx, session_id=session_id, org_id=row.org_id)
        org_name = await _org_name(tx, row.org_id)
    return AcceptedInvitation(
        invitation_id=row.id,
        org_id=row.org_id,
        org_name=org_name,
        role=Role(role),
        already_member=added is None,
    )


@asynccontextmanager
async def _token_transaction(
    engine: AsyncEngine, token: str, *, user_id: uuid.UUID | None = None
) -> AsyncIterator[AsyncSession]:
    """A unit of work that may read the one invitation whose token the caller presents."""
    async with system_transaction(engine) as tx:
        await tx.execute(
            text(
                "select set_config('app.invitation_token_hash', :token_hash, true), "
                "set_config('app.current_user_id', :user_id, true)"
            ),
            {"token_hash": hash_secret(token), "user_id": str(user_id) if user_id else ""},
        )
        yield tx


async def _pending(tx: AsyncSession, token: str) -> Any:
    row = (
        await tx.execute(
            select(
                invitations.c.id,
                invitations.c.org_id,
                invitations.c.email,
                invitations.c.role,
                invitations.c.invited_by,
                invitations.c.expires_at,
                invitations.c.accepted_at,
                invitations.c.revoked_at,
                (invitations.c.expires_at <= func.now()).label("expired"),
            ).where(invitations.c.token_hash == hash_secret(token))
        )
    ).first()
    if row is None:
        raise InvitationNotFoundError("Check the link, or ask for a new invitation.")
    if row.accepted_at is not None:
        raise InvitationUnavailableError("It was already accepted.", reason="accepted")
    if row.revoked_at is not None:
        raise InvitationUnavailableError(
            "It was withdrawn; ask for a new invitation.", reason="revoked"
        )
    if row.expired:
        raise InvitationUnavailableError(
            "It has expired; ask for a new invitation.", reason="expired"
        )
    return row


async def _enter_org(tx: AsyncSession, org_id: uuid.UUID) -> None:
    # The token proved the caller was invited to this org: from here on this transaction
    # (and only this one: is_local=true) works inside it.
    await tx.execute(
        text("select set_config('app.current_org_id', :org_id, true)"), {"org_id": str(org_id)}
    )


async def _org_name(tx: AsyncSession, org_id: uuid.UUID) -> str:
    name: str = (
        await tx.execute(select(organizations.c.name).where(organizations.c.id == org_id))
    ).scalar_one()
    return name


def _invitation_rows() -> Any:
    return select(
        invitations.c.id,
        invitations.c.email,
        invitations.c.role,
        invitations.c.invited_by,
        users.c.name.label("inviter_name"),
        invitations.c.expires_at,
        invitations.c.created_at,
    ).outerjoin(users, users.c.id == invitations.c.invited_by)


async def _invitation_mail(
    *, tx: AsyncSession, ctx: OrgContext, email: str, role: Role, link: str
) -> Mail:
    org_name = await _org_name(tx, ctx.org_id)
    inviter = (
        await tx.execute(select(users.c.name).where(users.c.id == ctx.user_id))
    ).scalar_one_or_none() or f"A member of {org_name}"
    days = INVITATION_LIFETIME.days
    body = (
        f"{inviter} invited you to join {org_name} on Xentri as {_ROLE_NAMES[role]}.\n\n"
        f"Open this link within {days} days to accept:\n\n{link}\n\n"
        "If you did not expect this invitation, ignore this email.\n"
    )
    return Mail(to=email, subject=_one_line(f"Join {org_name} on Xentri"), body=body)


def _one_line(value: str) -> str:
    # Names are free text; a line break in a mail header would be a header injection.
    return " ".join(value.split())


_ROLE_NAMES = {Role.OWNER: "an owner", Role.ADMIN: "an admin", Role.MEMBER: "a member"}


async def _audit(
    tx: AsyncSession, payload: EventPayload, org_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    await emit(
        tx,
        new_event(
            payload, org_id=org_id, actor=Actor(type="user", id=str(user_id)), source=_SOURCE
        ),
    )
