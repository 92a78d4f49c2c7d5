"""Email verification, password reset and invitation pages, against the real app."""

from __future__ import annotations

import pytest

from tests.support.db import as_org
from tests.support.identity import PASSWORD, create_org, last_mail_token, sign_up
from tests.support.invitations import invite, invitee_email, sign_up_as
from tests.support.shell import csrf_of, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration

NEW_PASSWORD = "a brand new passphrase"


async def test_the_mailed_link_confirms_the_email_only_when_the_button_is_pressed(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    email = await sign_up_in_browser(client)
    token = last_mail_token(owner_conn, email)

    page = await client.get(f"/verify-email?token={token}")
    assert page.status_code == 200
    assert "Confirm my email" in page.text
    verified = "select email_verified_at is not null from users where email = %s"
    assert owner_conn.execute(verified, (email,)).fetchone()[0] is False

    response = await client.post(
        "/verify-email", data={"csrf_token": csrf_of(page.text), "token": token}
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    assert owner_conn.execute(verified, (email,)).fetchone()[0] is True
    welcome = await client.get("/welcome/profile")
    assert "Your email is confirmed." in welcome.text
    assert "Confirm your email: we sent a link" not in welcome.text


async def test_a_used_or_made_up_verification_link_says_it_is_invalid(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    email = await sign_up_in_browser(client)
    token = last_mail_token(owner_conn, email)
    csrf = await form_token(client, f"/verify-email?token={token}")
    first = await client.post("/verify-email", data={"csrf_token": csrf, "token": token})
    assert first.status_code == 303

    again = await client.post("/verify-email", data={"csrf_token": csrf, "token": token})
    made_up = await client.post("/verify-email", data={"csrf_token": csrf, "token": "x" * 40})
    empty = await client.post("/verify-email", data={"csrf_token": csrf})

    for response in (again, made_up, empty):
        assert response.status_code == 400
        assert "This link is invalid or has expired." in response.text


async def test_password_reset_from_request_to_new_password(make_app, client_for, owner_conn):
    app = make_app()
    email = await sign_up_in_browser(client_for(app))
    client = client_for(app)
    csrf = await form_token(client, "/forgot-password")

    sent = await client.post("/forgot-password", data={"csrf_token": csrf, "email": email})
    unknown = await client.post(
        "/forgot-password", data={"csrf_token": csrf, "email": "nobody-here@example.com"}
    )

    assert sent.status_code == unknown.status_code == 200
    assert "a reset link is on its way" in sent.text
    assert "a reset link is on its way" in unknown.text
    token = last_mail_token(owner_conn, email)
    page = await client.get(f"/reset-password?token={token}")
    assert page.status_code == 200
    weak = await client.post(
        "/reset-password",
        data={"csrf_token": csrf_of(page.text), "token": token, "new_password": "aaaaaaaaaaaa"},
    )
    assert weak.status_code == 422
    assert "too common" in weak.text

    done = await client.post(
        "/reset-password",
        data={"csrf_token": csrf_of(page.text), "token": token, "new_password": NEW_PASSWORD},
    )

    assert done.status_code == 303
    assert done.headers["location"] == "/login"
    login_csrf = await form_token(client, "/login")
    old = await client.post(
        "/login", data={"csrf_token": login_csrf, "email": email, "password": PASSWORD}
    )
    assert old.status_code == 401
    new = await client.post(
        "/login", data={"csrf_token": login_csrf, "email": email, "password": NEW_PASSWORD}
    )
    assert new.status_code == 303


async def test_a_bad_reset_link_offers_a_new_one(make_app, client_for):
    client = client_for(make_app())
    csrf = await form_token(client, "/reset-password?token=nonsense")

    response = await client.post(
        "/reset-password",
        data={"csrf_token": csrf, "token": "y" * 40, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert "This link is invalid or has expired." in response.text
    assert 'href="/forgot-password"' in response.text


async def test_forgot_password_asks_for_a_valid_email_in_spanish(make_app, client_for):
    client = client_for(make_app())
    headers = {"accept-language": "es"}
    csrf = csrf_of((await client.get("/forgot-password", headers=headers)).text)

    response = await client.post(
        "/forgot-password", data={"csrf_token": csrf, "email": "nope"}, headers=headers
    )

    assert response.status_code == 422
    assert "Escribe un correo electrónico válido" in response.text
    assert 'value="nope"' in response.text


async def test_an_invitation_is_accepted_by_the_invited_person_after_signing_up(
    make_app, client_for, owner_conn
):
    app = make_app()
    owner = await sign_up(client_for(app), name="Olga")
    org_id = await create_org(owner, "Panadería Sol")
    email = invitee_email()
    assert (await invite(owner, org_id, email)).status_code == 201
    token = last_mail_token(owner_conn, email)
    guest = client_for(app)

    preview = await guest.get(f"/invitations/accept?token={token}")
    assert preview.status_code == 200
    assert "Olga invited you to join Panadería Sol as Member." in preview.text
    assert "/signup?next=" in preview.text
    await sign_up_in_browser(guest, name="Bea", email=email)
    signed_in = await guest.get(f"/invitations/accept?token={token}")
    assert "Accept and join" in signed_in.text

    accepted = await guest.post(
        "/invitations/accept", data={"csrf_token": csrf_of(signed_in.text), "token": token}
    )

    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/dashboard"
    dashboard = await guest.get("/dashboard")
    assert "Panadería Sol" in dashboard.text
    assert "You joined the organization." in dashboard.text
    reused = await guest.get(f"/invitations/accept?token={token}")
    assert reused.status_code == 410
    assert "This invitation was already accepted." in reused.text


async def test_an_invitation_for_someone_else_cannot_be_accepted(make_app, client_for, owner_conn):
    app = make_app()
    owner = await sign_up(client_for(app), name="Olga")
    org_id = await create_org(owner, "Taller Luna")
    email = invitee_email()
    await invite(owner, org_id, email)
    token = last_mail_token(owner_conn, email)
    other = client_for(app)
    await sign_up_as(other, invitee_email("carl"), name="Carl")
    page = await other.get(f"/invitations/accept?token={token}")
    assert "Log out and sign in as" in page.text

    response = await other.post(
        "/invitations/accept", data={"csrf_token": csrf_of(page.text), "token": token}
    )

    assert response.status_code == 403
    assert "This invitation was sent to another email address." in response.text
    with as_org(owner_conn, org_id):
        members = owner_conn.execute(
            "select count(*) from memberships where org_id = %s", (org_id,)
        ).fetchone()[0]
    assert members == 1


async def test_an_unknown_invitation_link_is_a_page_not_a_crash(make_app, client_for):
    client = client_for(make_app())

    short = await client.get("/invitations/accept?token=abc")
    unknown = await client.get("/invitations/accept?token=" + "z" * 43)

    assert short.status_code == unknown.status_code == 404
    assert "We could not find this invitation." in unknown.text
