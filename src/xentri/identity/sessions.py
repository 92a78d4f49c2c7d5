"""Browser sessions: an opaque cookie token, stored hashed, revocable server-side."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.identity.tables import sessions, users
from xentri.identity.tokens import hash_secret, new_secret, signed

SESSION_LIFETIME = timedelta(days=30)
_TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class SessionInfo:
    session_id: uuid.UUID
    user_id: uuid.UUID
    active_org_id: uuid.UUID | None


async def start_session(
    *, tx: AsyncSession, user_id: uuid.UUID, ip: str | None, user_agent: str | None
) -> tuple[uuid.UUID, str]:
    """Create a session; return its id and the token for the cookie (shown only now)."""
    token, token_hash = new_secret()
    session_id = uuid.uuid4()
    await tx.execute(
        sessions.insert().values(
            id=session_id,
            user_id=user_id,
            token_hash=token_hash,
            ip=ip,
            user_agent=(user_agent or "")[:300] or None,
            expires_at=datetime.now(UTC) + SESSION_LIFETIME,
        )
    )
    return session_id, token


async def resolve_session(*, tx: AsyncSession, token: str) -> SessionInfo | None:
    """The live session a cookie token belongs to, or None (unknown, expired, revoked)."""
    now = datetime.now(UTC)
    row = (
        await tx.execute(
            select(
                sessions.c.id, sessions.c.user_id, sessions.c.active_org_id, sessions.c.last_seen_at
            )
            .join(users, users.c.id == sessions.c.user_id)
            .where(
                sessions.c.token_hash == hash_secret(token),
                sessions.c.revoked_at.is_(None),
                sessions.c.expires_at > now,
                users.c.disabled_at.is_(None),
            )
        )
    ).first()
    if row is None:
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        # Sliding expiry, written at most every few minutes rather than on every request.
        await tx.execute(
            update(sessions)
            .where(sessions.c.id == row.id)
            .values(last_seen_at=now, expires_at=now + SESSION_LIFETIME)
        )
    return SessionInfo(session_id=row.id, user_id=row.user_id, active_org_id=row.active_org_id)


async def revoke_session(*, tx: AsyncSession, session_id: uuid.UUID) -> None:
    await tx.execute(
        update(sessions)
        .where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def revoke_all_sessions(
    *, tx: AsyncSession, user_id: uuid.UUID, keep: uuid.UUID | None = None
) -> int:
    query = update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
    if keep is not None:
        query = query.where(sessions.c.id != keep)
    result = await tx.execute(query.values(revoked_at=datetime.now(UTC)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def set_active_org(*, tx: AsyncSession, session_id: uuid.UUID, org_id: uuid.UUID) -> None:
    await tx.execute(
        update(sessions).where(sessions.c.id == session_id).values(active_org_id=org_id)
    )


def csrf_token(*, secret_key: str, session_id: uuid.UUID) -> str:
    """Bound to the session: a token stolen from one session is useless in another."""
    return signed(secret_key, f"csrf:{session_id}")
