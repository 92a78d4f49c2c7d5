"""Signing in with OpenID Connect against a real (tiny) provider on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from tests.support.identity import PASSWORD, create_org, last_mail_token, sign_up
from tests.support.oidc_provider import FakeProvider, free_port, new_key, s256
from xentri.identity import oidc_provider
from xentri.identity.oidc import OidcSettings
from xentri.identity.oidc_api import FLOW_COOKIE

pytestmark = pytest.mark.integration


@pytest.fixture
def provider():
    idp = FakeProvider()
    idp.start()
    yield idp
    idp.stop()


@pytest.fixture
def app(make_app, provider):
    app = make_app()
    app.state.oidc_settings = provider.settings()
    return app


def person(**claims):
    email = f"oidc-{uuid.uuid4().hex[:8]}@example.com"
    return {
        "sub": uuid.uuid4().hex,
        "email": email,
        "email_verified": True,
        "name": "Olga",
        **claims,
    }


async def consent(client: httpx.AsyncClient, *, next_path: str = "/", rewrite=None) -> str:
    """Start at Xentri, let the provider consent; return the callback URL it sends back."""
    start = await client.get("/api/v1/auth/oidc/login", params={"next": next_path})
    assert start.status_code == 302, start.text
    location = start.headers["location"]
    if rewrite is not None:
        location = rewrite(location)
    async with httpx.AsyncClient() as browser:  # the provider, on 127.0.0.1
        answer = await browser.get(location)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


async def sign_in_with_provider(client: httpx.AsyncClient, **kwargs) -> httpx.Response:
    return await client.get(await consent(client, **kwargs))


def user_row(owner_conn, email: str):
    return owner_conn.execute(
        "select id, email_verified_at, password_hash from users where lower(email) = lower(%s)",
        (email,),
    ).fetchone()


def audit_of(owner_conn, user_id: uuid.UUID) -> list[str]:
    with owner_conn.transaction():
        owner_conn.execute(
            "select set_config('app.current_org_id', %s, true)", (str(uuid.UUID(int=0)),)
        )
        return [
            row[0]
            for row in owner_conn.execute(
                "select type from system_events where payload->>'user_id' = %s order by org_seq",
                (str(user_id),),
            ).fetchall()
        ]


def assert_refused(response: httpx.Response, status: int, slug: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith(f"/{slug}")
    assert "xentri_session" not in response.headers.get("set-cookie", "")


async def test_a_new_verified_person_gets_an_account_and_a_session(
    app, client_for, provider, owner_conn
):
    provider.person = person(name="Olga Pérez", locale="es-MX")
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client, next_path="/orgs?tab=new")
        me = await client.get("/api/v1/users/me")

    authorize = provider.authorize_requests[0]
    assert authorize["code_challenge_method"] == "S256"
    assert len(authorize["nonce"]) >= 32
    assert authorize["redirect_uri"] == "http://testserver/api/v1/auth/oidc/callback"
    assert s256(provider.token_requests[0]["code_verifier"]) == authorize["code_challenge"]
    assert callback.status_code == 302
    assert callback.headers["location"] == "/orgs?tab=new"
    assert f'{FLOW_COOKIE}=""' in callback.headers["set-cookie"]
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == provider.person["email"]
    assert body["name"] == "Olga Pérez"
    assert body["preferred_language"] == "es"
    assert body["email_verified"] is True
    row = user_row(owner_conn, provider.person["email"])
    assert row[0] == uuid.UUID(body["id"])
    assert row[2] is None, "no password for an account made by a provider"
    assert audit_of(owner_conn, row[0]) == [
        "xentri.auth.signed_up.v1",
        "xentri.auth.login_succeeded.v1",
    ]


async def test_a_verified_password_user_signs_in_to_the_same_account(
    app, client_for, provider, owner_conn
):
    async with client_for(app) as client:
        existing = await sign_up(client)
        token = last_mail_token(owner_conn, existing.email)
        assert (
            await client.post("/api/v1/auth/verify-email", json={"token": token})
        ).status_code == 204
    provider.person = person(email=existing.email.upper())
    async with client_for(app) as browser:
        callback = await sign_in_with_provider(browser)
        me = await browser.get("/api/v1/users/me")
        password_login = await browser.post(
            "/api/v1/auth/login", json={"email": existing.email, "password": PASSWORD}
        )

    assert callback.status_code == 302
    assert me.json()["id"] == str(existing.user_id)
    assert password_login.status_code == 200, "the password keeps working"
    assert owner_conn.execute(
        "select count(*) from users where lower(email) = lower(%s)", (existing.email,)
    ).fetchone() == (1,)


async def test_an_unverified_password_account_goes_to_the_provider_verified_owner(
    app, client_for, provider, owner_conn
):
    async with client_for(app) as squatter:
        claimed = await sign_up(squatter, name="Squatter")
        provider.person = person(email=claimed.email)
        async with client_for(app) as owner:
            callback = await sign_in_with_provider(owner)
            me = await owner.get("/api/v1/users/me")
        squatter_after = await squatter.get("/api/v1/users/me")
        squatter_login = await squatter.post(
            "/api/v1/auth/login", json={"email": claimed.email, "password": PASSWORD}
        )

    assert callback.status_code == 302
    assert me.json()["id"] == str(claimed.user_id)
    assert me.json()["email_verified"] is True
    assert squatter_after.status_code == 401, "the squatter's session ended"
    assert squatter_login.status_code == 401, "and their password is gone"
    assert user_row(owner_conn, claimed.email)[2] is None


async def test_an_email_the_provider_has_not_verified_is_refused(
    app, client_for, provider, owner_conn
):
    provider.person = person(email_verified=False)
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)
        me = await client.get("/api/v1/users/me")

    assert_refused(callback, 403, "oidc-email-unverified")
    assert me.status_code == 401
    assert user_row(owner_conn, provider.person["email"]) is None


def _resign_payload(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize("attack", ["foreign_key_same_kid", "foreign_key_new_kid", "tampered"])
async def test_an_id_token_not_signed_by_the_provider_is_refused(
    app, client_for, provider, owner_conn, attack
):
    provider.person = person()
    if attack == "foreign_key_same_kid":
        provider.signing_key = new_key(kid=provider.published_key.kid)
    elif attack == "foreign_key_new_kid":
        provider.signing_key = new_key(kid="attacker-key")
    else:
        provider.tamper = lambda token: _resign_payload(token, email="victim@example.com")
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)
        me = await client.get("/api/v1/users/me")

    assert_refused(callback, 401, "oidc-invalid-id-token")
    assert me.status_code == 401
    assert user_row(owner_conn, provider.person["email"]) is None
    assert user_row(owner_conn, "victim@example.com") is None


async def test_keys_the_provider_rotated_in_are_fetched_again(
    app, client_for, provider, monkeypatch
):
    provider.person = person()
    async with client_for(app) as client:
        before = await sign_in_with_provider(client)
    monkeypatch.setattr(oidc_provider, "KEYS_MIN_REFRESH_SECONDS", 0.0)
    provider.published_key = provider.signing_key = new_key(kid="rotated")
    provider.person = person()
    async with client_for(app) as client:
        after = await sign_in_with_provider(client)
        me = await client.get("/api/v1/users/me")

    assert before.status_code == after.status_code == 302
    assert me.json()["email"] == provider.person["email"]


@pytest.mark.parametrize(
    "override",
    [
        {"nonce": "not-the-nonce-we-sent"},
        {"aud": "another-client"},
        {"iss": "http://127.0.0.1:1"},
        {"exp": 1_000_000_000},
    ],
    ids=["nonce", "audience", "issuer", "expired"],
)
async def test_an_id_token_with_the_wrong_claims_is_refused(
    app, client_for, provider, owner_conn, override
):
    provider.person = person()
    provider.overrides = override
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)

    assert_refused(callback, 401, "oidc-invalid-id-token")
    assert user_row(owner_conn, provider.person["email"]) is None


async def test_a_state_is_good_for_one_callback(app, client_for, provider):
    provider.person = person()
    async with client_for(app) as client:
        url = await consent(client)
        binding = client.cookies.get(FLOW_COOKIE)
        first = await client.get(url)
        # The same browser, flow cookie and all, replays the callback.
        client.cookies.set(FLOW_COOKIE, binding)
        replay = await client.get(url)

    assert first.status_code == 302
    assert_refused(replay, 400, "oidc-invalid-state")
    assert len(provider.token_requests) == 1, "a replay never reaches the provider"


async def test_a_callback_in_another_browser_is_refused(app, client_for, provider, owner_conn):
    provider.person = person()
    async with client_for(app) as attacker:
        url = await consent(attacker)
    async with client_for(app) as victim:
        callback = await victim.get(url)
        me = await victim.get("/api/v1/users/me")

    assert_refused(callback, 400, "oidc-invalid-state")
    assert me.status_code == 401
    assert provider.token_requests == []
    assert user_row(owner_conn, provider.person["email"]) is None


async def test_an_unknown_state_is_refused(app, client_for):
    async with client_for(app) as client:
        response = await client.get(
            "/api/v1/auth/oidc/callback", params={"state": "made-up", "code": "x"}
        )

    assert_refused(response, 400, "oidc-invalid-state")


async def test_a_pkce_verifier_mismatch_is_refused_by_the_provider_and_answered_cleanly(
    app, client_for, provider, owner_conn
):
    provider.person = person()

    def swap_challenge(location: str) -> str:
        # As if someone injected their own challenge into the authorization request.
        parts = urlsplit(location)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        query["code_challenge"] = s256("a verifier Xentri never saw" + "x" * 20)
        return urlunsplit(parts._replace(query=urlencode(query)))

    async with client_for(app) as client:
        callback = await sign_in_with_provider(client, rewrite=swap_challenge)

    assert provider.refusals == ["pkce"]
    assert_refused(callback, 400, "oidc-denied")
    assert callback.json()["provider_error"] == "invalid_grant"
    assert user_row(owner_conn, provider.person["email"]) is None


async def test_the_provider_saying_no_is_answered_cleanly(app, client_for, provider):
    provider.deny_with = "access_denied"
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)

    assert_refused(callback, 400, "oidc-denied")
    assert callback.json()["provider_error"] == "access_denied"
    assert provider.token_requests == []


async def test_a_failing_token_endpoint_is_a_clean_502(app, client_for, provider):
    provider.person = person()
    provider.token_status = 503
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)

    assert_refused(callback, 502, "oidc-provider-error")


async def test_a_provider_that_is_down_is_a_clean_502(make_app, client_for, provider):
    app = make_app()
    app.state.oidc_settings = provider.settings(issuer=f"http://127.0.0.1:{free_port()}")
    async with client_for(app) as client:
        response = await client.get("/api/v1/auth/oidc/login")

    assert_refused(response, 502, "oidc-provider-error")
    assert "trace_id" in response.json()


async def test_unconfigured_oidc_answers_404(make_app, client_for):
    app = make_app()
    app.state.oidc_settings = OidcSettings(_env_file=None, issuer=None, client_id=None)
    async with client_for(app) as client:
        login = await client.get("/api/v1/auth/oidc/login")
        callback = await client.get("/api/v1/auth/oidc/callback", params={"state": "s"})

    for response in (login, callback):
        assert_refused(response, 404, "oidc-not-configured")
        assert response.json()["title"] == "OIDC is not configured"


@pytest.mark.parametrize("next_path", ["//evil.example/x", "https://evil.example", "/\\evil"])
async def test_sign_in_never_lands_off_site(app, client_for, provider, next_path):
    provider.person = person()
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client, next_path=next_path)

    assert callback.status_code == 302
    assert callback.headers["location"] == "/"


async def test_a_disabled_account_is_refused(app, client_for, provider, owner_conn):
    async with client_for(app) as client:
        existing = await sign_up(client)
    owner_conn.execute("update users set disabled_at = now() where id = %s", (existing.user_id,))
    provider.person = person(email=existing.email)
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)

    assert_refused(callback, 403, "account-disabled")
    assert audit_of(owner_conn, existing.user_id)[-1] == "xentri.auth.login_failed.v1"


async def _org_with_owner(app, client_for) -> uuid.UUID:
    async with client_for(app) as client:
        owner = await sign_up(client, name="Owner")
        return await create_org(owner)


async def test_an_untrusted_org_claim_never_makes_a_member(app, client_for, provider, owner_conn):
    org_id = await _org_with_owner(app, client_for)
    app.state.oidc_settings = provider.settings(org_claim="org_id")
    provider.person = person(org_id=str(org_id))
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)
        session = await client.get("/api/v1/auth/session")
        orgs = await client.get("/api/v1/orgs")

    assert callback.status_code == 302
    assert session.json()["active_org_id"] is None
    assert orgs.json() == []
    assert owner_conn.execute(
        "select count(*) from memberships where user_id = %s", (session.json()["user"]["id"],)
    ).fetchone() == (0,)


async def test_a_trusted_org_claim_joins_as_a_plain_member_and_opens_the_org(
    app, client_for, provider
):
    org_id = await _org_with_owner(app, client_for)
    app.state.oidc_settings = provider.settings(org_claim="org_id", trust_org_claim=True)
    provider.person = person(org_id=str(org_id))
    async with client_for(app) as client:
        await sign_in_with_provider(client)
        session = await client.get("/api/v1/auth/session")
        orgs = await client.get("/api/v1/orgs")

    assert session.json()["active_org_id"] == str(org_id)
    assert [(o["id"], o["role"]) for o in orgs.json()] == [(str(org_id), "member")]


async def test_a_trusted_org_claim_for_an_unknown_org_is_ignored(app, client_for, provider):
    app.state.oidc_settings = provider.settings(org_claim="org_id", trust_org_claim=True)
    provider.person = person(org_id=str(uuid.uuid4()))
    async with client_for(app) as client:
        callback = await sign_in_with_provider(client)
        session = await client.get("/api/v1/auth/session")
        orgs = await client.get("/api/v1/orgs")

    assert callback.status_code == 302
    assert session.json()["active_org_id"] is None
    assert orgs.json() == []


async def test_an_org_claim_opens_an_org_the_person_already_belongs_to(app, client_for, provider):
    async with client_for(app) as client:
        owner = await sign_up(client, name="Owner")
        org_id = await create_org(owner)
    app.state.oidc_settings = provider.settings(org_claim="org_id")
    provider.person = person(email=owner.email, org_id=str(org_id))
    async with client_for(app) as client:
        await sign_in_with_provider(client)
        session = await client.get("/api/v1/auth/session")
        orgs = await client.get("/api/v1/orgs")

    assert session.json()["active_org_id"] == str(org_id)
    assert [(o["id"], o["role"]) for o in orgs.json()] == [(str(org_id), "owner")]
