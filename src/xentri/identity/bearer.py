"""`Authorization: Bearer` (API keys, service tokens) and the one org a bearer request acts in.

A bearer credential is bound to exactly one org: the request acts there or nowhere. It needs no
CSRF token, since a browser never attaches it on its own the way it attaches a cookie.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Literal

import structlog
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.identity.api_keys import API_KEY_PREFIX, authenticate_api_key
from xentri.identity.credential_errors import BearerNotAllowedError, InvalidBearerError
from xentri.identity.errors import OrgNotFoundError
from xentri.identity.http import (
    ORG_HEADER,
    Caller,
    current_caller,
    engine_of,
    org_scope,
    requested_org,
    secret_key_of,
)
from xentri.identity.orgs import OrgContext
from xentri.identity.permissions import Role
from xentri.identity.service_tokens import verify_service_token
from xentri.kernel.db.tenant import tenant_transaction

# A service token acts with a member's permissions: enough to read and write the org's data for
# the call it was minted for, never to change settings, members or keys. It cannot be revoked,
# so it gets no power whose misuse would outlast its five minutes.
SERVICE_ROLE = Role.MEMBER
# A service is no user: the nil id matches no membership, so no "your own" rule ever applies.
SERVICE_ACTOR_ID = SYSTEM_ORG_ID


@dataclass(frozen=True)
class BearerPrincipal:
    kind: Literal["api_key", "service"]
    org_id: uuid.UUID
    role: Role
    subject: str  # "api_key:<id>" or "service:<name>", for logs
    acting_user_id: uuid.UUID  # what OrgContext.user_id carries: the key's creator, or nil
    key_id: uuid.UUID | None = None
    trace_id: str | None = None  # the caller's trace, from a service token


Principal = Caller | BearerPrincipal


def bearer_credentials(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header; None when the request sends none."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    credentials = credentials.strip()
    if not credentials:
        raise InvalidBearerError("The Authorization header carries no token.")
    return credentials


async def authenticate_bearer(request: Request, credentials: str) -> BearerPrincipal:
    if credentials.startswith(API_KEY_PREFIX):
        key = await authenticate_api_key(engine_of(request), credentials)
        if key is None:
            raise InvalidBearerError("This API key is unknown, revoked or expired.")
        principal = BearerPrincipal(
            kind="api_key",
            org_id=key.org_id,
            role=key.role,
            subject=f"api_key:{key.key_id}",
            acting_user_id=key.created_by or key.key_id,
            key_id=key.key_id,
        )
    elif credentials.count(".") == 2:
        claims = verify_service_token(secret_key_of(request), credentials)
        principal = BearerPrincipal(
            kind="service",
            org_id=claims.org_id,
            role=SERVICE_ROLE,
            subject=f"service:{claims.subject}",
            acting_user_id=SERVICE_ACTOR_ID,
            trace_id=claims.trace_id,
        )
    else:
        raise InvalidBearerError("Send an API key or a service token.")
    request.state.principal = principal.subject
    structlog.contextvars.bind_contextvars(
        principal=principal.subject,
        **({"upstream_trace_id": principal.trace_id} if principal.trace_id else {}),
    )
    return principal


async def current_bearer(request: Request) -> BearerPrincipal:
    credentials = bearer_credentials(request)
    if credentials is None:
        raise InvalidBearerError("Send an Authorization: Bearer header.")
    return await authenticate_bearer(request, credentials)


async def current_principal(request: Request) -> Principal:
    """A bearer credential when the request sends one, else the session cookie (with CSRF)."""
    credentials = bearer_credentials(request)
    if credentials is not None:
        return await authenticate_bearer(request, credentials)
    return await current_caller(request)


async def session_caller(request: Request) -> Caller:
    """Only a signed-in person: keys and service tokens are refused, even valid ones."""
    if bearer_credentials(request) is not None:
        raise BearerNotAllowedError("Sign in to do this; an API key or service token cannot.")
    return await current_caller(request)


CurrentBearer = Annotated[BearerPrincipal, Depends(current_bearer)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
SessionCaller = Annotated[Caller, Depends(session_caller)]


@asynccontextmanager
async def bearer_org_scope(
    request: Request, principal: BearerPrincipal, org_id: uuid.UUID | None = None
) -> AsyncIterator[tuple[AsyncSession, OrgContext]]:
    """One unit of work in the bearer's own org; any other org asked for is 'not found'."""
    asked = [org_id] if org_id is not None else []
    header = request.headers.get(ORG_HEADER)
    if header:
        try:
            asked.append(uuid.UUID(header))
        except ValueError:
            raise OrgNotFoundError(f"{ORG_HEADER} is not an organization id.") from None
    if any(other != principal.org_id for other in asked):
        raise OrgNotFoundError("It does not exist, or this credential is not for it.")
    # A tenant transaction, not a user one: the creator's memberships in other orgs must stay
    # invisible to a key that is scoped to this org alone.
    async with tenant_transaction(engine_of(request), principal.org_id) as tx:
        request.state.org_id = str(principal.org_id)
        structlog.contextvars.bind_contextvars(org_id=str(principal.org_id))
        yield (
            tx,
            OrgContext(
                org_id=principal.org_id, user_id=principal.acting_user_id, role=principal.role
            ),
        )


def principal_org_scope(
    request: Request, principal: Principal, org_id: uuid.UUID | None = None
) -> AbstractAsyncContextManager[tuple[AsyncSession, OrgContext]]:
    """`org_scope` for any principal: the path's org, else x-org-id, else the default org
    (the session's active org, or the bearer's own)."""
    if isinstance(principal, BearerPrincipal):
        return bearer_org_scope(request, principal, org_id)
    return org_scope(request, principal, org_id or requested_org(request, principal))
