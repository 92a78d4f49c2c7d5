"""Who is calling: the keys rate limits and idempotency records are scoped to."""

from __future__ import annotations

from starlette.types import Scope


def caller_scope(scope: Scope) -> str:
    """The org once a credential names one (an org-wide budget), else the client address."""
    state = scope.get("state") or {}
    org_id = state.get("org_id")
    if org_id:
        return f"org:{org_id}"
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


def idempotency_scope(scope: Scope) -> str:
    """Per org and per principal: two people of one org never share a key space."""
    state = scope.get("state") or {}
    principal = state.get("principal")
    if state.get("org_id") and principal:
        return f"{caller_scope(scope)}:{principal}"
    return caller_scope(scope)
