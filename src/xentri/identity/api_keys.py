"""API keys: a secret shown once, stored hashed, bound to one org and a role, revocable."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.contracts.events import Actor, EventPayload
from xentri.identity.api_key_events import ApiKeyCreated, ApiKeyRevoked
from xentri.identity.credential_errors import ApiKeyNotFoundError, InvalidApiKeyExpiryError
from xentri.identity.errors import ForbiddenError
from xentri.identity.orgs import OrgContext
from xentri.identity.permissions import RANK, Permission, Role
from xentri.identity.tables import api_keys, memberships, users
from xentri.identity.tokens import hash_secret
from xentri.kernel.db.tenant import system_transaction
from xentri.kernel.events.outbox import emit, new_event

# A fixed, recognisable prefix lets secret scanners (and people) spot a leaked key.
API_KEY_PREFIX = "xk_"
_DISPLAY_LENGTH = len(API_KEY_PREFIX) + 8
_MAX_SECRET_LENGTH = 200
_TOUCH_EVERY = timedelta(minutes=1)
_SOURCE = "identity"

_PUBLIC_COLUMNS = (
    api_keys.c.id,
    api_keys.c.name,
    api_keys.c.prefix,
    api_keys.c.role,
    api_keys.c.created_by,
    api_keys.c.created_at,
    api_keys.c.last_used_at,
    api_keys.c.expires_at,
    api_keys.c.revoked_at,
)


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """A live key: it acts in `org_id` with `role` (never above its creator's current role)."""

    key_id: uuid.UUID
    org_id: uuid.UUID
    role: Role
    created_by: uuid.UUID | None


def new_api_key() -> tuple[str, str, str]:
    """A fresh secret, the hash to store and the short prefix to display."""
    secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return secret, hash_secret(secret), secret[:_DISPLAY_LENGTH]


async def create_api_key(
    *,
    tx: AsyncSession,
    ctx: OrgContext,
    name: str,
    role: Role,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[uuid.UUID, str]:
    """Create a key in the caller's org; return its id and the secret (the only time it exists)."""
    ctx.require(Permission.API_KEYS_MANAGE)
    if RANK[role] > RANK[ctx.role]:
        raise ForbiddenError(f"A {ctx.role.value} cannot create a key with the {role.value} role.")
    now = now or datetime.now(UTC)
    if expires_at is not None and (expires_at.tzinfo is None or expires_at <= now):
        raise InvalidApiKeyExpiryError("expires_at must be a future time with a time zone.")
    key_id = uuid.uuid4()
    secret, key_hash, prefix = new_api_key()
    await tx.execute(
        api_keys.insert().values(
            id=key_id,
            org_id=ctx.org_id,
            name=name,
            prefix=prefix,
            key_hash=key_hash,
            role=role.value,
            created_by=ctx.user_id,
            expires_at=expires_at,
        )
    )
    await _audit(
        tx,
        ApiKeyCreated(
            key_id=key_id, name=name, role=role.value, prefix=prefix, expires_at=expires_at
        ),
        ctx,
    )
    return key_id, secret


async def get_api_key(*, tx: AsyncSession, ctx: OrgContext, key_id: uuid.UUID) -> Any:
    ctx.require(Permission.API_KEYS_MANAGE)
    row = (
        await tx.execute(
            select(*_PUBLIC_COLUMNS).where(api_keys.c.org_id == ctx.org_id, api_keys.c.id == key_id)
        )
    ).first()
    if row is None:
        raise ApiKeyNotFoundError("No such API key in this organization.")
    return row


async def list_api_keys(*, tx: AsyncSession, ctx: OrgContext) -> list[Any]:
    """Every key of the org, revoked and expired ones included; never a secret or a hash."""
    ctx.require(Permission.API_KEYS_MANAGE)
    return list(
        (
            await tx.execute(
                select(*_PUBLIC_COLUMNS)
                .where(api_keys.c.org_id == ctx.org_id)
                .order_by(api_keys.c.created_at.desc(), api_keys.c.id)
            )
        ).all()
    )


async def revoke_api_key(*, tx: AsyncSession, ctx: OrgContext, key_id: uuid.UUID) -> bool:
    """Revoke a key; False when it was revoked already (no second event)."""
    ctx.require(Permission.API_KEYS_MANAGE)
    row = (
        await tx.execute(
            select(api_keys.c.name, api_keys.c.role, api_keys.c.prefix, api_keys.c.revoked_at)
            .where(api_keys.c.org_id == ctx.org_id, api_keys.c.id == key_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise ApiKeyNotFoundError("No such API key in this organization.")
    # Like memberships: only an owner touches what an owner holds.
    if RANK[Role(row.role)] > RANK[ctx.role]:
        raise ForbiddenError(f"A {ctx.role.value} cannot revoke a key with the {row.role} role.")
    if row.revoked_at is not None:
        return False
    await tx.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id)
        .values(revoked_at=func.now(), updated_at=func.now())
    )
    await _audit(
        tx, ApiKeyRevoked(key_id=key_id, name=row.name, role=row.role, prefix=row.prefix), ctx
    )
    return True


async def authenticate_api_key(
    engine: AsyncEngine, secret: str, *, now: datetime | None = None
) -> ApiKeyPrincipal | None:
    """The live key this secret belongs to, or None (unknown, revoked, expired, creator gone)."""
    if not secret.startswith(API_KEY_PREFIX) or len(secret) > _MAX_SECRET_LENGTH:
        return None
    now = now or datetime.now(UTC)
    key_hash = hash_secret(secret)
    async with system_transaction(engine) as tx:
        # Before any org is known, the secret_lookup policy shows exactly the row whose hash
        # the caller proves it knows; nothing else of any org is visible.
        await tx.execute(
            text("select set_config('app.api_key_hash', :hash, true)"),
            {"hash": key_hash},
        )
        key = (
            await tx.execute(
                select(
                    api_keys.c.id,
                    api_keys.c.org_id,
                    api_keys.c.role,
                    api_keys.c.created_by,
                    api_keys.c.last_used_at,
                ).where(
                    api_keys.c.key_hash == key_hash,
                    api_keys.c.revoked_at.is_(None),
                    or_(api_keys.c.expires_at.is_(None), api_keys.c.expires_at > now),
                )
            )
        ).first()
        if key is None:
            return None
        await tx.execute(
            text("select set_config('app.current_org_id', :org_id, true)"),
            {"org_id": str(key.org_id)},
        )
        role = Role(key.role)
        if key.created_by is not None:
            # A key acts for the person who made it: it stops when they leave the org or are
            # disabled, and a demotion lowers it, so a key never outlives its maker's access.
            creator_role = await _active_member_role(tx, key.org_id, key.created_by)
            if creator_role is None:
                return None
            role = min(role, creator_role, key=RANK.__getitem__)
        if key.last_used_at is None or now - key.last_used_at >= _TOUCH_EVERY:
            # Written at most once a minute per key, not on every request.
            await tx.execute(
                update(api_keys)
                .where(
                    api_keys.c.id == key.id,
                    or_(
                        api_keys.c.last_used_at.is_(None),
                        api_keys.c.last_used_at <= now - _TOUCH_EVERY,
                    ),
                )
                .values(last_used_at=now)
            )
    return ApiKeyPrincipal(key_id=key.id, org_id=key.org_id, role=role, created_by=key.created_by)


async def _active_member_role(
    tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID
) -> Role | None:
    role = (
        await tx.execute(
            select(memberships.c.role)
            .join(users, users.c.id == memberships.c.user_id)
            .where(
                memberships.c.org_id == org_id,
                memberships.c.user_id == user_id,
                users.c.disabled_at.is_(None),
            )
        )
    ).scalar_one_or_none()
    return Role(role) if role is not None else None


async def _audit(tx: AsyncSession, payload: EventPayload, ctx: OrgContext) -> None:
    await emit(
        tx,
        new_event(
            payload,
            org_id=ctx.org_id,
            actor=Actor(type="user", id=str(ctx.user_id)),
            source=_SOURCE,
        ),
    )
