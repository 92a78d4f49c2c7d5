"""How a request proves who it is (session cookie + CSRF) and which org it acts in (the gate)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

import structlog
from fastapi import Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.identity.errors import CsrfError, NotAuthenticatedError, OrgNotFoundError
from xentri.identity.mailer import Mailer
from xentri.identity.orgs import OrgContext, membership
from xentri.identity.permissions import Permission
from xentri.identity.sessions import SESSION_LIFETIME, SessionInfo, csrf_token, resolve_session
from xentri.identity.tokens import same
from xentri.kernel.db.tenant import Transactions, user_transaction

SESSION_COOKIE = "xentri_session"
CSRF_HEADER = "x-csrf-token"
ORG_HEADER = "x-org-id"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    user_id: uuid.UUID
    session_id: uuid.UUID
    active_org_id: uuid.UUID | None


def engine_of(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def mailer_of(request: Request) -> Mailer:
    mailer: Mailer = request.app.state.mailer
    return mailer


def base_url_of(request: Request) -> str:
    """Where links in mail point: XENTRI_PUBLIC_URL (required in production, so a forged Host
    header can never redirect a reset link), else the request's own origin."""
    configured = request.app.state.settings.public_url
    return str(configured or str(request.base_url)).rstrip("/")


def secret_key_of(request: Request) -> str:
    key = request.app.state.settings.secret_key
    return str(key.get_secret_value()) if key is not None else ""


def account_scope(request: Request) -> AbstractAsyncContextManager[AsyncSession]:
    """A unit of work for account use cases (no org; audit events go to the platform's log)."""
    return user_transaction(engine_of(request), SYSTEM_ORG_ID, org_id=SYSTEM_ORG_ID)


async def current_caller(request: Request) -> Caller:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotAuthenticatedError("No session.")
    async with user_transaction(engine_of(request), SYSTEM_ORG_ID) as tx:
        info: SessionInfo | None = await resolve_session(tx=tx, token=token)
    if info is None:
        raise NotAuthenticatedError("Your session has ended.")
    if request.method not in _SAFE_METHODS:
        # Cookie-authenticated writes must prove they come from our own pages.
        sent = request.headers.get(CSRF_HEADER, "")
        expected = csrf_token(secret_key=secret_key_of(request), session_id=info.session_id)
        if not sent or not same(sent, expected):
            raise CsrfError(f"Send the session's CSRF token in the {CSRF_HEADER} header.")
    request.state.user_id = str(info.user_id)
    structlog.contextvars.bind_contextvars(user_id=str(info.user_id))
    return Caller(
        user_id=info.user_id, session_id=info.session_id, active_org_id=info.active_org_id
    )


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def requested_org(request: Request, caller: Caller) -> uuid.UUID:
    """The org a request acts in: the x-org-id header, else the session's active org."""
    header = request.headers.get(ORG_HEADER)
    if header:
        try:
            return uuid.UUID(header)
        except ValueError:
            raise OrgNotFoundError(f"{ORG_HEADER} is not an organization id.") from None
    if caller.active_org_id is None:
        raise OrgNotFoundError("Choose an organization first.")
    return caller.active_org_id


@asynccontextmanager
async def org_scope(
    request: Request, caller: Caller, org_id: uuid.UUID
) -> AsyncIterator[tuple[AsyncSession, OrgContext]]:
    """One unit of work inside `org_id`, after the gate confirmed the caller is a member."""
    async with user_transaction(engine_of(request), caller.user_id, org_id=org_id) as tx:
        ctx = await membership(tx=tx, org_id=org_id, user_id=caller.user_id)
        request.state.org_id = str(org_id)
        structlog.contextvars.bind_contextvars(org_id=str(org_id))
        yield tx, ctx


def org_transactions(
    request: Request, caller: Caller, org_id: uuid.UUID, *, require: Permission | None = None
) -> Transactions:
    """`org_scope` as a factory: a fresh transaction in the org each time it is called (and the
    caller's permission checked in each), for a use case that reads in one transaction, does a
    slow step with none open, and writes in another."""

    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        async with org_scope(request, caller, org_id) as (tx, ctx):
            if require is not None:
                ctx.require(require)
            yield tx

    return transaction


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
