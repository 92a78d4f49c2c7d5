"""Who is calling: the key rate limits and idempotency records are scoped to."""

from __future__ import annotations

from starlette.types import Scope


def caller_scope(scope: Scope) -> str:
    """The org once identity has set one on the request state, else the client address."""
    state = scope.get("state") or {}
    org_id = state.get("org_id")
    if org_id:
        return f"org:{org_id}"
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"
