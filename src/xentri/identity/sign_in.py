"""Signing up and logging in from a request, shared by the JSON API and the web pages: the
throttles, the use case and the new session in one place, so both doors behave the same."""

from __future__ import annotations

import uuid

from fastapi import Request

from xentri.identity import accounts
from xentri.identity.errors import TooManyAttemptsError
from xentri.identity.http import account_scope, base_url_of, mailer_of
from xentri.identity.schemas import LoginIn, SignupIn
from xentri.identity.throttle import (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    SIGNUP_PER_ACCOUNT,
    SIGNUP_PER_ADDRESS,
    throttle,
)

# (user id, session id, the session cookie's token)
SignedIn = tuple[uuid.UUID, uuid.UUID, str]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def sign_up(request: Request, signup_in: SignupIn) -> SignedIn:
    """Create the account and its first session in one transaction: all of it, or nothing."""
    await throttle(
        request,
        action="signup",
        account=signup_in.email,
        per_account=SIGNUP_PER_ACCOUNT,
        per_address=SIGNUP_PER_ADDRESS,
    )
    async with account_scope(request) as tx:
        await accounts.signup(
            tx=tx,
            signup_in=accounts.SignupIn(
                email=signup_in.email,
                password=signup_in.password,
                name=signup_in.name,
                preferred_language=signup_in.preferred_language,
            ),
            mailer=mailer_of(request),
            base_url=base_url_of(request),
        )
        signed_in = await accounts.login(
            tx=tx,
            email=signup_in.email,
            password=signup_in.password,
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent"),
        )
    assert signed_in is not None, "the account was created with this very password"
    return signed_in


async def throttle_password_check(request: Request, *, email: str) -> None:
    """A password typed again to confirm (closing the account) counts as a log-in attempt on
    the same budget: a stolen session gets no more guesses than the log-in page gives."""
    await throttle(
        request,
        action="login",
        account=email,
        per_account=LOGIN_PER_ACCOUNT,
        per_address=LOGIN_PER_ADDRESS,
    )


async def log_in(request: Request, login_in: LoginIn) -> SignedIn | None:
    """Check the credentials (after the throttles) and open a session; None when they are wrong."""
    try:
        await throttle(
            request,
            action="login",
            account=login_in.email,
            per_account=LOGIN_PER_ACCOUNT,
            per_address=LOGIN_PER_ADDRESS,
        )
    except TooManyAttemptsError:
        async with account_scope(request) as tx:
            await accounts.record_throttled_login(tx=tx, ip=client_ip(request))
        raise
    async with account_scope(request) as tx:
        return await accounts.login(
            tx=tx,
            email=login_in.email,
            password=login_in.password,
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent"),
        )
