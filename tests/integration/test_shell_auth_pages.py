"""Sign-up, login and logout pages against the real app, database and Redis."""

from __future__ import annotations

import pytest

from tests.support.identity import PASSWORD
from tests.support.shell import csrf_of, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration


async def test_signup_page_creates_the_account_signs_in_and_mails_a_link(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    token = await form_token(client, "/signup")
    email = "maria-signup@example.com"

    response = await client.post(
        "/signup",
        data={"csrf_token": token, "name": "María", "email": email, "password": PASSWORD},
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    assert "xentri_session" in response.cookies
    # A new account continues in the first-run wizard, which greets them and asks to confirm.
    assert (await client.get("/dashboard")).headers["location"] == "/welcome"
    welcome = await client.get("/welcome/profile")
    assert welcome.status_code == 200
    assert "Welcome, María" in welcome.text
    assert f"we sent a link to {email}" in welcome.text
    mail = owner_conn.execute(
        "select count(*) from dev_mailbox where to_address = %s", (email,)
    ).fetchone()[0]
    assert mail == 1


async def test_signup_errors_are_per_field_keep_the_input_and_save_nothing(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    token = await form_token(client, "/signup")

    response = await client.post(
        "/signup",
        data={"csrf_token": token, "name": "", "email": "not-an-email", "password": "short"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "Enter your name." in response.text
    assert "Enter a valid email address, like name@example.com." in response.text
    assert 'value="not-an-email"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "short" not in response.text.split("<form", 1)[1].split("</form>", 1)[0]
    count = owner_conn.execute(
        "select count(*) from users where email = 'not-an-email'"
    ).fetchone()[0]
    assert count == 0


async def test_a_weak_password_is_refused_in_spanish_with_the_fields_kept(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    headers = {"accept-language": "es-MX,es;q=0.9,en;q=0.5"}
    page = await client.get("/signup", headers=headers)
    assert page.headers["content-language"] == "es"
    assert '<html lang="es"' in page.text
    email = "debil@example.com"

    response = await client.post(
        "/signup",
        data={"csrf_token": csrf_of(page.text), "name": "Luis", "email": email, "password": "aaaa"},
        headers=headers,
    )

    assert response.status_code == 422
    assert "Usa al menos 10 caracteres." in response.text
    assert 'value="Luis"' in response.text
    assert (
        owner_conn.execute("select count(*) from users where email = %s", (email,)).fetchone()[0]
        == 0
    )


async def test_signing_up_twice_with_one_email_says_so_on_the_email_field(make_app, client_for):
    app = make_app()
    email = await sign_up_in_browser(client_for(app))
    client = client_for(app)
    token = await form_token(client, "/signup")

    response = await client.post(
        "/signup", data={"csrf_token": token, "name": "Ana", "email": email, "password": PASSWORD}
    )

    assert response.status_code == 409
    assert "An account with this email already exists." in response.text


async def test_a_form_without_our_csrf_token_is_refused_and_saves_nothing(
    make_app, client_for, owner_conn
):
    client = client_for(make_app())
    await client.get("/signup")
    email = "csrf-victim@example.com"

    response = await client.post(
        "/signup",
        data={"csrf_token": "forged", "name": "Eve", "email": email, "password": PASSWORD},
    )

    assert response.status_code == 403
    assert "This form expired or came from another site." in response.text
    assert 'value="csrf-victim@example.com"' in response.text
    assert (
        owner_conn.execute("select count(*) from users where email = %s", (email,)).fetchone()[0]
        == 0
    )


async def test_login_and_logout(make_app, client_for):
    app = make_app()
    email = await sign_up_in_browser(client_for(app))
    client = client_for(app)
    token = await form_token(client, "/login?next=/c/finance")

    response = await client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "next": "/c/finance"},
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/c/finance"
    finance = await client.get("/c/finance")
    assert finance.status_code == 200
    assert 'aria-current="page">' in finance.text
    logout = await client.post("/logout", data={"csrf_token": csrf_of(finance.text)})
    assert logout.status_code == 303
    assert logout.headers["location"] == "/login"
    after = await client.get("/dashboard")
    assert after.status_code == 303
    assert after.headers["location"] == "/login?next=%2Fdashboard"


async def test_a_wrong_password_gets_one_message_and_keeps_the_email(make_app, client_for):
    app = make_app()
    email = await sign_up_in_browser(client_for(app))
    client = client_for(app)
    token = await form_token(client, "/login")

    response = await client.post(
        "/login", data={"csrf_token": token, "email": email, "password": "wrong password!"}
    )

    assert response.status_code == 401
    assert "Email or password is incorrect." in response.text
    assert f'value="{email}"' in response.text
    assert "xentri_session" not in response.cookies


async def test_login_never_redirects_to_another_site(make_app, client_for):
    app = make_app()
    email = await sign_up_in_browser(client_for(app))
    client = client_for(app)
    token = await form_token(client, "/login")

    response = await client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "next": "//evil.test/x"},
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"


async def test_a_logout_posted_by_another_site_keeps_the_session(make_app, client_for):
    client = client_for(make_app())
    await sign_up_in_browser(client)

    response = await client.post("/logout", data={"csrf_token": "forged"})

    assert response.status_code == 303
    assert (await client.get("/notifications")).status_code == 200
