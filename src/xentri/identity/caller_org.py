"""Tell the rate limiter and the idempotency store whose request this is, before either runs.

This is not authentication (the route's dependencies still check every credential against
the database, so revocation is immediate); it only chooses the budget and key space a request
counts against. A header naming some org is never trusted for it: only what the credential
itself says, so nobody can spend another org's budget.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

import structlog
from fastapi import Request
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from xentri.identity.api_keys import API_KEY_PREFIX
from xentri.identity.http import SESSION_COOKIE
from xentri.identity.service_tokens import verify_service_token
from xentri.identity.tables import api_keys, sessions
from xentri.identity.tokens import hash_secret
from xentri.kernel.db.tenant import system_transaction
from xentri.kernel.errors import DomainError

log = structlog.get_logger("xentri.identity")

_CACHE_SECONDS = 60
_NOBODY = "-"


class CallerOrgMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = await self._identify(scope)
            if found is not None:
                org_id, principal = found
                state = scope.setdefault("state", {})
                state["org_id"], state["principal"] = org_id, principal
        await self.app(scope, receive, send)

    async def _identify(self, scope: Scope) -> tuple[str, str] | None:
        headers = dict(scope["headers"])
        app_state = scope["app"].state
        authorization = headers.get(b"authorization", b"").decode("latin-1").strip()
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        try:
            if scheme.lower() == "bearer" and token.startswith(API_KEY_PREFIX):
                return await self._cached(app_state.redis, "key", token, app_state.engine, _key_org)
            if scheme.lower() == "bearer" and token:
                secret = app_state.settings.secret_key
                claims = verify_service_token(secret.get_secret_value() if secret else "", token)
                return str(claims.org_id), f"service:{claims.subject}"
            cookie = headers.get(b"cookie")
            if cookie:
                jar = SimpleCookie(cookie.decode("latin-1"))
                if SESSION_COOKIE in jar:
                    value = jar[SESSION_COOKIE].value
                    return await self._cached(
                        app_state.redis, "session", value, app_state.engine, _session_org
                    )
        except (DomainError, RedisError, SQLAlchemyError, OSError, ValueError) as exc:
            # Unknown credentials are the route's business; the budget falls back to the address.
            log.debug("caller_org_unknown", error=type(exc).__name__)
        return None

    async def _cached(
        self, redis: Redis, kind: str, secret: str, engine: AsyncEngine, lookup: object
    ) -> tuple[str, str] | None:
        digest = hash_secret(secret)
        key = f"caller-org:{kind}:{digest}"
        cached: Any = await redis.get(key)
        if cached is not None:
            value = cached.decode()
        else:
            found = await lookup(engine, digest)  # type: ignore[operator]
            value = f"{found[0]} {found[1]}" if found else _NOBODY
            await redis.set(key, value, ex=_CACHE_SECONDS)
        if value == _NOBODY:
            return None
        org_id, principal = value.split(" ", 1)
        return org_id, principal


async def _session_org(engine: AsyncEngine, token_hash: str) -> tuple[str, str] | None:
    async with system_transaction(engine) as tx:
        row = (
            await tx.execute(
                select(sessions.c.user_id, sessions.c.active_org_id).where(
                    sessions.c.token_hash == token_hash, sessions.c.revoked_at.is_(None)
                )
            )
        ).first()
    if row is None or row.active_org_id is None:
        return None
    return str(row.active_org_id), f"user:{row.user_id}"


async def _key_org(engine: AsyncEngine, key_hash: str) -> tuple[str, str] | None:
    async with system_transaction(engine) as tx:
        await tx.execute(text("select set_config('app.api_key_hash', :h, true)"), {"h": key_hash})
        row = (
            await tx.execute(
                select(api_keys.c.id, api_keys.c.org_id).where(api_keys.c.key_hash == key_hash)
            )
        ).first()
    return (str(row.org_id), f"key:{row.id}") if row else None


async def forget_session_org(request: Request) -> None:
    """Drop the cached org of a session whose active org just changed."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return
    try:
        await request.app.state.redis.delete(f"caller-org:session:{hash_secret(token)}")
    except (RedisError, OSError) as exc:
        # Only the rate-limit budget is affected, and for at most a minute.
        log.warning("caller_org_cache_stale", error=str(exc))
