"""Accounts over the API: sign-up, verification, login, sessions, CSRF, reset, throttling."""

from __future__ import annotations

import uuid

import pytest

from tests.support.db import as_org
from tests.support.identity import PASSWORD, last_mail_token, sign_up
from xentri.contracts.events import SYSTEM_ORG_ID

pytestmark = pytest.mark.integration


@pytest.fixture
def app(make_app):
    return make_app()


def audit_types(owner_conn) -> list[str]:
    with as_org(owner_conn, SYSTEM_ORG_ID):
        return [
            row[0]
            for row in owner_conn.execute(
                "select type from system_events where type like 'xentri.auth.%' "
                "order by created_at, org_seq"
            ).fetchall()
        ]


async def test_signup_signs_in_and_mails_a_single_use_verification_link(
    app, client_for, owner_conn
):
    async with client_for(app) as client:
        person = await sign_up(client)
        me = await client.get("/api/v1/users/me")
        token = last_mail_token(owner_conn, person.email)
        verified = await client.post("/api/v1/auth/verify-email", json={"token": token})
        again = await client.post("/api/v1/auth/verify-email", json={"token": token})
        me_after = await client.get("/api/v1/users/me")

    assert me.status_code == 200
    assert me.json()["email_verified"] is False
    assert verified.status_code == 204
    assert me_after.json()["email_verified"] is True
    assert again.status_code == 400
    assert again.json()["type"].endswith("/invalid-token")
    cookie = client.cookies.get("xentri_session")
    assert cookie is not None


async def test_session_cookie_is_http_only_and_same_site_lax(app, client_for):
    async with client_for(app) as client:
        response = await client.post(
            "/api/v1/auth/signup",
            json={
                "email": f"c-{uuid.uuid4().hex[:6]}@example.com",
                "password": PASSWORD,
                "name": "C",
            },
        )

    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie, "plain http in tests; https sets Secure"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "password_too_short"),
        ("password123", "password_too_common"),
        ("aaaaaaaaaaaa", "password_too_common"),
    ],
)
async def test_weak_passwords_are_refused_and_nothing_is_saved(
    app, client_for, owner_conn, password, reason
):
    email = f"weak-{uuid.uuid4().hex[:6]}@example.com"
    async with client_for(app) as client:
        response = await client.post(
            "/api/v1/auth/signup", json={"email": email, "password": password, "name": "W"}
        )

    assert response.status_code == 422
    assert response.json()["type"].endswith("/weak-password")
    assert response.json()["reason"] == reason
    assert owner_conn.execute(
        "select count(*) from users where email = %s", (email,)
    ).fetchone() == (0,)


async def test_an_email_signs_up_once_whatever_its_case(app, client_for):
    async with client_for(app) as client:
        person = await sign_up(client)
        again = await client.post(
            "/api/v1/auth/signup",
            json={"email": person.email.upper(), "password": PASSWORD, "name": "Again"},
        )

    assert again.status_code == 409
    assert again.json()["type"].endswith("/email-taken")


async def test_invalid_email_is_a_field_error(app, client_for):
    async with client_for(app) as client:
        response = await client.post(
            "/api/v1/auth/signup", json={"email": "not-an-email", "password": PASSWORD, "name": "X"}
        )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.email"]


async def test_wrong_password_and_unknown_email_get_the_same_answer(app, client_for, owner_conn):
    async with client_for(app) as client:
        person = await sign_up(client)
    async with client_for(app) as stranger:
        wrong = await stranger.post(
            "/api/v1/auth/login", json={"email": person.email, "password": "nope-nope-nope"}
        )
        unknown = await stranger.post(
            "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "nope-nope-nope"}
        )

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["title"] == unknown.json()["title"] == "Email or password is incorrect"
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert audit_types(owner_conn).count("xentri.auth.login_failed.v1") >= 2


async def test_logout_ends_the_session_at_once(app, client_for):
    async with client_for(app) as client:
        person = await sign_up(client)
        out = await client.post("/api/v1/auth/logout", headers=person.headers())
        cookie_gone = client.cookies.get("xentri_session")
        # Even a client that kept the old cookie is refused.
        client.cookies.clear()
    async with client_for(app) as other:
        login = await other.post(
            "/api/v1/auth/login", json={"email": person.email, "password": PASSWORD}
        )
        token = other.cookies.get("xentri_session")
        await other.post(
            "/api/v1/auth/logout", headers={"x-csrf-token": login.json()["csrf_token"]}
        )
        other.cookies.set("xentri_session", token)
        replay = await other.get("/api/v1/users/me")

    assert out.status_code == 204
    assert cookie_gone is None
    assert replay.status_code == 401


