"""API keys and service tokens over the API: shown once, hashed, one org, revocable at once."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

import pytest
from fastapi import APIRouter, Body, Request

from tests.support.identity import add_member, create_org, sign_up
from xentri.identity import orgs
from xentri.identity.api_keys_api import api_keys_router
from xentri.identity.bearer import CurrentPrincipal, principal_org_scope
from xentri.identity.service_tokens import issue_service_token

pytestmark = pytest.mark.integration

# Stands in for an existing org route switched to bearer-or-session auth (see bearer.py).
probe_router = APIRouter()


@probe_router.get("/test/principal/orgs/{org_id}")
async def probe_read(request: Request, principal: CurrentPrincipal, org_id: uuid.UUID) -> dict:
    async with principal_org_scope(request, principal, org_id) as (tx, ctx):
        return {"name": (await orgs.get_org(tx=tx, ctx=ctx)).name}


@probe_router.patch("/test/principal/orgs/{org_id}")
async def probe_rename(
    request: Request,
    principal: CurrentPrincipal,
    org_id: uuid.UUID,
    name: Annotated[str, Body(embed=True)],
) -> dict:
    async with principal_org_scope(request, principal, org_id) as (tx, ctx):
        return {"name": (await orgs.update_org(tx=tx, ctx=ctx, changes={"name": name})).name}


@pytest.fixture
def app(make_app):
    return make_app(routers=(api_keys_router, probe_router))


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


async def create_key(person, org_id, **body):
    return await person.client.post(
        f"/api/v1/orgs/{org_id}/api-keys",
        json={"name": "CI deploys", **body},
        headers=person.headers(),
    )


def in_org(owner_conn, org_id, sql, params=()):
    with owner_conn.transaction():
        owner_conn.execute("select set_config('app.current_org_id', %s, true)", (str(org_id),))
        return owner_conn.execute(sql, params).fetchall()


def key_rows(owner_conn, org_id):
    return in_org(
        owner_conn,
        org_id,
        "select id, name, prefix, key_hash, role, revoked_at is not null from api_keys "
        "order by created_at",
    )


def key_events(owner_conn, org_id):
    return in_org(
        owner_conn,
        org_id,
        "select type, payload from system_events where type like 'xentri.org.api_key%%' "
        "order by org_seq",
    )


def org_name(owner_conn, org_id) -> str:
    return in_org(owner_conn, org_id, "select name from organizations")[0][0]


def service_token(app, org_id, *, ttl=timedelta(minutes=1), now=None) -> str:
    return issue_service_token(
        app.state.settings.secret_key.get_secret_value(),
        org_id=org_id,
        trace_id=secrets.token_hex(16),
        subject="scheduler",
        ttl=ttl,
        now=now,
    )


async def test_the_secret_is_shown_once_and_only_its_hash_is_stored(app, client_for, owner_conn):
    async with client_for(app) as client:
        ana = await sign_up(client)
        org_id = await create_org(ana, "Keys Inc")
        created = await create_key(ana, org_id, role="admin")
        listed = await client.get(f"/api/v1/orgs/{org_id}/api-keys")

    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["secret"]
    assert secret.startswith("xk_")
    assert len(secret) == 3 + 43
    assert body["prefix"] == secret[:11]
    assert "only once" in body["note"]
    assert (body["name"], body["role"], body["created_by"]) == (
        "CI deploys",
        "admin",
        str(ana.user_id),
    )
    assert created.headers["cache-control"] == "no-store"
    assert listed.status_code == 200
    assert listed.json() == [{k: v for k, v in body.items() if k not in ("secret", "note")}]
    assert secret not in listed.text
    assert key_rows(owner_conn, org_id) == [
        (
            uuid.UUID(body["id"]),
            "CI deploys",
            secret[:11],
            hashlib.sha256(secret.encode()).hexdigest(),
            "admin",
            False,
        )
    ]


async def test_a_key_acts_in_its_own_org_and_nowhere_else(app, client_for, owner_conn):
    async with client_for(app) as a_client, client_for(app) as b_client, client_for(app) as api:
        ana = await sign_up(a_client, name="Ana")
        bea = await sign_up(b_client, name="Bea")
        org_a = await create_org(ana, "A Corp")
        org_b = await create_org(bea, "B Corp")
        secret = (await create_key(ana, org_a, role="admin")).json()["secret"]
        b_events_before = in_org(owner_conn, org_b, "select count(*) from system_events")

        me = await api.get("/api/v1/whoami", headers=bearer(secret))
        own_read = await api.get(f"/test/principal/orgs/{org_a}", headers=bearer(secret))
        own_write = await api.patch(
            f"/test/principal/orgs/{org_a}", json={"name": "A Corp 2"}, headers=bearer(secret)
        )
        foreign = [
            await api.get(f"/test/principal/orgs/{org_b}", headers=bearer(secret)),
            await api.patch(
                f"/test/principal/orgs/{org_b}", json={"name": "Hacked"}, headers=bearer(secret)
            ),
            await api.get("/api/v1/whoami", headers={**bearer(secret), "x-org-id": str(org_b)}),
            await api.get(
                f"/test/principal/orgs/{org_a}", headers={**bearer(secret), "x-org-id": str(org_b)}
            ),
        ]

    assert me.status_code == 200, me.text
    key_id = key_rows(owner_conn, org_a)[0][0]
    assert me.json() == {
        "kind": "api_key",
        "subject": f"api_key:{key_id}",
        "org_id": str(org_a),
        "role": "admin",
    }
    assert own_read.json() == {"name": "A Corp"}
    assert own_write.json() == {"name": "A Corp 2"}
    assert [r.status_code for r in foreign] == [404, 404, 404, 404]
    assert all(r.json()["type"].endswith("/org-not-found") for r in foreign)
    assert org_name(owner_conn, org_b) == "B Corp"
    assert in_org(owner_conn, org_b, "select count(*) from system_events") == b_events_before


async def test_a_revoked_key_stops_working_at_once(app, client_for, owner_conn):
    async with client_for(app) as client, client_for(app) as api:
        ana = await sign_up(client)
        org_id = await create_org(ana, "Revokers")
        created = (await create_key(ana, org_id)).json()
        before = await api.get("/api/v1/whoami", headers=bearer(created["secret"]))
        revoked = await client.delete(
            f"/api/v1/orgs/{org_id}/api-keys/{created['id']}", headers=ana.headers()
        )
        after = await api.get("/api/v1/whoami", headers=bearer(created["secret"]))
        again = await client.delete(
            f"/api/v1/orgs/{org_id}/api-keys/{created['id']}", headers=ana.headers()
        )
        listed = await client.get(f"/api/v1/orgs/{org_id}/api-keys")

    assert before.status_code == 200
    assert revoked.status_code == 204
    assert after.status_code == 401
    assert after.json()["type"].endswith("/invalid-bearer")
    assert again.status_code == 204
    assert listed.json()[0]["revoked_at"] is not None
    payload = {"key_id": created["id"], "name": "CI deploys", "role": "member"}
    assert key_events(owner_conn, org_id) == [
        (
            "xentri.org.api_key_created.v1",
            {**payload, "prefix": created["prefix"], "expires_at": None},
        ),
        ("xentri.org.api_key_revoked.v1", {**payload, "prefix": created["prefix"]}),
    ]


async def test_an_expired_key_is_refused(app, client_for, owner_conn):
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    async with client_for(app) as client, client_for(app) as api:
        ana = await sign_up(client)
        org_id = await create_org(ana, "Expiry")
        created = (await create_key(ana, org_id, expires_at=soon)).json()
        live = await api.get("/api/v1/whoami", headers=bearer(created["secret"]))
        in_org(
            owner_conn,
            org_id,
            "update api_keys set expires_at = now() - interval '1 second' where id = %s "
            "returning id",
            (created["id"],),
        )
        expired = await api.get("/api/v1/whoami", headers=bearer(created["secret"]))
        past = await create_key(ana, org_id, expires_at="2020-01-01T00:00:00Z")
        naive = await create_key(ana, org_id, expires_at="2030-01-01T00:00:00")

    assert live.status_code == 200
    assert expired.status_code == 401
    assert past.status_code == 422
    assert past.json()["type"].endswith("/invalid-api-key-expiry")
    assert naive.status_code == 422
    assert len(key_rows(owner_conn, org_id)) == 1


async def test_a_member_cannot_create_list_or_revoke_keys(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as m_client:
        owner = await sign_up(o_client, name="Olga")
        member = await sign_up(m_client, name="Mia")
        org_id = await create_org(owner, "Members")
        add_member(owner_conn, org_id, member.user_id, "member")
        key_id = (await create_key(owner, org_id)).json()["id"]
        events_before = key_events(owner_conn, org_id)

        created = await create_key(member, org_id)
        listed = await m_client.get(f"/api/v1/orgs/{org_id}/api-keys")
        revoked = await m_client.delete(
            f"/api/v1/orgs/{org_id}/api-keys/{key_id}", headers=member.headers()
        )

    assert [created.status_code, listed.status_code, revoked.status_code] == [403, 403, 403]
    assert created.json()["type"].endswith("/forbidden")
    assert [(r[0], r[5]) for r in key_rows(owner_conn, org_id)] == [(uuid.UUID(key_id), False)]
    assert key_events(owner_conn, org_id) == events_before


async def test_an_admin_cannot_create_or_revoke_an_owner_role_key(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as a_client:
        owner = await sign_up(o_client, name="Olga")
        admin = await sign_up(a_client, name="Abel")
        org_id = await create_org(owner, "Ranks")
        add_member(owner_conn, org_id, admin.user_id, "admin")
        owner_key = (await create_key(owner, org_id, role="owner")).json()["id"]

        as_owner = await create_key(admin, org_id, role="owner")
        as_admin = await create_key(admin, org_id, role="admin")
        revoke_owner_key = await a_client.delete(
            f"/api/v1/orgs/{org_id}/api-keys/{owner_key}", headers=admin.headers()
        )

    assert as_owner.status_code == 403
    assert as_admin.status_code == 201
    assert revoke_owner_key.status_code == 403
    assert sorted((r[4], r[5]) for r in key_rows(owner_conn, org_id)) == [
        ("admin", False),
        ("owner", False),
    ]


async def test_keys_and_service_tokens_cannot_manage_keys(app, client_for, owner_conn):
    async with client_for(app) as client, client_for(app) as api:
        ana = await sign_up(client)
        org_id = await create_org(ana, "No minting")
        created = (await create_key(ana, org_id, role="owner")).json()
        token = service_token(app, org_id)
        attempts = [
            await api.post(
                f"/api/v1/orgs/{org_id}/api-keys",
                json={"name": "second"},
                headers=bearer(created["secret"]),
            ),
            await api.get(f"/api/v1/orgs/{org_id}/api-keys", headers=bearer(token)),
            await api.delete(
                f"/api/v1/orgs/{org_id}/api-keys/{created['id']}",
                headers=bearer(created["secret"]),
            ),
        ]

    assert [r.status_code for r in attempts] == [403, 403, 403]
    assert all(r.json()["type"].endswith("/bearer-not-allowed") for r in attempts)
    assert [(r[0], r[5]) for r in key_rows(owner_conn, org_id)] == [
        (uuid.UUID(created["id"]), False)
    ]


async def test_a_key_never_outlives_or_outranks_its_creator(app, client_for, owner_conn):
    async with client_for(app) as o_client, client_for(app) as a_client, client_for(app) as api:
        owner = await sign_up(o_client, name="Olga")
        admin = await sign_up(a_client, name="Abel")
        org_id = await create_org(owner, "Offboarding")
        add_member(owner_conn, org_id, admin.user_id, "admin")
        secret = (await create_key(admin, org_id, role="admin")).json()["secret"]

        as_admin = await api.get("/api/v1/whoami", headers=bearer(secret))
        await o_client.patch(
            f"/api/v1/orgs/{org_id}/members/{admin.user_id}",
            json={"role": "member"},
            headers=owner.headers(),
        )
        demoted = await api.get("/api/v1/whoami", headers=bearer(secret))
        removed = await o_client.delete(
            f"/api/v1/orgs/{org_id}/members/{admin.user_id}", headers=owner.headers()
        )
        gone = await api.get("/api/v1/whoami", headers=bearer(secret))

    assert as_admin.json()["role"] == "admin"
    assert demoted.json()["role"] == "member"
    assert removed.status_code == 204
    assert gone.status_code == 401


async def test_creating_a_key_refuses_an_idempotency_key(app, client_for, owner_conn):
    async with client_for(app) as client:
        ana = await sign_up(client)
        org_id = await create_org(ana, "Once")
        response = await client.post(
            f"/api/v1/orgs/{org_id}/api-keys",
            json={"name": "retry-safe?"},
            headers=ana.headers(**{"Idempotency-Key": "k-" + uuid.uuid4().hex}),
        )

    assert response.status_code == 400
    assert response.json()["type"].endswith("/idempotency-not-supported")
    assert key_rows(owner_conn, org_id) == []


async def test_last_used_is_recorded_at_most_once_a_minute(app, client_for, owner_conn):
    async with client_for(app) as client, client_for(app) as api:
        ana = await sign_up(client)
        org_id = await create_org(ana, "Usage")
        created = (await create_key(ana, org_id)).json()
        await api.get("/api/v1/whoami", headers=bearer(created["secret"]))
        first = in_org(owner_conn, org_id, "select last_used_at from api_keys")[0][0]
        await api.get("/api/v1/whoami", headers=bearer(created["secret"]))
        second = in_org(owner_conn, org_id, "select last_used_at from api_keys")[0][0]

    assert created["last_used_at"] is None
    assert first is not None
    assert second == first


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer xk_unknown",
        "Bearer ",
        "Bearer not-a-token",
        "bearer a.b.c",
        "Bearer xk_" + "a" * 300,
    ],
)
async def test_unknown_or_malformed_bearers_are_refused(app, client_for, authorization):
    async with client_for(app) as api:
        response = await api.get("/api/v1/whoami", headers={"authorization": authorization})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_service_token_acts_as_a_member_of_its_org(app, client_for, owner_conn):
    async with client_for(app) as a_client, client_for(app) as b_client, client_for(app) as api:
        ana = await sign_up(a_client, name="Ana")
        bea = await sign_up(b_client, name="Bea")
        org_a = await create_org(ana, "A Services")
        org_b = await create_org(bea, "B Services")
        token = service_token(app, org_a)

        me = await api.get("/api/v1/whoami", headers=bearer(token))
        read = await api.get(f"/test/principal/orgs/{org_a}", headers=bearer(token))
        rename = await api.patch(
            f"/test/principal/orgs/{org_a}", json={"name": "Renamed"}, headers=bearer(token)
        )
        foreign = await api.get(f"/test/principal/orgs/{org_b}", headers=bearer(token))
        stale = await api.get(
            "/api/v1/whoami",
            headers=bearer(
                service_token(app, org_a, now=datetime.now(UTC) - timedelta(minutes=10))
            ),
        )

    assert me.status_code == 200, me.text
    assert me.json() == {
        "kind": "service",
        "subject": "service:scheduler",
        "org_id": str(org_a),
        "role": "member",
    }
    assert read.json() == {"name": "A Services"}
    assert rename.status_code == 403
    assert foreign.status_code == 404
    assert stale.status_code == 401
    assert stale.json()["type"].endswith("/invalid-service-token")
    assert org_name(owner_conn, org_a) == "A Services"
    assert org_name(owner_conn, org_b) == "B Services"


async def test_whoami_with_a_session(app, client_for, owner_conn):
    async with client_for(app) as client, client_for(app) as other, client_for(app) as anon:
        ana = await sign_up(client, name="Ana")
        bea = await sign_up(other, name="Bea")
        no_org = await client.get("/api/v1/whoami")
        org_id = await create_org(ana, "Mine")
        org_b = await create_org(bea, "Theirs")
        active = await client.get("/api/v1/whoami")
        foreign = await client.get("/api/v1/whoami", headers={"x-org-id": str(org_b)})
        anon.cookies.set("xentri_session", "ended-or-forged")
        anonymous = await anon.get("/api/v1/whoami")

    subject = f"user:{ana.user_id}"
    assert no_org.json() == {"kind": "session", "subject": subject, "org_id": None, "role": None}
    assert active.json() == {
        "kind": "session",
        "subject": subject,
        "org_id": str(org_id),
        "role": "owner",
    }
    assert foreign.status_code == 404
    assert anonymous.status_code == 401
