"""Sign in with OpenID Connect: /api/v1/auth/oidc/login and its callback."""

from __future__ import annotations

from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from redis.asyncio import Redis

from xentri.identity.http import account_scope, engine_of, set_session_cookie
from xentri.identity.oidc import (
    CALLBACK_PATH,
    FLOW_LIFETIME,
    OidcSettings,
    begin_login,
    identity_from_claims,
    provider_error_code,
    safe_next_path,
    take_pending_login,
)
from xentri.identity.oidc_accounts import apply_org_claim, sign_in
from xentri.identity.oidc_errors import (
    AccountDisabledError,
    OidcDeniedError,
    OidcNotConfiguredError,
    OidcStateError,
    OidcUnavailableError,
)
from xentri.identity.oidc_provider import OidcProvider
from xentri.kernel.db.tenant import user_transaction

log = structlog.get_logger("xentri.identity")

PREFIX = "/api/v1/auth/oidc"
FLOW_COOKIE = "xentri_oidc_flow"

oidc_router = APIRouter(prefix=PREFIX, tags=["auth"])

_FOUND: dict[int | str, dict[str, Any]] = {
    302: {"description": "To the provider, or back into Xentri once signed in"}
}


def oidc_settings_of(request: Request) -> OidcSettings:
    """The app's OIDC settings (set by the composition root), else the environment's."""
    settings: OidcSettings | None = getattr(request.app.state, "oidc_settings", None)
    if settings is None:
        try:
            settings = OidcSettings()
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            log.error("oidc_misconfigured", errors=errors)
            raise OidcUnavailableError("The XENTRI_OIDC_* settings are invalid.") from None
        request.app.state.oidc_settings = settings
    return settings


def provider_of(request: Request) -> OidcProvider:
    """The provider for the current settings; its caches live as long as they do."""
    settings = oidc_settings_of(request)
    if not settings.configured:
        raise OidcNotConfiguredError("Sign in with your email and password.")
    provider: OidcProvider | None = getattr(request.app.state, "oidc_provider", None)
    if provider is None or provider.settings is not settings:
        provider = OidcProvider(settings)
        request.app.state.oidc_provider = provider
    return provider


@oidc_router.get(
    "/login",
    status_code=302,
    response_class=RedirectResponse,
    responses=_FOUND,
    summary="Start signing in with the configured OpenID Connect provider",
)
async def oidc_login(
    request: Request,
    next_path: Annotated[str | None, Query(alias="next", max_length=1000)] = None,
) -> RedirectResponse:
    provider = provider_of(request)
    start = await begin_login(
        provider=provider,
        redis=_redis(request),
        redirect_url=_redirect_url(request, provider.settings),
        next_path=safe_next_path(next_path),
    )
    response = RedirectResponse(start.authorization_url, status_code=302)
    response.set_cookie(
        FLOW_COOKIE,
        start.browser_binding,
        max_age=int(FLOW_LIFETIME.total_seconds()),
        httponly=True,
        secure=request.url.scheme == "https",
        # Lax still rides along on the provider's top-level redirect back to the callback.
        samesite="lax",
        path=PREFIX,
    )
    return response


@oidc_router.get(
    "/callback",
    status_code=302,
    response_class=RedirectResponse,
    responses=_FOUND,
    summary="Where the provider sends the browser back; opens a Xentri session",
)
async def oidc_callback(
    request: Request,
    state: Annotated[str | None, Query(max_length=200)] = None,
    code: Annotated[str | None, Query(max_length=4096)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> RedirectResponse:
    provider = provider_of(request)
    # The state is consumed first, whatever the outcome: a callback is good for one try.
    pending = await take_pending_login(
        redis=_redis(request), state=state, browser_binding=request.cookies.get(FLOW_COOKIE)
    )
    if error is not None:
        raise OidcDeniedError(
            "It answered with an error instead of signing you in.",
            provider_error=provider_error_code(error),
        )
    if not code:
        raise OidcStateError("The provider sent no code. Start the sign-in again.")
    tokens = await provider.exchange_code(
        code=code, verifier=pending.verifier, redirect_url=pending.redirect_url
    )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcDeniedError("It sent no ID token (is the openid scope allowed?).")
    claims = await provider.verify_id_token(
        id_token, nonce=pending.nonce, access_token=tokens.get("access_token")
    )
    identity = identity_from_claims(claims, org_claim=provider.settings.org_claim)

    async with account_scope(request) as tx:
        signed_in = await sign_in(
            tx=tx, identity=identity, ip=_ip(request), user_agent=request.headers.get("user-agent")
        )
    if signed_in is None:
        raise AccountDisabledError("Ask an administrator of your organization for help.")
    if identity.org_id is not None:
        # Its own unit of work: it runs inside the claimed org, the account's outside any.
        engine = engine_of(request)
        async with user_transaction(engine, signed_in.user_id, org_id=identity.org_id) as tx:
            await apply_org_claim(
                tx=tx,
                org_id=identity.org_id,
                user_id=signed_in.user_id,
                session_id=signed_in.session_id,
                trusted=provider.settings.trust_org_claim,
            )

    response = RedirectResponse(pending.next_path, status_code=302)
    set_session_cookie(request, response, signed_in.token)
    response.delete_cookie(FLOW_COOKIE, path=PREFIX, httponly=True, samesite="lax")
    return response


def _redirect_url(request: Request, settings: OidcSettings) -> str:
    if settings.redirect_url:
        return settings.redirect_url
    # A forged Host header cannot divert the code: providers only redirect to registered URLs.
    base = request.app.state.settings.public_url or str(request.base_url)
    return str(base).rstrip("/") + CALLBACK_PATH


def _redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None