async def test_unsafe_requests_need_the_csrf_token(app, client_for):
    async with client_for(app) as client:
        person = await sign_up(client)
        missing = await client.patch("/api/v1/users/me", json={"name": "Eve"})
        wrong = await client.patch(
            "/api/v1/users/me", json={"name": "Eve"}, headers={"x-csrf-token": "x" * 64}
        )
        right = await client.patch(
            "/api/v1/users/me", json={"name": "Ana María"}, headers=person.headers()
        )
        me = await client.get("/api/v1/users/me")

    assert missing.status_code == wrong.status_code == 403
    assert missing.json()["type"].endswith("/csrf-failed")
    assert right.status_code == 200
    assert me.json()["name"] == "Ana María"


async def test_password_reset_is_single_use_and_ends_other_sessions(app, client_for, owner_conn):
    async with client_for(app) as first:
        person = await sign_up(first)
        async with client_for(app) as requester:
            unknown = await requester.post(
                "/api/v1/auth/password-reset", json={"email": "ghost@example.com"}
            )
            known = await requester.post(
                "/api/v1/auth/password-reset", json={"email": person.email}
            )
            token = last_mail_token(owner_conn, person.email)
            new_password = "a brand new long passphrase"
            done = await requester.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": token, "new_password": new_password},
            )
            reused = await requester.post(
                "/api/v1/auth/password-reset/confirm",
                json={"token": token, "new_password": "another long passphrase"},
            )
            old_login = await requester.post(
                "/api/v1/auth/login", json={"email": person.email, "password": PASSWORD}
            )
            new_login = await requester.post(
                "/api/v1/auth/login", json={"email": person.email, "password": new_password}
            )
        stale_session = await first.get("/api/v1/users/me")

    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    assert done.status_code == 204
    assert reused.status_code == 400
    assert old_login.status_code == 401
    assert new_login.status_code == 200
    assert stale_session.status_code == 401


async def test_expired_reset_token_is_refused(app, client_for, owner_conn):
    async with client_for(app) as client:
        person = await sign_up(client)
        await client.post("/api/v1/auth/password-reset", json={"email": person.email})
        token = last_mail_token(owner_conn, person.email)
        owner_conn.execute(
            "update user_tokens set expires_at = now() - interval '1 minute' "
            "where user_id = %s and purpose = 'reset_password'",
            (person.user_id,),
        )
        response = await client.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": token, "new_password": "some other passphrase"},
        )

    assert response.status_code == 400


async def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client_for):
    async with client_for(app) as here:
        person = await sign_up(here)
        async with client_for(app) as elsewhere:
            await elsewhere.post(
                "/api/v1/auth/login", json={"email": person.email, "password": PASSWORD}
            )
            wrong = await here.post(
                "/api/v1/auth/password",
                json={
                    "current_password": "not it at all",
                    "new_password": "another long passphrase",
                },
                headers=person.headers(),
            )
            changed = await here.post(
                "/api/v1/auth/password",
                json={"current_password": PASSWORD, "new_password": "another long passphrase"},
                headers=person.headers(),
            )
            here_after = await here.get("/api/v1/users/me")
            elsewhere_after = await elsewhere.get("/api/v1/users/me")

    assert wrong.status_code == 401
    assert changed.status_code == 204
    assert here_after.status_code == 200
    assert elsewhere_after.status_code == 401


async def test_repeated_failed_logins_are_throttled(app, client_for):
    async with client_for(app) as client:
        person = await sign_up(client)
    async with client_for(app) as attacker:
        answers = [
            (
                await attacker.post(
                    "/api/v1/auth/login",
                    json={"email": person.email, "password": f"guess-{n}-guess"},
                )
            ).status_code
            for n in range(11)
        ]
        blocked = await attacker.post(
            "/api/v1/auth/login", json={"email": person.email, "password": PASSWORD}
        )

    assert answers[:10] == [401] * 10
    assert answers[10] == 429
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
