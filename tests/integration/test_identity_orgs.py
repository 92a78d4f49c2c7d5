"""Organizations and memberships over the API, and the gate between tenants."""

from __future__ import annotations

import uuid

import pytest

from tests.support.db import as_org
from tests.support.identity import add_member, create_org, sign_up

pytestmark = pytest.mark.integration


@pytest.fixture
def app(make_app):
    return make_app()


def org_row(owner_conn, org_id):
    with as_org(owner_conn, org_id):
        return owner_conn.execute(
            "select name, time_zone, currency from organizations where id = %s", (org_id,)
        ).fetchone()


def org_events(owner_conn, org_id) -> list[str]:
    with as_org(owner_conn, org_id):
        return [
            r[0]
            for r in owner_conn.execute(
                "select type from system_events order by org_seq"
            ).fetchall()
        ]


async def test_the_creator_owns_the_new_org_and_it_becomes_active(app, client_for, owner_conn):
    async with client_for(app) as client:
        ana = await sign_up(client)
        org_id = await create_org(
            ana, "Café Oaxaca", time_zone="America/Mexico_City", currency="MXN", size="2-10"
        )
        mine = await client.get("/api/v1/orgs")
        session = await client.get("/api/v1/auth/session")
        members = await client.get(f"/api/v1/orgs/{org_id}/members")

    assert [(o["name"], o["role"]) for o in mine.json()] == [("Café Oaxaca", "owner")]
    assert session.json()["active_org_id"] == str(org_id)
    assert [(m["email"], m["role"]) for m in members.json()] == [(ana.email, "owner")]
    assert org_row(owner_conn, org_id) == ("Café Oaxaca", "America/Mexico_City", "MXN")
    assert org_events(owner_conn, org_id) == ["xentri.org.created.v1"]


async def test_bad_settings_are_field_errors(app, client_for):
    async with client_for(app) as client:
        ana = await sign_up(client)
        response = await client.post(
            "/api/v1/orgs",
            json={"name": "", "time_zone": "Mars/Olympus", "currency": "pesos", "size": "huge"},
            headers=ana.headers(),
        )

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "body.name",
        "body.time_zone",
        "body.currency",
        "body.size",
    }


async def test_a_user_of_org_a_cannot_see_or_change_org_b(app, client_for, owner_conn):
    async with client_for(app) as a_client, client_for(app) as b_client:
        ana = await sign_up(a_client, name="Ana")
        bea = await sign_up(b_client, name="Bea")
        await create_org(ana, "A Corp")
        org_b = await create_org(bea, "B Corp")

        reads = [
            await a_client.get(f"/api/v1/orgs/{org_b}"),
            await a_client.get(f"/api/v1/orgs/{org_b}/members"),
        ]
        writes = [
            await a_client.patch(
                f"/api/v1/orgs/{org_b}", json={"name": "Hacked"}, headers=ana.headers()
            ),
            await a_client.post(f"/api/v1/orgs/{org_b}/switch", headers=ana.headers()),
            await a_client.delete(
                f"/api/v1/orgs/{org_b}/members/{bea.user_id}", headers=ana.headers()
            ),
            await a_client.patch(
                f"/api/v1/orgs/{org_b}/members/{ana.user_id}",
                json={"role": "owner"},
                headers=ana.headers(),
            ),
        ]
        a_orgs = await a_client.get("/api/v1/orgs")

    assert {r.status_code for r in reads + writes} == {404}
    assert all(r.json()["type"].endswith("/org-not-found") for r in reads + writes)
    assert org_row(owner_conn, org_b)[0] == "B Corp"
    assert [o["name"] for o in a_orgs.json()] == ["A Corp"]
    assert org_events(owner_conn, org_b) == ["xentri.org.created.v1"]


