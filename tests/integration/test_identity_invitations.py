"""Invitations over the API: invite by email, preview, accept once, and who may do what."""

from __future__ import annotations

import asyncio
import uuid

import psycopg
import pytest

from tests.support.identity import add_member, create_org, sign_up
from tests.support.invitations import (
    accept,
    expire,
    in_org,
    invitation_mails,
    invitation_rows,
    invite,
    invitee_email,
    member_roles,
    org_events,
    sign_up_as,
)
from xentri.kernel.db.urls import libpq_uri

pytestmark = pytest.mark.integration

SENT = "xentri.org.invitation_sent.v1"
REVOKED = "xentri.org.invitation_revoked.v1"
ACCEPTED = "xentri.org.invitation_accepted.v1"


@pytest.fixture
def app(make_app):
    return make_app()


async def test_the_invited_person_accepts_and_works_in_the_org_at_once(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as b_client:
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Café Oaxaca")
        bea_email = invitee_email("bea")

        sent = await invite(owner, org_id, bea_email, role="admin")
        pending = await o_client.get(f"/api/v1/orgs/{org_id}/invitations")
        [mail] = invitation_mails(owner_conn, bea_email)
        preview = await b_client.post("/api/v1/invitations/preview", json={"token": mail.token})
        bea = await sign_up_as(b_client, bea_email)
        own_org = await create_org(bea, "Bea's Bakery")
        accepted = await accept(bea, mail.token)
        session = await b_client.get("/api/v1/auth/session")
        bea_orgs = await b_client.get("/api/v1/orgs")
        members = await b_client.get(f"/api/v1/orgs/{org_id}/members")
        pending_after = await o_client.get(f"/api/v1/orgs/{org_id}/invitations")

    assert sent.status_code == 201, sent.text
    invitation = sent.json()
    assert set(invitation) == {
        "id",
        "email",
        "role",
        "invited_by",
        "inviter_name",
        "expires_at",
        "created_at",
    }
    assert (invitation["email"], invitation["role"], invitation["inviter_name"]) == (
        bea_email,
        "admin",
        "Olga",
    )
    assert invitation["invited_by"] == str(owner.user_id)
    assert mail.token not in sent.text
    assert pending.json() == [invitation]
    assert mail.subject == "Join Café Oaxaca on Xentri"
    assert f"http://testserver/invitations/accept?token={mail.token}" in mail.body
    assert "Olga invited you to join Café Oaxaca on Xentri as an admin." in mail.body
    assert preview.status_code == 200, preview.text
    assert preview.json() == {
        "org_name": "Café Oaxaca",
        "role": "admin",
        "inviter_name": "Olga",
        "email": bea_email,
        "expires_at": invitation["expires_at"],
    }
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {
        "org_id": str(org_id),
        "org_name": "Café Oaxaca",
        "role": "admin",
        "already_member": False,
    }
    assert session.json()["active_org_id"] == str(org_id)
    assert {o["name"]: o["role"] for o in bea_orgs.json()} == {
        "Café Oaxaca": "admin",
        "Bea's Bakery": "owner",
    }
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner", bea.user_id: "admin"}
    assert member_roles(owner_conn, own_org) == {bea.user_id: "owner"}
    assert {m["email"]: m["role"] for m in members.json()} == {
        owner.email: "owner",
        bea_email: "admin",
    }
    assert pending_after.json() == []
    invitation_id = uuid.UUID(invitation["id"])
    assert invitation_rows(owner_conn, org_id) == [
        (invitation_id, bea_email, "admin", True, bea.user_id, False)
    ]
    events = org_events(owner_conn, org_id)
    assert [kind for kind, _ in events] == ["xentri.org.created.v1", SENT, ACCEPTED]
    assert events[1][1] == {
        "invitation_id": str(invitation_id),
        "role": "admin",
        "invited_by": str(owner.user_id),
        "expires_at": events[1][1]["expires_at"],
    }
    assert events[2][1] == {
        "invitation_id": str(invitation_id),
        "user_id": str(bea.user_id),
        "role": "admin",
        "already_member": False,
    }
    token_hash = in_org(
        owner_conn, org_id, "select token_hash from invitations where id = %s", (invitation_id,)
    )[0][0]
    for _, payload in events:
        assert mail.token not in str(payload)
        assert token_hash not in str(payload)
        assert bea_email not in str(payload)


async def test_a_link_works_once(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as b_client:
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Once")
        bea = await sign_up(b_client, name="Bea")
        await invite(owner, org_id, bea.email)
        [mail] = invitation_mails(owner_conn, bea.email)

        first = await accept(bea, mail.token)
        second = await accept(bea, mail.token)
        preview = await b_client.post("/api/v1/invitations/preview", json={"token": mail.token})

    assert first.status_code == 200
    assert second.status_code == preview.status_code == 410
    assert second.json()["type"].endswith("/invitation-unavailable")
    assert second.json()["reason"] == preview.json()["reason"] == "accepted"
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner", bea.user_id: "member"}
    assert [kind for kind, _ in org_events(owner_conn, org_id)].count(ACCEPTED) == 1


async def test_two_accepts_at_the_same_moment_make_one_membership(
    app, client_for, owner_conn, servers
):
    async with client_for(app) as o_client, client_for(app) as b_client:
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Race")
        bea = await sign_up(b_client, name="Bea")
        invitation_id = uuid.UUID((await invite(owner, org_id, bea.email)).json()["id"])
        [mail] = invitation_mails(owner_conn, bea.email)

        # Hold the invitation's row lock so both accepts pass their checks and then queue on
        # the claiming UPDATE: the race is forced, not left to timing.
        with owner_conn.transaction():
            owner_conn.execute("select set_config('app.current_org_id', %s, true)", (str(org_id),))
            owner_conn.execute(
                "select id from invitations where id = %s for update", (invitation_id,)
            )
            owner_pid = owner_conn.info.backend_pid
            racers = asyncio.gather(accept(bea, mail.token), accept(bea, mail.token))
            await _wait_for_waiters(servers, owner_pid, count=2)
        responses = await racers

    assert sorted(r.status_code for r in responses) == [200, 410]
    [refused] = [r for r in responses if r.status_code == 410]
    assert refused.json()["reason"] == "accepted"
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner", bea.user_id: "member"}
    assert [kind for kind, _ in org_events(owner_conn, org_id)].count(ACCEPTED) == 1


async def test_an_expired_invitation_is_refused(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as b_client:
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Late")
        bea = await sign_up(b_client, name="Bea")
        invitation_id = uuid.UUID((await invite(owner, org_id, bea.email)).json()["id"])
        [mail] = invitation_mails(owner_conn, bea.email)
        expire(owner_conn, org_id, invitation_id)

        preview = await b_client.post("/api/v1/invitations/preview", json={"token": mail.token})
        accepted = await accept(bea, mail.token)
        pending = await o_client.get(f"/api/v1/orgs/{org_id}/invitations")

    assert preview.status_code == accepted.status_code == 410
    assert preview.json()["reason"] == accepted.json()["reason"] == "expired"
    assert pending.json() == []
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner"}
    assert ACCEPTED not in [kind for kind, _ in org_events(owner_conn, org_id)]


async def test_a_revoked_invitation_is_refused(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as b_client:
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Withdrawn")
        bea = await sign_up(b_client, name="Bea")
        invitation_id = (await invite(owner, org_id, bea.email)).json()["id"]
        [mail] = invitation_mails(owner_conn, bea.email)

        revoked = await o_client.delete(
            f"/api/v1/orgs/{org_id}/invitations/{invitation_id}", headers=owner.headers()
        )
        again = await o_client.delete(
            f"/api/v1/orgs/{org_id}/invitations/{invitation_id}", headers=owner.headers()
        )
        pending = await o_client.get(f"/api/v1/orgs/{org_id}/invitations")
        accepted = await accept(bea, mail.token)

    assert revoked.status_code == again.status_code == 204
    assert pending.json() == []
    assert accepted.status_code == 410
    assert accepted.json()["reason"] == "revoked"
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner"}
    events = org_events(owner_conn, org_id)
    assert [kind for kind, _ in events] == ["xentri.org.created.v1", SENT, REVOKED]
    assert events[2][1] == {
        "invitation_id": invitation_id,
        "role": "member",
        "reason": "revoked",
        "replaced_by": None,
    }


async def test_someone_signed_in_with_another_email_cannot_accept(app, client_for, owner_conn):
    async with (
        client_for(app) as o_client,
        client_for(app) as b_client,
        client_for(app) as c_client,
    ):
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Private")
        bea_email = invitee_email("bea")
        await invite(owner, org_id, bea_email)
        [mail] = invitation_mails(owner_conn, bea_email)
        carl = await sign_up(c_client, name="Carl")

        stolen = await accept(carl, mail.token)
        bea = await sign_up_as(b_client, bea_email.upper())
        rightful = await accept(bea, mail.token)

    assert stolen.status_code == 403
    assert stolen.json()["type"].endswith("/invitation-email-mismatch")
    assert rightful.status_code == 200, "a refused attempt does not use the link up"
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner", bea.user_id: "member"}


async def test_accepting_needs_a_session_and_its_csrf_token(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as b_client:
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Guarded")
        bea = await sign_up(b_client, name="Bea")
        await invite(owner, org_id, bea.email)
        [mail] = invitation_mails(owner_conn, bea.email)

        no_csrf = await b_client.post("/api/v1/invitations/accept", json={"token": mail.token})
        async with client_for(app) as anonymous:
            no_session = await anonymous.post(
                "/api/v1/invitations/accept", json={"token": mail.token}
            )

    assert no_csrf.status_code == 403
    assert no_csrf.json()["type"].endswith("/csrf-failed")
    assert no_session.status_code == 401
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner"}


async def test_an_unknown_link_is_not_found(app, client_for):
    async with client_for(app) as client:
        preview = await client.post("/api/v1/invitations/preview", json={"token": "x" * 43})

    assert preview.status_code == 404
    assert preview.json()["type"].endswith("/invitation-not-found")


async def test_a_member_cannot_invite(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as m_client:
        owner = await sign_up(o_client, name="Olga")
        member = await sign_up(m_client, name="Mia")
        org_id = await create_org(owner, "Members only")
        add_member(owner_conn, org_id, member.user_id, "member")
        target = invitee_email("eve")

        refused = await invite(member, org_id, target)
        listed = await m_client.get(f"/api/v1/orgs/{org_id}/invitations")

    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/forbidden")
    assert listed.status_code == 200, "members may see who is invited"
    assert listed.json() == []
    assert invitation_rows(owner_conn, org_id) == []
    assert invitation_mails(owner_conn, target) == []
    assert [kind for kind, _ in org_events(owner_conn, org_id)] == ["xentri.org.created.v1"]


async def test_an_admin_invites_members_and_admins_but_not_owners(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as a_client:
        owner = await sign_up(o_client, name="Olga")
        admin = await sign_up(a_client, name="Abel")
        org_id = await create_org(owner, "Ranks")
        add_member(owner_conn, org_id, admin.user_id, "admin")
        would_be_owner, new_admin = invitee_email("otto"), invitee_email("ada")

        as_owner = await invite(admin, org_id, would_be_owner, role="owner")
        as_admin = await invite(admin, org_id, new_admin, role="admin")
        by_owner = await invite(owner, org_id, would_be_owner, role="owner")
        revoke_owner_invitation = await a_client.delete(
            f"/api/v1/orgs/{org_id}/invitations/{by_owner.json()['id']}",
            headers=admin.headers(),
        )

    assert as_owner.status_code == 403
    assert as_admin.status_code == 201
    assert by_owner.status_code == 201
    assert revoke_owner_invitation.status_code == 403
    assert [(r[1], r[2], r[5]) for r in invitation_rows(owner_conn, org_id)] == [
        (new_admin, "admin", False),
        (would_be_owner, "owner", False),
    ]


async def test_inviting_a_member_is_refused_and_inviting_again_replaces_the_pending_link(
    app, client_for, owner_conn
):
    async with client_for(app) as o_client, client_for(app) as b_client:
        owner = await sign_up(o_client, name="Olga")
        org_id = await create_org(owner, "Again")
        bea = await sign_up(b_client, name="Bea")

        member_already = await invite(owner, org_id, owner.email.upper())
        first = await invite(owner, org_id, bea.email, role="member")
        second = await invite(owner, org_id, bea.email.upper(), role="admin")
        pending = await o_client.get(f"/api/v1/orgs/{org_id}/invitations")
        old_mail, new_mail = invitation_mails(owner_conn, bea.email)
        old_link = await accept(bea, old_mail.token)
        new_link = await accept(bea, new_mail.token)

    assert member_already.status_code == 409
    assert member_already.json()["type"].endswith("/already-member")
    assert first.status_code == second.status_code == 201
    assert [i["id"] for i in pending.json()] == [second.json()["id"]]
    assert old_link.status_code == 410
    assert old_link.json()["reason"] == "revoked"
    assert new_link.json()["role"] == "admin"
    assert member_roles(owner_conn, org_id) == {owner.user_id: "owner", bea.user_id: "admin"}
    events = org_events(owner_conn, org_id)
    assert [kind for kind, _ in events] == [
        "xentri.org.created.v1",
        SENT,
        REVOKED,
        SENT,
        ACCEPTED,
    ]
    assert events[2][1] == {
        "invitation_id": first.json()["id"],
        "role": "member",
        "reason": "replaced",
        "replaced_by": second.json()["id"],
    }


async def test_another_orgs_user_cannot_list_or_revoke_the_invitations(app, client_for, owner_conn):
    async with client_for(app) as a_client, client_for(app) as x_client:
        ana = await sign_up(a_client, name="Ana")
        xavi = await sign_up(x_client, name="Xavi")
        org_a = await create_org(ana, "A Corp")
        org_x = await create_org(xavi, "X Corp")
        invitation_id = (await invite(ana, org_a, invitee_email("bea"))).json()["id"]
        before = invitation_rows(owner_conn, org_a)

        listed = await x_client.get(f"/api/v1/orgs/{org_a}/invitations")
        revoked = await x_client.delete(
            f"/api/v1/orgs/{org_a}/invitations/{invitation_id}", headers=xavi.headers()
        )
        # Through X's own org, where xavi is the owner: RLS hides A's row.
        revoked_via_own_org = await x_client.delete(
            f"/api/v1/orgs/{org_x}/invitations/{invitation_id}", headers=xavi.headers()
        )
        own_list = await x_client.get(f"/api/v1/orgs/{org_x}/invitations")

    assert listed.status_code == revoked.status_code == 404
    assert listed.json()["type"].endswith("/org-not-found")
    assert revoked.json()["type"].endswith("/org-not-found")
    assert revoked_via_own_org.status_code == 404
    assert revoked_via_own_org.json()["type"].endswith("/invitation-not-found")
    assert own_list.json() == []
    assert invitation_rows(owner_conn, org_a) == before
    assert [kind for kind, _ in org_events(owner_conn, org_a)] == ["xentri.org.created.v1", SENT]
    assert [kind for kind, _ in org_events(owner_conn, org_x)] == ["xentri.org.created.v1"]


async def _wait_for_waiters(servers, blocker_pid: int, *, count: int) -> None:
    """Wait until `count` backends queue behind `blocker_pid` (directly or behind each other)."""
    async with await psycopg.AsyncConnection.connect(
        libpq_uri(servers.owner_url), autocommit=True
    ) as conn:
        for _ in range(200):
            waiting = (
                await (
                    await conn.execute(
                        "select count(*) from pg_stat_activity "
                        "where datname = current_database() and pid <> %s "
                        "and cardinality(pg_blocking_pids(pid)) > 0",
                        (blocker_pid,),
                    )
                ).fetchone()
            )[0]
            if waiting >= count:
                return
            await asyncio.sleep(0.05)
    raise AssertionError(f"only {waiting} of {count} accepts reached the row lock")
