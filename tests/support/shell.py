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


async def finish_wizard(
    client: httpx.AsyncClient,
    *,
    name: str = "Ana",
    org: str = "Café Quetzal",
    time_zone: str = "America/Mexico_City",
    language: str = "en",
) -> None:
    """Walk the first-run wizard through its forms, as a new owner would."""
    token = await form_token(client, "/welcome/profile")
    steps = (
        ("/welcome/profile", {"name": name, "phone": "", "browser_time_zone": time_zone}),
        ("/welcome/organization", {"name": org, "industry": "food", "size": "2-10"}),
        ("/welcome/region", {"language": language, "time_zone": time_zone, "currency": "MXN"}),
    )
    for path, fields in steps:
        page = await client.get(path)
        assert page.status_code == 200, page.text
        form_id = re.search(r'name="form_id" value="([^"]+)"', page.text)
        extra = {"form_id": form_id.group(1)} if form_id else {}
        response = await client.post(path, data={"csrf_token": token, **fields, **extra})
        assert response.status_code == 303, response.text
