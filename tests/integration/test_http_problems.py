"""Every error class answers with an RFC 9457 problem and a trace id, never a stack trace."""

from __future__ import annotations

import pytest

from tests.support.routes import router as routes_under_test

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.fixture
async def client(make_app, client_for):
    async with client_for(make_app(routers=(routes_under_test,), max_body_bytes=2048)) as client:
        yield client


def assert_problem(response, status: int, type_suffix: str) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == f"https://xentri.app/problems/{type_suffix}"
    assert body["title"]
    assert body["trace_id"] == response.headers["x-trace-id"]
    return body


async def test_unknown_path_is_404_problem(client):
    response = await client.get("/no/such/page")

    body = assert_problem(response, 404, "not-found")
    assert body["instance"] == "/no/such/page"


async def test_wrong_method_is_405_problem(client):
    response = await client.delete("/health")

    assert_problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "GET"


async def test_invalid_fields_are_listed(client):
    response = await client.post("/api/v1/test/effects", json={"name": "", "quantity": 0})

    body = assert_problem(response, 422, "validation-failed")
    fields = {error["field"]: error["code"] for error in body["errors"]}
    assert fields == {"body.name": "string_too_short", "body.quantity": "greater_than"}


async def test_malformed_json_is_400(client):
    response = await client.post(
        "/api/v1/test/effects",
        content=b'{"name": "x",',
        headers={"content-type": "application/json"},
    )

    body = assert_problem(response, 400, "malformed-json")
    assert body["detail"] == "The request body is not valid JSON."


async def test_wrong_content_type_is_415(client):
    response = await client.post(
        "/api/v1/test/effects", content=b"name=x", headers={"content-type": "text/plain"}
    )

    assert_problem(response, 415, "unsupported-media-type")


async def test_oversized_declared_body_is_413(client):
    response = await client.post(
        "/api/v1/test/effects",
        content=b'{"name": "' + b"x" * 4096 + b'", "quantity": 1}',
        headers={"content-type": "application/json"},
    )

    body = assert_problem(response, 413, "payload-too-large")
    assert body["limit"] == 2048


async def test_oversized_streamed_body_is_413(client, owner_conn):
    async def chunks():
        for _ in range(8):
            yield b"x" * 512

    response = await client.post(
        "/api/v1/test/effects", content=chunks(), headers={"content-type": "application/json"}
    )

    assert_problem(response, 413, "payload-too-large")


async def test_oversized_body_with_idempotency_key_is_413_and_not_recorded(client, owner_conn):
    response = await client.post(
        "/api/v1/test/effects",
        content=b"x" * 4096,
        headers={"content-type": "application/json", "Idempotency-Key": "too-big-1"},
    )

    assert_problem(response, 413, "payload-too-large")
    row = owner_conn.execute("select 1 from idempotency_keys where key = 'too-big-1'").fetchone()
    assert row is None


async def test_unexpected_error_is_500_without_internals(client):
    response = await client.get("/api/v1/test/boom")

    body = assert_problem(response, 500, "internal-error")
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    assert body["detail"].startswith("Something went wrong on our side")


async def test_raised_problem_keeps_its_extensions(client):
    response = await client.post("/api/v1/test/conflict")

    body = assert_problem(response, 409, "duplicate")
    assert body["detail"] == "Already exists."
    assert body["existing_id"] == "abc"


async def test_trace_id_is_adopted_from_traceparent(client):
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"

    response = await client.get(
        "/no/such/page", headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    )

    assert response.headers["x-trace-id"] == trace_id
    assert response.json()["trace_id"] == trace_id


async def test_request_id_is_echoed_and_garbage_replaced(client):
    kept = await client.get("/health", headers={"x-request-id": "req-12345678"})
    replaced = await client.get("/health", headers={"x-request-id": "bad id\twith spaces"})

    assert kept.headers["x-request-id"] == "req-12345678"
    assert replaced.headers["x-request-id"] == replaced.headers["x-trace-id"]
    assert len(replaced.headers["x-trace-id"]) == 32


async def test_security_headers_on_every_response(client):
    for response in (await client.get("/health"), await client.get("/missing")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "default-src 'self'" in response.headers["content-security-policy"]


async def test_openapi_is_published(client):
    response = await client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/health", "/health/ready", "/api/v1/metrics"} <= set(paths)
