"""Helpers for identity tests: sign people up through the API, read the dev mailbox."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import httpx

from tests.support.db import as_org

PASSWORD = "correct horse battery staple"


@dataclass
class Person:
    client: httpx.AsyncClient
    email: str
    user_id: uuid.UUID
    csrf: str

    def headers(self, **extra: str) -> dict[str, str]:
        return {"x-csrf-token": self.csrf, **extra}


async def sign_up(client: httpx.AsyncClient, *, name: str = "Ana") -> Person:
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    response = await client.post(
        "/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "name": name}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Person(client, email, uuid.UUID(body["user"]["id"]), body["csrf_token"])


async def create_org(person: Person, name: str = "Café Oaxaca", **fields: str) -> uuid.UUID:
    response = await person.client.post(
        "/api/v1/orgs", json={"name": name, **fields}, headers=person.headers()
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def last_mail_token(owner_conn, email: str) -> str:
    body = owner_conn.execute(
        "select body_text from dev_mailbox where to_address = %s order by created_at desc limit 1",
        (email,),
    ).fetchone()[0]
    match = re.search(r"token=([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def add_member(owner_conn, org_id: uuid.UUID, user_id: uuid.UUID, role: str) -> None:
    """Until invitations exist: put a user in an org directly, as the app would after accepting."""
    with as_org(owner_conn, org_id):
        owner_conn.execute(
            "insert into memberships (id, org_id, user_id, role) values (%s, %s, %s, %s)",
            (uuid.uuid4(), org_id, user_id, role),
        )
