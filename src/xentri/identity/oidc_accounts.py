"""What a provider-verified identity does to Xentri accounts: find or create, sign in, org claim."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import SYSTEM_ORG_ID, Actor, EventPayload
from xentri.identity.events import EmailVerified, LoginFailed, LoginSucceeded, UserSignedUp
from xentri.identity.oidc import ProviderIdentity
from xentri.identity.permissions import Role
from xentri.identity.sessions import revoke_all_sessions, set_active_org, start_session
from xentri.identity.tables import memberships, organizations, users
from xentri.kernel.events.outbox import emit, new_event

log = structlog.get_logger("xentri.identity")

_SOURCE = "identity"

OrgClaimOutcome = Literal["member", "joined", "not_trusted", "unknown_org"]


@dataclass(frozen=True)
class OidcSignIn:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token: str  # for the session cookie
    new_account: bool


async def sign_in(
    *, tx: AsyncSession, identity: ProviderIdentity, ip: str | None, user_agent: str | None
) -> OidcSignIn | None:
    """Open a session for the account of the verified email, creating it when there is none.

    None: the account is disabled. The refusal is audited and commits with `tx`.
    """
    row = await _account(tx, identity.email)
    new_account = False
    if row is None:
        user_id = uuid.uuid4()
        try:
            async with tx.begin_nested():
                await tx.execute(
                    users.insert().values(
                        id=user_id,
                        email=identity.email,
                        email_verified_at=func.now(),
                        password_hash=None,
                        name=identity.name,
                        avatar_url=identity.avatar_url,
                        preferred_language=identity.preferred_language,
                    )
                )
        except IntegrityError:
            # The same person's other tab created the account a moment ago.
            row = await _account(tx, identity.email)
            if row is None:
                raise
        else:
            new_account = True
            await _audit(tx, UserSignedUp(user_id=user_id), user_id)
    if row is not None:
        user_id = row.id
        if row.disabled_at is not None:
            await _audit(tx, LoginFailed(user_id=user_id, reason="disabled", ip=ip), None)
            return None
        if row.email_verified_at is None:
            await _take_over_unverified(tx, user_id)
    session_id, token = await start_session(tx=tx, user_id=user_id, ip=ip, user_agent=user_agent)
    await _audit(tx, LoginSucceeded(user_id=user_id, session_id=session_id, ip=ip), user_id)
    log.info("oidc_signed_in", user_id=str(user_id), new_account=new_account)
    return OidcSignIn(user_id=user_id, session_id=session_id, token=token, new_account=new_account)


async def apply_org_claim(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    trusted: bool,
) -> OrgClaimOutcome:
    """Make the claimed org the session's active org when the user belongs to it.

    `tx` is the user's transaction scoped to `org_id`. A non-member joins, as a plain member
    and never more, only when the operator declared the provider trusted for org mapping.
    """
    role = (
        await tx.execute(
            select(memberships.c.role).where(
                memberships.c.org_id == org_id, memberships.c.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    outcome: OrgClaimOutcome = "member"
    if role is None:
        if not trusted:
            log.info("oidc_org_claim_ignored", user_id=str(user_id), org_id=str(org_id))
            return "not_trusted"
        exists = (
            await tx.execute(select(organizations.c.id).where(organizations.c.id == org_id))
        ).first()
        if exists is None:
            log.info("oidc_org_claim_unknown_org", user_id=str(user_id), org_id=str(org_id))
            return "unknown_org"
        await tx.execute(
            insert(memberships)
            .values(id=uuid.uuid4(), org_id=org_id, user_id=user_id, role=Role.MEMBER.value)
            .on_conflict_do_nothing(constraint="uq_memberships_org_id_user_id")
        )
        # No membership event exists for this yet; the log is the trail until one does.
        log.warning("oidc_org_claim_joined", user_id=str(user_id), org_id=str(org_id))
        outcome = "joined"
    await set_active_org(tx=tx, session_id=session_id, org_id=org_id)
    return outcome


async def _account(tx: AsyncSession, email: str) -> Any:
    return (
        await tx.execute(
            select(users.c.id, users.c.email_verified_at, users.c.disabled_at)
            .where(func.lower(users.c.email) == email.lower())
            .with_for_update()
        )
    ).first()


async def _take_over_unverified(tx: AsyncSession, user_id: uuid.UUID) -> None:
    # Whoever registered this address with a password never proved they own it; the provider
    # just proved this person does. Keeping that password would let someone who signed up
    # first with another's address into the real owner's account (pre-account takeover), so
    # the password and every session it opened end here. The owner can set a new password
    # through the reset link, which reaches them.
    await tx.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(email_verified_at=func.now(), password_hash=None, updated_at=func.now())
    )
    ended = await revoke_all_sessions(tx=tx, user_id=user_id)
    await _audit(tx, EmailVerified(user_id=user_id), user_id)
    log.warning("oidc_unverified_account_taken_over", user_id=str(user_id), sessions_ended=ended)


async def _audit(tx: AsyncSession, payload: EventPayload, user_id: uuid.UUID | None) -> None:
    # Account events belong to no org: they go to the platform's own stream of facts.
    actor = Actor(type="user", id=str(user_id)) if user_id else Actor(type="system", id=_SOURCE)
    await emit(tx, new_event(payload, org_id=SYSTEM_ORG_ID, actor=actor, source=_SOURCE))
