"""Helpers for the web shell's tests: read a page's CSRF token, sign up through the forms."""

from __future__ import annotations

import html
import re
import uuid

import httpx

from tests.support.identity import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    match = _CSRF.search(page)
    assert match, "no CSRF field on the page"
    return html.unescape(match.group(1))


async def form_token(client: httpx.AsyncClient, path: str) -> str:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


async def sign_up_in_browser(
    client: httpx.AsyncClient, *, name: str = "Ana", email: str | None = None, **headers: str
) -> str:
    email = email or f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    token = await form_token(client, "/signup")
    response = await client.post(
        "/signup",
        data={"csrf_token": token, "name": name, "email": email, "password": PASSWORD},
        headers=headers,
    )
    assert response.status_code == 303, response.text
    return email
