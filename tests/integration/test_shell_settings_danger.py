"""Danger zone: the export holds every tenant table and nothing of another org; deleting an
org removes its rows everywhere and records it; deleting an account takes its password
(throttled like log-ins; its email for an account without one) and never orphans an org."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import pool

from tests.support.db import as_org
from tests.support.identity import PASSWORD, add_member
from tests.support.shell import finish_wizard, form_token, sign_up_in_browser
from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.kernel.db.doctor import tenant_tables
from xentri.kernel.db.urls import sqlalchemy_url

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def catalog_tables(servers) -> list[str]:
    engine = create_sync_engine(sqlalchemy_url(servers.owner_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        tables = tenant_tables(conn)
    engine.dispose()
    return tables


async def owner_with_org(client, org: str):
    email = await sign_up_in_browser(client, name="Ana")
    await finish_wizard(client, org=org)
    return email


def ids(owner_conn, email: str):
    return owner_conn.execute(
        "select u.id, p.created_org_id from users u left join onboarding_progress p "
        "on p.user_id = u.id where u.email = %s",
        (email,),
    ).fetchone()


async def test_the_export_has_every_tenant_table_and_only_this_orgs_rows(
    make_app, client_for, owner_conn, servers
):
    app = make_app()
    ours, theirs = client_for(app), client_for(app)
    email = await owner_with_org(ours, "Alfa")
    other_email = await owner_with_org(theirs, "Beta")
    _me, org_id = ids(owner_conn, email)
    _them, other_org = ids(owner_conn, other_email)
    for client in (ours, theirs):
        token = await form_token(client, "/settings/integrations")
        await client.post(
            "/settings/integrations/keys",
            data={"csrf_token": token, "name": "Shop", "role": "member"},
        )
    token = await form_token(ours, "/settings/organization")
    await ours.post(
        "/settings/organization/logo", data={"csrf_token": token}, files={"logo": ("l.png", PNG)}
    )

    for org, agent in ((org_id, "ours"), (other_org, "theirs")):
        with as_org(owner_conn, org):
            owner_conn.execute(
                "insert into ai_usage (id, org_id, agent_id, provider, model, input_tokens, "
                "output_tokens, metered) values (gen_random_uuid(), %s, %s, 'offline', "
                "'offline', 1, 2, false)",
                (org, agent),
            )

    response = await ours.post("/settings/danger/export", data={"csrf_token": token})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith('attachment; filename="xentri-alfa-')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    # Every tenant table is accounted for, a new one included without asking: exported, or
    # named as the system's own bookkeeping the app cannot read.
    tables = [t for t in catalog_tables(servers) if t not in manifest["not_exported"]]
    assert set(manifest["not_exported"]) <= {"relay_cursors", "job_runs"}
    assert {f"{table}.json" for table in tables} <= names
    assert archive.read("files/logo.png") == PNG
    for table in tables:
        rows = json.loads(archive.read(f"{table}.json"))
        assert all(row["org_id"] == str(org_id) for row in rows), table
        assert all(not key.endswith("_hash") for row in rows for key in row), table
    assert [row["name"] for row in json.loads(archive.read("organizations.json"))] == ["Alfa"]
    assert [row["name"] for row in json.loads(archive.read("api_keys.json"))] == ["Shop"]
    assert len(json.loads(archive.read("memberships.json"))) == 1
    assert [row["agent_id"] for row in json.loads(archive.read("ai_usage.json"))] == ["ours"]
    assert json.loads(archive.read("system_events.json"))  # its history too
    content = b"".join(archive.read(name) for name in names)
    assert str(other_org).encode() not in content
    assert b"Beta" not in content
    assert manifest["org_id"] == str(org_id)
    assert manifest["tables"]["organizations"] == 1


async def test_a_member_cannot_export(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner, "Alfa")
    _me, org_id = ids(owner_conn, email)
    member = client_for(app)
    member_email = await sign_up_in_browser(member, name="Ben")
    member_id = owner_conn.execute(
        "select id from users where email = %s", (member_email,)
    ).fetchone()[0]
    add_member(owner_conn, org_id, member_id, "member")
    token = await form_token(member, "/settings/danger")

    response = await member.post("/settings/danger/export", data={"csrf_token": token})

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")


async def test_deleting_an_org_needs_its_name_and_then_removes_every_row(
    make_app, client_for, owner_conn, servers
):
    app = make_app()
    client, neighbour = client_for(app), client_for(app)
    email = await owner_with_org(client, "Alfa")
    await owner_with_org(neighbour, "Beta")
    owner_id, org_id = ids(owner_conn, email)
    token = await form_token(client, "/settings/integrations")
    await client.post(
        "/settings/integrations/keys", data={"csrf_token": token, "name": "Shop", "role": "member"}
    )
    await client.post(
        "/settings/team/invite",
        data={"csrf_token": token, "email": "x@example.com", "role": "member"},
    )

    with as_org(owner_conn, org_id):
        # A table with no foreign key to the org: only the catalog walk can find its rows.
        owner_conn.execute(
            "insert into ai_usage (id, org_id, agent_id, provider, model, input_tokens, "
            "output_tokens, metered) values (gen_random_uuid(), %s, 'strategy', 'offline', "
            "'offline', 10, 20, false)",
            (org_id,),
        )

    wrong = await client.post(
        "/settings/danger/delete-org", data={"csrf_token": token, "confirm_org": "alfa"}
    )
    with as_org(owner_conn, org_id):
        still = owner_conn.execute("select count(*) from organizations").fetchone()[0]
    deleted = await client.post(
        "/settings/danger/delete-org", data={"csrf_token": token, "confirm_org": "Alfa"}
    )
    dashboard = await client.get("/dashboard")

    assert wrong.status_code == 422
    assert "Type the organization&#39;s name exactly as shown to confirm." in wrong.text
    assert still == 1
    assert deleted.status_code == 303
    assert "The organization and all its data were deleted." in dashboard.text
    assert "Set up your organization" in dashboard.text
    spine = {
        "system_events",
        "org_event_sequences",
        "relay_cursors",
        "event_receipts",
        "dead_letters",
    }
    with as_org(owner_conn, org_id):
        for table in catalog_tables(servers):
            if table in spine:
                continue
            count = owner_conn.execute(f"select count(*) from {table}").fetchone()[0]
            assert count == 0, table
        event = owner_conn.execute(
            "select payload from system_events where type = 'xentri.org.deleted.v1'"
        ).fetchone()[0]
    assert event == {"org_id": str(org_id), "deleted_by": str(owner_id)}
    assert (await neighbour.get("/dashboard")).status_code == 200
    assert "Beta" in (await neighbour.get("/dashboard")).text


async def test_an_admin_cannot_delete_the_org(make_app, client_for, owner_conn):
    app = make_app()
    owner = client_for(app)
    email = await owner_with_org(owner, "Alfa")
    _me, org_id = ids(owner_conn, email)
    admin = client_for(app)
    admin_email = await sign_up_in_browser(admin, name="Ben")
    admin_id = owner_conn.execute(
        "select id from users where email = %s", (admin_email,)
    ).fetchone()[0]
    add_member(owner_conn, org_id, admin_id, "admin")
    token = await form_token(admin, "/settings/danger")

    response = await admin.post(
        "/settings/danger/delete-org", data={"csrf_token": token, "confirm_org": "Alfa"}
    )

    assert response.status_code == 403
    with as_org(owner_conn, org_id):
        assert owner_conn.execute("select count(*) from memberships").fetchone()[0] == 2


def users_named(owner_conn, email: str) -> int:
    return owner_conn.execute("select count(*) from users where email = %s", (email,)).fetchone()[0]


async def test_deleting_an_account_asks_for_its_password(make_app, client_for):
    client = client_for(make_app())
    await owner_with_org(client, "Alfa")

    page = await client.get("/settings/danger")

    assert 'name="password" type="password"' in page.text
    assert 'autocomplete="current-password"' in page.text
    assert 'name="confirm_email"' not in page.text


async def test_the_only_owner_cannot_delete_their_account(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await owner_with_org(client, "Alfa")
    token = await form_token(client, "/settings/danger")

    empty = await client.post(
        "/settings/danger/delete-account", data={"csrf_token": token, "password": ""}
    )
    wrong = await client.post(
        "/settings/danger/delete-account",
        data={"csrf_token": token, "password": "not my password"},
    )
    refused = await client.post(
        "/settings/danger/delete-account", data={"csrf_token": token, "password": PASSWORD}
    )

    assert empty.status_code == 422
    assert "Enter your password." in empty.text
    assert wrong.status_code == 422
    assert "This is not your password." in wrong.text
    assert "not my password" not in wrong.text  # a password is never sent back
    assert refused.status_code == 409
    assert "You are the only owner of Alfa." in refused.text
    assert users_named(owner_conn, email) == 1


async def test_the_typed_email_no_longer_deletes_an_account_that_has_a_password(
    make_app, client_for, owner_conn
):
    app = make_app()
    client = client_for(app)
    email = await sign_up_in_browser(client, name="Ana")
    token = await form_token(client, "/settings/danger")

    response = await client.post(
        "/settings/danger/delete-account", data={"csrf_token": token, "confirm_email": email}
    )

    assert response.status_code == 422
    assert "Enter your password." in response.text
    assert users_named(owner_conn, email) == 1


async def test_wrong_passwords_are_throttled_like_log_ins(make_app, client_for, owner_conn):
    # Guesses here and on the log-in page share one budget: 10 per account in 15 minutes.
    app = make_app()
    client = client_for(app)
    email = await sign_up_in_browser(client, name="Ana")
    token = await form_token(client, "/settings/danger")
    wrong = {"csrf_token": token, "password": "guess"}

    answers = [
        (await client.post("/settings/danger/delete-account", data=wrong)).status_code
        for _ in range(10)
    ]
    throttled = await client.post(
        "/settings/danger/delete-account", data={"csrf_token": token, "password": PASSWORD}
    )
    login = await client_for(app).post(
        "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
    )

    assert answers == [422] * 10
    assert throttled.status_code == 429
    assert "Too many attempts. Wait" in throttled.text
    assert login.status_code == 429
    assert users_named(owner_conn, email) == 1


async def test_an_account_without_a_password_confirms_with_its_email(
    make_app, client_for, owner_conn
):
    # An account made through single sign-on has no password to give: it types its email.
    client = client_for(make_app())
    email = await sign_up_in_browser(client, name="Ana")
    owner_conn.execute("update users set password_hash = null where email = %s", (email,))
    token = await form_token(client, "/settings/danger")
    page = await client.get("/settings/danger")

    wrong = await client.post(
        "/settings/danger/delete-account", data={"csrf_token": token, "confirm_email": "nope"}
    )
    deleted = await client.post(
        "/settings/danger/delete-account",
        data={"csrf_token": token, "confirm_email": email.upper()},
    )

    assert 'name="confirm_email"' in page.text
    assert 'name="password"' not in page.text
    assert wrong.status_code == 422
    assert "Type your email address exactly as shown to confirm." in wrong.text
    assert deleted.status_code == 303
    assert users_named(owner_conn, email) == 0


async def test_an_account_is_deleted_once_another_owner_keeps_the_org(
    make_app, client_for, owner_conn
):
    app = make_app()
    client = client_for(app)
    email = await owner_with_org(client, "Alfa")
    me, org_id = ids(owner_conn, email)
    other = client_for(app)
    other_email = await sign_up_in_browser(other, name="Olga")
    other_id = owner_conn.execute(
        "select id from users where email = %s", (other_email,)
    ).fetchone()[0]
    add_member(owner_conn, org_id, other_id, "owner")
    token = await form_token(client, "/settings/danger")

    response = await client.post(
        "/settings/danger/delete-account", data={"csrf_token": token, "password": PASSWORD}
    )
    after = await client.get("/dashboard")

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert after.status_code == 303  # signed out
    assert owner_conn.execute("select count(*) from users where id = %s", (me,)).fetchone()[0] == 0
    with as_org(owner_conn, org_id):
        left = owner_conn.execute("select user_id, role from memberships").fetchall()
    assert left == [(other_id, "owner")]
    with as_org(owner_conn, SYSTEM_ORG_ID):
        events = owner_conn.execute(
            "select count(*) from system_events where type = 'xentri.auth.account_deleted.v1' "
            "and payload->>'user_id' = %s",
            (str(me),),
        ).fetchone()[0]
    assert events == 1
