"""JSON API of API keys (/api/v1/orgs/{org_id}/api-keys) and /api/v1/whoami."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response, status

from xentri.identity import api_keys
from xentri.identity.api_key_schemas import ApiKeyCreate, ApiKeyRead, ApiKeySecretRead, WhoAmIRead
from xentri.identity.bearer import (
    BearerPrincipal,
    CurrentPrincipal,
    SessionCaller,
    principal_org_scope,
)
from xentri.identity.credential_errors import SecretNotReplayableError
from xentri.identity.http import ORG_HEADER, org_scope

api_keys_router = APIRouter(tags=["api-keys"])

_KEYS = "/api/v1/orgs/{org_id}/api-keys"


# Keys are managed by signed-in people only: a leaked key must not be able to mint more keys
# (and outlive its own revocation) or revoke the keys of others.
@api_keys_router.post(
    _KEYS,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key (its secret is in this response only)",
)
async def create_api_key(
    request: Request,
    response: Response,
    caller: SessionCaller,
    org_id: uuid.UUID,
    key_in: ApiKeyCreate,
) -> ApiKeySecretRead:
    if "idempotency-key" in request.headers:
        # A replay would show the secret twice, and the stored response would keep it in clear.
        raise SecretNotReplayableError("Send this request without an Idempotency-Key.")
    async with org_scope(request, caller, org_id) as (tx, ctx):
        key_id, secret = await api_keys.create_api_key(
            tx=tx, ctx=ctx, name=key_in.name, role=key_in.role, expires_at=key_in.expires_at
        )
        row = await api_keys.get_api_key(tx=tx, ctx=ctx, key_id=key_id)
    response.headers["Cache-Control"] = "no-store"
    return ApiKeySecretRead(**_read(row).model_dump(), secret=secret)


@api_keys_router.get(_KEYS, summary="The organization's API keys (never their secrets)")
async def list_api_keys(
    request: Request, caller: SessionCaller, org_id: uuid.UUID
) -> list[ApiKeyRead]:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        rows = await api_keys.list_api_keys(tx=tx, ctx=ctx)
    return [_read(row) for row in rows]


@api_keys_router.delete(
    _KEYS + "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key (it stops working at once)",
)
async def revoke_api_key(
    request: Request, caller: SessionCaller, org_id: uuid.UUID, key_id: uuid.UUID
) -> None:
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await api_keys.revoke_api_key(tx=tx, ctx=ctx, key_id=key_id)


@api_keys_router.get(
    "/api/v1/whoami",
    tags=["auth"],
    summary="Who this request acts as, in which org and with which role",
)
async def whoami(request: Request, principal: CurrentPrincipal) -> WhoAmIRead:
    if isinstance(principal, BearerPrincipal):
        async with principal_org_scope(request, principal) as (_, ctx):
            return WhoAmIRead(
                kind=principal.kind, subject=principal.subject, org_id=ctx.org_id, role=ctx.role
            )
    subject = f"user:{principal.user_id}"
    if principal.active_org_id is None and ORG_HEADER not in request.headers:
        return WhoAmIRead(kind="session", subject=subject, org_id=None, role=None)
    async with principal_org_scope(request, principal) as (_, ctx):
        return WhoAmIRead(kind="session", subject=subject, org_id=ctx.org_id, role=ctx.role)


def _read(row: Any) -> ApiKeyRead:
    return ApiKeyRead(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        role=row.role,
        created_by=row.created_by,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )
