"""Idempotency-Key: the first response comes back, the effect happens once."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.support.routes import router as routes_under_test

pytestmark = pytest.mark.integration


@pytest.fixture
def app(make_app):
    return make_app(routers=(routes_under_test,))


def count_effects(owner_conn, marker: str) -> int:
    return owner_conn.execute(
        "select count(*) from testing.test_effects where marker = %s", (marker,)
    ).fetchone()[0]


async def test_repeat_returns_first_response_and_runs_once(app, client_for, owner_conn):
    marker = f"replay-{uuid.uuid4().hex[:8]}"
    async with client_for(app) as client:
        headers = {"Idempotency-Key": f"key-{marker}"}
        first = await client.post(
            "/api/v1/test/effects", json={"name": marker, "quantity": 2}, headers=headers
        )
        second = await client.post(
            "/api/v1/test/effects", json={"name": marker, "quantity": 2}, headers=headers
        )

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert second.headers["content-type"] == "application/json"
    assert second.headers["x-trace-id"] != first.headers["x-trace-id"]
    assert count_effects(owner_conn, marker) == 1


async def test_same_key_different_body_is_422_and_runs_nothing(app, client_for, owner_conn):
    marker = f"reuse-{uuid.uuid4().hex[:8]}"
    async with client_for(app) as client:
        headers = {"Idempotency-Key": f"key-{marker}"}
        await client.post(
            "/api/v1/test/effects", json={"name": marker, "quantity": 1}, headers=headers
        )
        reused = await client.post(
            "/api/v1/test/effects", json={"name": marker, "quantity": 9}, headers=headers
        )

    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["type"].endswith("/idempotency-key-reused")
    assert count_effects(owner_conn, marker) == 1


async def test_keys_are_scoped_to_the_caller(app, client_for, owner_conn):
    marker = f"scoped-{uuid.uuid4().hex[:8]}"
    body = {"name": marker, "quantity": 1}
    headers = {"Idempotency-Key": f"key-{marker}"}
    async with client_for(app) as one, client_for(app) as other:
        first = await one.post("/api/v1/test/effects", json=body, headers=headers)
        second = await other.post("/api/v1/test/effects", json=body, headers=headers)

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert count_effects(owner_conn, marker) == 2


async def test_concurrent_duplicates_run_once(app, client_for, owner_conn):
    marker = f"race-{uuid.uuid4().hex[:8]}"
    body = {"name": marker, "quantity": 1}
    headers = {"Idempotency-Key": f"key-{marker}"}
    async with client_for(app) as client:
        responses = await asyncio.gather(
            *(client.post("/api/v1/test/effects", json=body, headers=headers) for _ in range(8))
        )

    statuses = sorted(response.status_code for response in responses)
    assert set(statuses) <= {201, 409}
    assert statuses.count(201) >= 1
    created_ids = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created_ids) == 1
    assert count_effects(owner_conn, marker) == 1


async def test_server_error_releases_the_key_for_a_retry(app, client_for, owner_conn):
    key = f"flaky-{uuid.uuid4().hex[:8]}"
    async with client_for(app) as client:
        failed = await client.post(
            "/api/v1/test/flaky",
            json={"name": "x", "quantity": 1},
            headers={"Idempotency-Key": key},
        )
        stored = owner_conn.execute(
            "select count(*) from idempotency_keys where key = %s", (key,)
        ).fetchone()[0]

    assert failed.status_code == 503
    assert stored == 0


async def test_client_error_is_stored_and_replayed(app, client_for, owner_conn):
    key = f"invalid-{uuid.uuid4().hex[:8]}"
    async with client_for(app) as client:
        first = await client.post(
            "/api/v1/test/effects",
            json={"name": "", "quantity": 1},
            headers={"Idempotency-Key": key},
        )
        second = await client.post(
            "/api/v1/test/effects",
            json={"name": "", "quantity": 1},
            headers={"Idempotency-Key": key},
        )

    assert first.status_code == second.status_code == 422
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["errors"] == first.json()["errors"]


async def test_expired_key_runs_again(app, client_for, owner_conn):
    marker = f"expired-{uuid.uuid4().hex[:8]}"
    key = f"key-{marker}"
    body = {"name": marker, "quantity": 1}
    async with client_for(app) as client:
        await client.post("/api/v1/test/effects", json=body, headers={"Idempotency-Key": key})
        owner_conn.execute(
            "update idempotency_keys set expires_at = now() - interval '1 second' where key = %s",
            (key,),
        )
        again = await client.post(
            "/api/v1/test/effects", json=body, headers={"Idempotency-Key": key}
        )

    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert count_effects(owner_conn, marker) == 2


async def test_key_must_be_visible_ascii(app, client_for, owner_conn):
    marker = f"badkey-{uuid.uuid4().hex[:8]}"
    async with client_for(app) as client:
        response = await client.post(
            "/api/v1/test/effects",
            json={"name": marker, "quantity": 1},
            headers={"Idempotency-Key": "x" * 300},
        )

    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-idempotency-key")
    assert count_effects(owner_conn, marker) == 0


async def test_requests_without_a_key_are_not_recorded(app, client_for, owner_conn):
    marker = f"nokey-{uuid.uuid4().hex[:8]}"
    async with client_for(app) as client:
        for _ in range(2):
            await client.post("/api/v1/test/effects", json={"name": marker, "quantity": 1})

    assert count_effects(owner_conn, marker) == 2


async def test_a_session_cookie_is_never_stored_for_replay(make_app, client_for, owner_conn):
    from tests.support.identity import PASSWORD, sign_up

    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
    key = f"login-{uuid.uuid4().hex[:8]}"
    async with client_for(app) as client:
        first = await client.post(
            "/api/v1/auth/login",
            json={"email": person.email, "password": PASSWORD},
            headers={"Idempotency-Key": key},
        )
        stored = owner_conn.execute(
            "select response_headers::text from idempotency_keys where key = %s", (key,)
        ).fetchone()

    assert first.status_code == 200
    assert "xentri_session" in first.headers["set-cookie"]
    assert stored is not None
    assert "set-cookie" not in stored[0].lower()