async def test_a_member_cannot_raise_their_own_role_or_manage_others(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as m_client:
        owner = await sign_up(o_client, name="Olga")
        member = await sign_up(m_client, name="Mia")
        org_id = await create_org(owner, "Shared")
        add_member(owner_conn, org_id, member.user_id, "member")

        raise_self = await m_client.patch(
            f"/api/v1/orgs/{org_id}/members/{member.user_id}",
            json={"role": "admin"},
            headers=member.headers(),
        )
        rename = await m_client.patch(
            f"/api/v1/orgs/{org_id}", json={"name": "Mine now"}, headers=member.headers()
        )
        members = await o_client.get(f"/api/v1/orgs/{org_id}/members")

    assert raise_self.status_code == 403
    assert rename.status_code == 403
    assert {m["email"]: m["role"] for m in members.json()} == {
        owner.email: "owner",
        member.email: "member",
    }


async def test_admins_manage_members_but_not_owners(app, client_for, owner_conn):
    async with (
        client_for(app) as o_client,
        client_for(app) as a_client,
        client_for(app) as m_client,
    ):
        owner = await sign_up(o_client, name="Olga")
        admin = await sign_up(a_client, name="Abel")
        member = await sign_up(m_client, name="Mia")
        org_id = await create_org(owner, "Team")
        add_member(owner_conn, org_id, admin.user_id, "admin")
        add_member(owner_conn, org_id, member.user_id, "member")

        promote = await a_client.patch(
            f"/api/v1/orgs/{org_id}/members/{member.user_id}",
            json={"role": "admin"},
            headers=admin.headers(),
        )
        make_owner = await a_client.patch(
            f"/api/v1/orgs/{org_id}/members/{member.user_id}",
            json={"role": "owner"},
            headers=admin.headers(),
        )
        remove_owner = await a_client.delete(
            f"/api/v1/orgs/{org_id}/members/{owner.user_id}", headers=admin.headers()
        )

    assert promote.status_code == 204
    assert make_owner.status_code == 403
    assert remove_owner.status_code == 403
    assert "xentri.org.member_role_changed.v1" in org_events(owner_conn, org_id)


async def test_the_last_owner_cannot_leave_until_ownership_is_transferred(
    app, client_for, owner_conn
):
    async with client_for(app) as o_client, client_for(app) as m_client:
        owner = await sign_up(o_client, name="Olga")
        member = await sign_up(m_client, name="Mia")
        org_id = await create_org(owner, "Handover")
        add_member(owner_conn, org_id, member.user_id, "member")

        leave = await o_client.delete(
            f"/api/v1/orgs/{org_id}/members/{owner.user_id}", headers=owner.headers()
        )
        transfer = await o_client.post(
            f"/api/v1/orgs/{org_id}/transfer-ownership",
            json={"to_user_id": str(member.user_id)},
            headers=owner.headers(),
        )
        leave_after = await o_client.delete(
            f"/api/v1/orgs/{org_id}/members/{owner.user_id}", headers=owner.headers()
        )
        members = await m_client.get(f"/api/v1/orgs/{org_id}/members")

    assert leave.status_code == 409
    assert leave.json()["type"].endswith("/last-owner")
    assert transfer.status_code == 204
    assert leave_after.status_code == 204
    assert [(m["email"], m["role"]) for m in members.json()] == [(member.email, "owner")]


async def test_switching_requires_membership_and_sets_the_active_org(app, client_for, owner_conn):
    async with client_for(app) as client:
        ana = await sign_up(client)
        first = await create_org(ana, "First")
        await create_org(ana, "Second")
        switched = await client.post(f"/api/v1/orgs/{first}/switch", headers=ana.headers())
        session = await client.get("/api/v1/auth/session")
        nowhere = await client.post(f"/api/v1/orgs/{uuid.uuid4()}/switch", headers=ana.headers())

    assert switched.status_code == 200
    assert session.json()["active_org_id"] == str(first)
    assert nowhere.status_code == 404


async def test_the_org_header_is_checked_against_membership(app, client_for):
    async with client_for(app) as a_client, client_for(app) as b_client:
        ana = await sign_up(a_client, name="Ana")
        bea = await sign_up(b_client, name="Bea")
        org_a = await create_org(ana, "A Corp")
        org_b = await create_org(bea, "B Corp")

        active = await a_client.get("/api/v1/orgs/current")
        by_header = await a_client.get("/api/v1/orgs/current", headers={"x-org-id": str(org_a)})
        foreign = await a_client.get("/api/v1/orgs/current", headers={"x-org-id": str(org_b)})
        garbage = await a_client.get("/api/v1/orgs/current", headers={"x-org-id": "nope"})

    assert active.json()["id"] == by_header.json()["id"] == str(org_a)
    assert foreign.status_code == 404
    assert garbage.status_code == 404
    assert "B Corp" not in foreign.text


async def test_the_dev_mailbox_page_shows_sent_mail(app, client_for):
    async with client_for(app) as client:
        person = await sign_up(client)
        page = await client.get("/dev/mailbox")

    assert page.status_code == 200
    assert person.email in page.text
    assert "Confirm your email for Xentri" in page.text
    assert '<a href="http://testserver/verify-email?token=' in page.text
