"""CSRF tokens for the shell's HTML forms, which cannot send identity's X-CSRF-Token header.

Signed in, a form carries identity's session-bound token (the same HMAC the JSON API checks).
Signed out (sign-up, login, reset), it carries an HMAC of a random per-browser nonce kept in an
HttpOnly cookie: another site can make the browser post, but cannot read either value.
"""

from __future__ import annotations

import secrets
import uuid

from fastapi import Request, Response

from xentri.identity.http import secret_key_of
from xentri.identity.sessions import csrf_token as session_csrf_token
from xentri.identity.tokens import same, signed

FORM_COOKIE = "xentri_form"
FIELD = "csrf_token"


def new_form_nonce() -> str:
    return secrets.token_urlsafe(24)


def form_token(request: Request, nonce: str) -> str:
    return signed(secret_key_of(request), f"form:{nonce}")


def token_for(request: Request, *, session_id: uuid.UUID | None, nonce: str | None) -> str:
    if session_id is not None:
        return session_csrf_token(secret_key=secret_key_of(request), session_id=session_id)
    return form_token(request, nonce or "")


def valid(request: Request, sent: str, *, session_id: uuid.UUID | None) -> bool:
    if not sent:
        return False
    if session_id is not None:
        expected = session_csrf_token(secret_key=secret_key_of(request), session_id=session_id)
        if same(sent, expected):
            return True
    nonce = request.cookies.get(FORM_COOKIE)
    return bool(nonce) and same(sent, form_token(request, nonce or ""))


def set_form_cookie(request: Request, response: Response, nonce: str) -> None:
    response.set_cookie(
        FORM_COOKIE,
        nonce,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/",
    )
