"""Helpers for invitation tests: invite over the API, read the mail, look at an org's rows."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.identity import PASSWORD, Person


@dataclass(frozen=True)
class InvitationMail:
    subject: str
    body: str
    token: str


async def sign_up_as(client: httpx.AsyncClient, email: str, *, name: str = "Bea") -> Person:
    response = await client.post(
        "/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "name": name}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Person(client, email, uuid.UUID(body["user"]["id"]), body["csrf_token"])


def invitee_email(name: str = "bea") -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


async def invite(
    person: Person, org_id: uuid.UUID, email: str, role: str = "member"
) -> httpx.Response:
    return await person.client.post(
        f"/api/v1/orgs/{org_id}/invitations",
        json={"email": email, "role": role},
        headers=person.headers(),
    )


async def accept(person: Person, token: str) -> httpx.Response:
    return await person.client.post(
        "/api/v1/invitations/accept", json={"token": token}, headers=person.headers()
    )


def invitation_mails(owner_conn: Any, email: str) -> list[InvitationMail]:
    """Every invitation mailed to `email`, oldest first."""
    rows = owner_conn.execute(
        "select subject, body_text from dev_mailbox where lower(to_address) = lower(%s) "
        "and body_text like %s order by created_at, id",
        (email, "%/invitations/accept?token=%"),
    ).fetchall()
    mails = []
    for subject, body in rows:
        match = re.search(r"/invitations/accept\?token=([A-Za-z0-9_\-]+)", body)
        assert match, body
        mails.append(InvitationMail(subject, body, match.group(1)))
    return mails


def in_org(owner_conn: Any, org_id: uuid.UUID, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Run one statement as the owner inside the org (the owner, too, is under forced RLS)."""
    with owner_conn.transaction():
        owner_conn.execute("select set_config('app.current_org_id', %s, true)", (str(org_id),))
        cursor = owner_conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def invitation_rows(owner_conn: Any, org_id: uuid.UUID) -> list[Any]:
    return in_org(
        owner_conn,
        org_id,
        "select id, email, role, accepted_at is not null, accepted_by, revoked_at is not null "
        "from invitations order by created_at, id",
    )


def member_roles(owner_conn: Any, org_id: uuid.UUID) -> dict[uuid.UUID, str]:
    return dict(in_org(owner_conn, org_id, "select user_id, role from memberships"))


def org_events(owner_conn: Any, org_id: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    return [
        (kind, payload)
        for kind, payload in in_org(
            owner_conn, org_id, "select type, payload from system_events order by org_seq"
        )
    ]


def expire(owner_conn: Any, org_id: uuid.UUID, invitation_id: uuid.UUID) -> None:
    in_org(
        owner_conn,
        org_id,
        "update invitations set expires_at = now() - interval '1 minute' where id = %s",
        (invitation_id,),
    )
