"""Account use cases: sign up, verify, log in, reset or change the password, profile."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import SYSTEM_ORG_ID, Actor, EventPayload
from xentri.identity.errors import (
    EmailTakenError,
    InvalidCredentialsError,
    InvalidTokenError,
    WeakPasswordError,
)
from xentri.identity.events import (
    EmailVerified,
    LoginFailed,
    LoginSucceeded,
    PasswordChanged,
    UserSignedUp,
)
from xentri.identity.mailer import Mail, Mailer
from xentri.identity.passwords import hash_password, needs_rehash, password_problem, verify_password
from xentri.identity.sessions import revoke_all_sessions, start_session
from xentri.identity.tables import user_tokens, users
from xentri.identity.tokens import hash_secret, new_secret
from xentri.kernel.events.outbox import emit, new_event

VERIFY_EMAIL_LIFETIME = timedelta(days=3)
RESET_PASSWORD_LIFETIME = timedelta(hours=1)
_SOURCE = "identity"


@dataclass(frozen=True)
class SignupIn:
    email: str
    password: str
    name: str
    preferred_language: str = "en"


async def signup(
    *, tx: AsyncSession, signup_in: SignupIn, mailer: Mailer, base_url: str
) -> uuid.UUID:
    email = signup_in.email
    if problem := password_problem(signup_in.password, email=email):
        raise WeakPasswordError(_PASSWORD_MESSAGES[problem], reason=problem)
    user_id = uuid.uuid4()
    try:
        async with tx.begin_nested():
            await tx.execute(
                users.insert().values(
                    id=user_id,
                    email=email,
                    password_hash=hash_password(signup_in.password),
                    name=signup_in.name.strip(),
                    preferred_language=signup_in.preferred_language,
                )
            )
    except IntegrityError:
        raise EmailTakenError("Sign in instead, or reset your password.") from None
    await _send_token_mail(
        tx=tx,
        user_id=user_id,
        email=email,
        purpose="verify_email",
        lifetime=VERIFY_EMAIL_LIFETIME,
        mailer=mailer,
        subject="Confirm your email for Xentri",
        link=f"{base_url}/verify-email?token={{token}}",
    )
    await _audit(tx, UserSignedUp(user_id=user_id), user_id)
    return user_id


async def verify_email(*, tx: AsyncSession, token: str) -> uuid.UUID:
    user_id = await _use_token(tx=tx, token=token, purpose="verify_email")
    await tx.execute(
        update(users)
        .where(users.c.id == user_id, users.c.email_verified_at.is_(None))
        .values(email_verified_at=func.now(), updated_at=func.now())
    )
    await _audit(tx, EmailVerified(user_id=user_id), user_id)
    return user_id


async def login(
    *, tx: AsyncSession, email: str, password: str, ip: str | None, user_agent: str | None
) -> tuple[uuid.UUID, uuid.UUID, str] | None:
    """Check the credentials and open a session: (user id, session id, cookie token).

    A failure returns None rather than raising, so its audit event commits with `tx`.
    """
    row = (
        await tx.execute(
            select(users.c.id, users.c.password_hash, users.c.disabled_at).where(
                func.lower(users.c.email) == email.lower()
            )
        )
    ).first()
    # verify_password runs even without a user, so both cases take as long.
    ok = verify_password(row.password_hash if row else None, password)
    if row is None or not ok or row.disabled_at is not None:
        reason = "disabled" if row is not None and ok else "bad_credentials"
        await _audit(tx, LoginFailed(user_id=row.id if row else None, reason=reason, ip=ip), None)
        return None
    if needs_rehash(row.password_hash):
        await tx.execute(
            update(users).where(users.c.id == row.id).values(password_hash=hash_password(password))
        )
    session_id, token = await start_session(tx=tx, user_id=row.id, ip=ip, user_agent=user_agent)
    await _audit(tx, LoginSucceeded(user_id=row.id, session_id=session_id, ip=ip), row.id)
    return row.id, session_id, token


async def record_throttled_login(*, tx: AsyncSession, ip: str | None) -> None:
    await _audit(tx, LoginFailed(user_id=None, reason="throttled", ip=ip), None)


async def request_password_reset(
    *, tx: AsyncSession, email: str, mailer: Mailer, base_url: str
) -> None:
    """Mail a single-use reset link if the account exists; answer the same either way."""
    row = (
        await tx.execute(
            select(users.c.id, users.c.email).where(
                func.lower(users.c.email) == email.lower(), users.c.disabled_at.is_(None)
            )
        )
    ).first()
    if row is None:
        return
    await _send_token_mail(
        tx=tx,
        user_id=row.id,
        email=row.email,
        purpose="reset_password",
        lifetime=RESET_PASSWORD_LIFETIME,
        mailer=mailer,
        subject="Reset your Xentri password",
        link=f"{base_url}/reset-password?token={{token}}",
    )


async def reset_password(*, tx: AsyncSession, token: str, new_password: str) -> uuid.UUID:
    user_id = await _peek_token(tx=tx, token=token, purpose="reset_password")
    email = (await tx.execute(select(users.c.email).where(users.c.id == user_id))).scalar_one()
    if problem := password_problem(new_password, email=email):
        raise WeakPasswordError(_PASSWORD_MESSAGES[problem], reason=problem)
    await _use_token(tx=tx, token=token, purpose="reset_password")
    await _set_password(tx, user_id, new_password)
    # Whoever had the old password is signed out everywhere.
    await revoke_all_sessions(tx=tx, user_id=user_id)
    await _audit(tx, PasswordChanged(user_id=user_id, via="reset"), user_id)
    return user_id


async def change_password(
    *,
    tx: AsyncSession,
    user_id: uuid.UUID,
    session_id: uuid.UUID | None,
    current_password: str,
    new_password: str,
) -> None:
    row = (
        await tx.execute(select(users.c.email, users.c.password_hash).where(users.c.id == user_id))
    ).one()
    if not verify_password(row.password_hash, current_password):
        raise InvalidCredentialsError("The current password is not right.")
    if problem := password_problem(new_password, email=row.email):
        raise WeakPasswordError(_PASSWORD_MESSAGES[problem], reason=problem)
    await _set_password(tx, user_id, new_password)
    await revoke_all_sessions(tx=tx, user_id=user_id, keep=session_id)
    await _audit(tx, PasswordChanged(user_id=user_id, via="change"), user_id)


async def get_profile(*, tx: AsyncSession, user_id: uuid.UUID) -> Any:
    return (
        await tx.execute(
            select(
                users.c.id,
                users.c.email,
                users.c.name,
                users.c.phone,
                users.c.avatar_url,
                users.c.preferred_language,
                users.c.email_verified_at,
            ).where(users.c.id == user_id)
        )
    ).one()


async def update_profile(*, tx: AsyncSession, user_id: uuid.UUID, changes: dict[str, Any]) -> Any:
    if changes:
        await tx.execute(
            update(users).where(users.c.id == user_id).values(**changes, updated_at=func.now())
        )
    return await get_profile(tx=tx, user_id=user_id)


_PASSWORD_MESSAGES = {
    "password_too_short": "Use at least 10 characters.",
    "password_too_long": "Use at most 256 characters.",
    "password_too_common": "This password is too common or too easy to guess.",
}


async def _set_password(tx: AsyncSession, user_id: uuid.UUID, password: str) -> None:
    await tx.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(password_hash=hash_password(password), updated_at=func.now())
    )


async def _send_token_mail(
    *,
    tx: AsyncSession,
    user_id: uuid.UUID,
    email: str,
    purpose: str,
    lifetime: timedelta,
    mailer: Mailer,
    subject: str,
    link: str,
) -> None:
    token, token_hash = new_secret()
    await tx.execute(
        user_tokens.insert().values(
            id=uuid.uuid4(),
            user_id=user_id,
            purpose=purpose,
            token_hash=token_hash,
            expires_at=datetime.now(UTC) + lifetime,
        )
    )
    hours = int(lifetime.total_seconds() // 3600)
    body = f"Open this link within {hours} hours:\n\n{link.format(token=token)}\n"
    await mailer.send(Mail(to=email, subject=subject, body=body), tx=tx)


async def _peek_token(*, tx: AsyncSession, token: str, purpose: str) -> uuid.UUID:
    row = (
        await tx.execute(
            select(user_tokens.c.user_id).where(
                user_tokens.c.token_hash == hash_secret(token),
                user_tokens.c.purpose == purpose,
                user_tokens.c.used_at.is_(None),
                user_tokens.c.expires_at > func.now(),
            )
        )
    ).first()
    if row is None:
        raise InvalidTokenError("Ask for a new link.")
    return uuid.UUID(str(row.user_id))


async def _use_token(*, tx: AsyncSession, token: str, purpose: str) -> uuid.UUID:
    """Consume a single-use token atomically: a second use finds it already used."""
    row = (
        await tx.execute(
            update(user_tokens)
            .where(
                user_tokens.c.token_hash == hash_secret(token),
                user_tokens.c.purpose == purpose,
                user_tokens.c.used_at.is_(None),
                user_tokens.c.expires_at > func.now(),
            )
            .values(used_at=func.now())
            .returning(user_tokens.c.user_id)
        )
    ).first()
    if row is None:
        raise InvalidTokenError("Ask for a new link.")
    return uuid.UUID(str(row.user_id))


async def _audit(tx: AsyncSession, payload: EventPayload, user_id: uuid.UUID | None) -> None:
    # Account events belong to no org: they go to the platform's own stream of facts.
    actor = Actor(type="user", id=str(user_id)) if user_id else Actor(type="system", id=_SOURCE)
    await emit(tx, new_event(payload, org_id=SYSTEM_ORG_ID, actor=actor, source=_SOURCE))
