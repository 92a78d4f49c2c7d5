"""Team and Integrations settings: invite, change roles, remove, withdraw; API keys shown once
and revoked. Refusals change nothing; an org never loses its last owner."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.support.db import as_org
from tests.support.identity import add_member
from tests.support.shell import csrf_of, finish_wizard, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration


async def owner_with_org(client, org: str = "Café Quetzal"):
    email = await sign_up_in_browser(client, name="Ana")
    await finish_wizard(client, org=org)
    return email


def ids(owner_conn, email: str):
    return owner_conn.execute(
        "select u.id, p.created_org_id from users u left join onboarding_progress p "
        "on p.user_id = u.id where u.email = %s",
        (email,),
    ).fetchone()


async def join(app, client_for, owner_conn, org_id, role: str, name: str = "Ben"):
    client = client_for(app)
    email = await sign_up_in_browser(client, name=name)
    user_id = owner_conn.execute("select id from users where email = %s", (email,)).fetchone()[0]
    add_member(owner_conn, org_id, user_id, role)
    return client, user_id


def roles(owner_conn, org_id) -> dict:
    with as_org(owner_conn, org_id):
        rows = owner_conn.execute("select user_id, role from memberships").fetchall()
    return dict(rows)


async def test_an_owner_invites_and_the_invitation_is_listed_and_mailed(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    await owner_with_org(client)
    token = await form_token(client, "/settings/team")

    sent = await client.post(
        "/settings/team/invite",
        data={"csrf_token": token, "email": "bea@example.com", "role": "admin"},
    )
    page = await client.get("/settings/team")
    bad = await client.post(
        "/settings/team/invite",
        data={"csrf_token": token, "email": "not-an-email", "role": "admin"},
    )

    assert sent.status_code == 303
    assert "Invitation sent." in page.text
    assert "bea@example.com" in page.text
    assert bad.status_code == 422
    assert "Enter a valid email address" in bad.text
    assert 'value="not-an-email"' in bad.text
    mails = owner_conn.execute(
        "select count(*) from dev_mailbox where to_address = 'bea@example.com' "
        "and body_text like '%%/invitations/accept?token=%%'"
    ).fetchone()[0]
    assert mails >= 1


async def test_inviting_an_existing_member_says_so(make_app, client_for, owner_conn):
    app = make_app()
    client = client_for(app)
    email = await owner_with_org(client)
    _me, org_id = ids(owner_conn, email)
    await join(app, client_for, owner_conn, org_id, "member")
    member_email = owner_conn.execute(
        "select email from users where name = 'Ben' order by created_at desc limit 1"
    ).fetchone()[0]
    token = await form_token(client, "/settings/team")

    response = await client.post(
        "/settings/team/invite",
        data={"csrf_token": token, "email": member_email, "role": "member"},
    )

    assert response.status_code == 409
    assert "This person is already a member." in response.text


async def test_a_member_can_neither_invite_nor_change_roles_and_nothing_changes(
    make_app, client_for, owner_conn
):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    owner_id, org_id = ids(owner_conn, email)
    member, member_id = await join(app, client_for, owner_conn, org_id, "member")
    token = await form_token(member, "/settings/team")
    before = roles(owner_conn, org_id)
    stranger = f"x-{uuid.uuid4().hex[:8]}@example.com"

    invited = await member.post(
        "/settings/team/invite", data={"csrf_token": token, "email": stranger, "role": "member"}
    )
    raised = await member.post(
        f"/settings/team/members/{member_id}/role", data={"csrf_token": token, "role": "owner"}
    )
    removed = await member.post(
        f"/settings/team/members/{owner_id}/remove", data={"csrf_token": token}
    )
    page = await member.get("/settings/team")

    assert invited.status_code == raised.status_code == removed.status_code == 403
    assert "Your role does not allow this." in removed.text
    assert 'action="/settings/team/invite"' not in page.text
    assert roles(owner_conn, org_id) == before
    pending = owner_conn.execute(
        "select count(*) from dev_mailbox where to_address = %s", (stranger,)
    ).fetchone()[0]
    assert pending == 0


async def test_an_owner_changes_a_role_and_removes_a_member(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    owner_id, org_id = ids(owner_conn, email)
    _member, member_id = await join(app, client_for, owner_conn, org_id, "member")
    token = await form_token(owner, "/settings/team")

    promoted = await owner.post(
        f"/settings/team/members/{member_id}/role", data={"csrf_token": token, "role": "admin"}
    )
    after_promotion = roles(owner_conn, org_id)
    removed = await owner.post(
        f"/settings/team/members/{member_id}/remove", data={"csrf_token": token}
    )

    assert promoted.status_code == removed.status_code == 303
    assert after_promotion == {owner_id: "owner", member_id: "admin"}
    assert roles(owner_conn, org_id) == {owner_id: "owner"}


async def test_the_last_owner_can_neither_leave_nor_be_demoted(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    owner_id, org_id = ids(owner_conn, email)
    await join(app, client_for, owner_conn, org_id, "admin")
    token = await form_token(owner, "/settings/team")

    left = await owner.post(f"/settings/team/members/{owner_id}/remove", data={"csrf_token": token})
    demoted = await owner.post(
        f"/settings/team/members/{owner_id}/role", data={"csrf_token": token, "role": "member"}
    )

    assert left.status_code == demoted.status_code == 409
    assert "An organization needs an owner." in left.text
    assert roles(owner_conn, org_id)[owner_id] == "owner"


async def test_an_admin_cannot_remove_an_owner(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    owner_id, org_id = ids(owner_conn, email)
    admin, _admin_id = await join(app, client_for, owner_conn, org_id, "admin")
    token = await form_token(admin, "/settings/team")
    before = roles(owner_conn, org_id)

    response = await admin.post(
        f"/settings/team/members/{owner_id}/remove", data={"csrf_token": token}
    )

    assert response.status_code == 403
    assert roles(owner_conn, org_id) == before


async def test_a_member_may_leave_on_their_own(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    owner_id, org_id = ids(owner_conn, email)
    member, member_id = await join(app, client_for, owner_conn, org_id, "member")
    token = await form_token(member, "/settings/team")

    response = await member.post(
        f"/settings/team/members/{member_id}/remove", data={"csrf_token": token}
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    assert roles(owner_conn, org_id) == {owner_id: "owner"}


async def test_an_invitation_is_withdrawn(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await owner_with_org(client)
    _me, org_id = ids(owner_conn, email)
    token = await form_token(client, "/settings/team")
    await client.post(
        "/settings/team/invite",
        data={"csrf_token": token, "email": "cy@example.com", "role": "member"},
    )
    page = await client.get("/settings/team")
    invitation_id = re.search(r"/settings/team/invitations/([0-9a-f-]+)/revoke", page.text).group(1)

    response = await client.post(
        f"/settings/team/invitations/{invitation_id}/revoke", data={"csrf_token": token}
    )

    assert response.status_code == 303
    with as_org(owner_conn, org_id):
        revoked = owner_conn.execute(
            "select revoked_at is not null from invitations where id = %s", (invitation_id,)
        ).fetchone()[0]
    assert revoked is True
    assert "cy@example.com" not in (await client.get("/settings/team")).text


async def test_an_api_key_is_shown_once_listed_by_prefix_and_revoked(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    email = await owner_with_org(client)
    _me, org_id = ids(owner_conn, email)
    token = await form_token(client, "/settings/integrations")

    created = await client.post(
        "/settings/integrations/keys", data={"csrf_token": token, "name": "Shop", "role": "member"}
    )
    secret = re.search(r"<code class=\"secret\" data-secret>(xk_[^<]+)</code>", created.text).group(
        1
    )
    whoami = await client.get("/api/v1/whoami", headers={"authorization": f"Bearer {secret}"})
    listed = await client.get("/settings/integrations")
    key_id = re.search(r"/settings/integrations/keys/([0-9a-f-]+)/revoke", listed.text).group(1)
    revoked = await client.post(
        f"/settings/integrations/keys/{key_id}/revoke", data={"csrf_token": token}
    )
    refused = await client.get("/api/v1/whoami", headers={"authorization": f"Bearer {secret}"})

    assert created.status_code == 201
    assert created.headers["cache-control"] == "no-store"
    assert whoami.status_code == 200
    assert whoami.json()["org_id"] == str(org_id)
    assert secret not in listed.text  # shown once, never again
    assert secret[:11] in listed.text
    assert revoked.status_code == 303
    assert refused.status_code == 401


async def test_a_member_cannot_manage_api_keys(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    _owner_id, org_id = ids(owner_conn, email)
    owner_token = await form_token(owner, "/settings/integrations")
    await owner.post(
        "/settings/integrations/keys",
        data={"csrf_token": owner_token, "name": "Shop", "role": "member"},
    )
    listed = await owner.get("/settings/integrations")
    key_id = re.search(r"/settings/integrations/keys/([0-9a-f-]+)/revoke", listed.text).group(1)
    member, _member_id = await join(app, client_for, owner_conn, org_id, "member")
    token = await form_token(member, "/settings/integrations")

    created = await member.post(
        "/settings/integrations/keys", data={"csrf_token": token, "name": "Mine", "role": "member"}
    )
    revoked = await member.post(
        f"/settings/integrations/keys/{key_id}/revoke", data={"csrf_token": token}
    )

    assert created.status_code == revoked.status_code == 403
    with as_org(owner_conn, org_id):
        keys = owner_conn.execute("select name, revoked_at from api_keys").fetchall()
    assert keys == [("Shop", None)]


async def test_an_admin_cannot_make_an_owner_key(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner)
    _owner_id, org_id = ids(owner_conn, email)
    admin, _admin_id = await join(app, client_for, owner_conn, org_id, "admin")
    page = await admin.get("/settings/integrations")

    response = await admin.post(
        "/settings/integrations/keys",
        data={"csrf_token": csrf_of(page.text), "name": "Root", "role": "owner"},
    )

    assert '<option value="owner"' not in page.text
    assert response.status_code == 403
    with as_org(owner_conn, org_id):
        assert owner_conn.execute("select count(*) from api_keys").fetchone()[0] == 0


async def test_an_api_key_needs_a_name_in_the_visitors_language(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await sign_up_in_browser(client, name="Ana", **{"accept-language": "es"})
    await finish_wizard(client, language="es")
    _me, org_id = ids(owner_conn, email)
    token = await form_token(client, "/settings/integrations")

    response = await client.post(
        "/settings/integrations/keys", data={"csrf_token": token, "name": "", "role": "member"}
    )

    assert response.status_code == 422
    assert "Ponle a la clave el nombre del programa que la usará." in response.text
    with as_org(owner_conn, org_id):
        assert owner_conn.execute("select count(*) from api_keys").fetchone()[0] == 0


async def test_a_double_submitted_key_form_makes_one_key(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await owner_with_org(client)
    _me, org_id = ids(owner_conn, email)
    page = await client.get("/settings/integrations")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    once = re.search(r'name="once" value="([0-9a-f]+)"', page.text).group(1)
    form = {"csrf_token": token, "once": once, "name": "Shop", "role": "member"}

    first = await client.post("/settings/integrations/keys", data=form)
    second = await client.post("/settings/integrations/keys", data=form)

    with as_org(owner_conn, org_id):
        keys = owner_conn.execute("select count(*) from api_keys").fetchone()[0]
    assert first.status_code == 201
    assert second.status_code == 409
    assert "first click" in second.text
    assert keys == 1
