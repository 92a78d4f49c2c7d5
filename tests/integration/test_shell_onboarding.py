"""The first-run wizard: Profile → Organization → Language & Region, resumable, skipped for
people who joined an existing org."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.support.db import as_org
from tests.support.identity import create_org, last_mail_token, sign_up
from tests.support.invitations import invite
from tests.support.shell import csrf_of, finish_wizard, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration


def _form_id(page: str) -> str:
    match = re.search(r'name="form_id" value="([^"]+)"', page)
    assert match
    return match.group(1)


async def test_a_new_owner_goes_through_the_wizard_to_the_dashboard(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    email = await sign_up_in_browser(client, name="Ana")

    first = await client.get("/dashboard")
    assert first.status_code == 303
    assert first.headers["location"] == "/welcome"
    assert (await client.get("/welcome")).headers["location"] == "/welcome/profile"
    profile = await client.get("/welcome/profile")
    assert profile.status_code == 200
    assert email in profile.text  # the email is shown, pre-filled
    assert 'value="Ana"' in profile.text
    assert "Step 1 of 3" in profile.text

    await finish_wizard(client, name="Ana Pérez", org="Café Quetzal")

    dashboard = await client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Café Quetzal" in dashboard.text
    assert "All set. Welcome to Xentri." in dashboard.text
    user = owner_conn.execute(
        "select id, name, preferred_language from users where email = %s", (email,)
    ).fetchone()
    assert user[1:] == ("Ana Pérez", "en")
    org_id = owner_conn.execute(
        "select created_org_id from onboarding_progress where user_id = %s and completed_at "
        "is not null",
        (user[0],),
    ).fetchone()[0]
    with as_org(owner_conn, org_id):
        org = owner_conn.execute(
            "select name, industry, size, time_zone, currency, default_language from organizations"
        ).fetchone()
        role = owner_conn.execute("select role from memberships").fetchone()[0]
    assert org == ("Café Quetzal", "food", "2-10", "America/Mexico_City", "MXN", "en")
    assert role == "owner"
    # Done is done: the wizard does not come back.
    assert (await client.get("/welcome/profile")).headers["location"] == "/dashboard"


async def test_the_wizard_resumes_at_the_step_reached_and_reuses_its_org(
    make_app, client_for, owner_conn
):
    app = make_app()
    client = client_for(app)
    email = await sign_up_in_browser(client)
    token = await form_token(client, "/welcome/profile")
    await client.post(
        "/welcome/profile",
        data={"csrf_token": token, "name": "Ana", "browser_time_zone": "America/Bogota"},
    )
    page = await client.get("/welcome/organization")
    await client.post(
        "/welcome/organization",
        data={"csrf_token": token, "name": "Tienda", "form_id": _form_id(page.text)},
    )

    # Closed halfway; a new browser signs in later and lands where it stopped.
    later = client_for(app)
    login_token = await form_token(later, "/login")
    await later.post(
        "/login",
        data={
            "csrf_token": login_token,
            "email": email,
            "password": "correct horse battery staple",
        },
    )
    resumed = await later.get("/welcome")
    region = await later.get("/welcome/region")
    back = await later.get("/welcome/organization")
    await later.post(
        "/welcome/organization",
        data={
            "csrf_token": csrf_of(back.text),
            "name": "Tienda Andina",
            "industry": "retail",
            "form_id": _form_id(back.text),
        },
    )

    assert resumed.headers["location"] == "/welcome/region"
    # Time zone from the browser, currency from the time zone's country.
    assert '<option value="America/Bogota" selected>' in region.text
    assert '<option value="COP" selected>' in region.text
    assert 'value="Tienda"' in back.text
    user_id = owner_conn.execute("select id from users where email = %s", (email,)).fetchone()[0]
    with owner_conn.transaction():
        # The user-scope policy shows a person's memberships in every org.
        owner_conn.execute("select set_config('app.current_user_id', %s, true)", (str(user_id),))
        orgs = owner_conn.execute(
            "select count(*) from memberships where user_id = %s", (user_id,)
        ).fetchone()[0]
    assert orgs == 1  # going back edits the org the wizard made; it does not make a second
    step = owner_conn.execute(
        "select step from onboarding_progress where user_id = %s", (user_id,)
    ).fetchone()[0]
    assert step == "region"


async def test_later_steps_wait_for_earlier_ones(make_app, client_for):
    client = client_for(make_app())
    await sign_up_in_browser(client)

    response = await client.get("/welcome/region")

    assert response.status_code == 303
    assert response.headers["location"] == "/welcome/profile"


async def test_wizard_fields_are_checked_in_the_visitors_language(make_app, client_for):
    client = client_for(make_app())
    await sign_up_in_browser(client, **{"accept-language": "es"})
    token = await form_token(client, "/welcome/profile")

    bad_profile = await client.post(
        "/welcome/profile", data={"csrf_token": token, "name": " ", "phone": "call me"}
    )
    await client.post("/welcome/profile", data={"csrf_token": token, "name": "Ana"})
    page = await client.get("/welcome/organization")
    bad_org = await client.post(
        "/welcome/organization",
        data={
            "csrf_token": token,
            "name": "",
            "industry": "astrology",
            "size": "huge",
            "form_id": _form_id(page.text),
        },
    )

    assert bad_profile.status_code == 422
    assert "Escribe tu nombre." in bad_profile.text
    assert 'value="call me"' in bad_profile.text  # what they typed stays
    assert bad_org.status_code == 422
    assert "Escribe el nombre de tu organización." in bad_org.text
    assert bad_org.text.count("Elige una de las opciones.") == 2


async def test_a_forged_wizard_post_changes_nothing(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await sign_up_in_browser(client, name="Ana")

    response = await client.post("/welcome/profile", data={"csrf_token": "x", "name": "Mallory"})

    assert response.status_code == 403
    name = owner_conn.execute("select name from users where email = %s", (email,)).fetchone()[0]
    assert name == "Ana"


async def test_an_invited_member_skips_the_wizard(make_app, client_for, owner_conn):
    app = make_app()
    owner = await sign_up(client_for(app), name="Olga")
    org_id = await create_org(owner, "Ferretería Norte")
    email = f"ben-{uuid.uuid4().hex[:8]}@example.com"
    assert (await invite(owner, org_id, email, "member")).status_code == 201
    token = last_mail_token(owner_conn, email)
    client = client_for(app)
    await sign_up_in_browser(client, name="Ben", email=email)
    accept = await client.get(f"/invitations/accept?token={token}")
    await client.post(
        "/invitations/accept", data={"csrf_token": csrf_of(accept.text), "token": token}
    )

    dashboard = await client.get("/dashboard")

    assert dashboard.status_code == 200
    assert "Ferretería Norte" in dashboard.text


async def test_sending_the_organization_step_twice_makes_one_org(make_app, client_for, owner_conn):
    client = client_for(make_app())
    email = await sign_up_in_browser(client)
    token = await form_token(client, "/welcome/profile")
    await client.post("/welcome/profile", data={"csrf_token": token, "name": "Ana"})
    page = await client.get("/welcome/organization")
    data = {"csrf_token": token, "name": "Doble", "form_id": _form_id(page.text)}

    first = await client.post("/welcome/organization", data=data)
    second = await client.post("/welcome/organization", data=data)

    assert first.status_code == second.status_code == 303
    user_id = owner_conn.execute("select id from users where email = %s", (email,)).fetchone()[0]
    with owner_conn.transaction():
        owner_conn.execute("select set_config('app.current_user_id', %s, true)", (str(user_id),))
        orgs = owner_conn.execute(
            "select count(*) from memberships where user_id = %s", (user_id,)
        ).fetchone()[0]
    assert orgs == 1


async def test_the_signed_out_invitation_page_says_until_when_in_the_orgs_clock(
    make_app, client_for, owner_conn
):
    app = make_app()
    owner = await sign_up(client_for(app), name="Olga")
    org_id = await create_org(owner, "Ferretería Norte")
    with as_org(owner_conn, org_id):
        owner_conn.execute("update organizations set time_zone = 'Asia/Tokyo'")
    email = f"ben-{uuid.uuid4().hex[:8]}@example.com"
    assert (await invite(owner, org_id, email, "member")).status_code == 201
    token = last_mail_token(owner_conn, email)
    with as_org(owner_conn, org_id):
        # 20:30 UTC on 1 December is 05:30 on 2 December in Tokyo.
        owner_conn.execute(
            "update invitations set expires_at = '2026-12-01 20:30:00+00' where email = %s",
            (email,),
        )

    page = await client_for(app).get(f"/invitations/accept?token={token}")

    assert page.status_code == 200
    assert "Dec 2, 2026, 5:30" in page.text
    assert "Dec 1, 2026" not in page.text
