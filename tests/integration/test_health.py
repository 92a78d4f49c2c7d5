"""Liveness, readiness (with a really stopped Redis) and metrics."""

from __future__ import annotations

import pytest

from xentri.kernel.embedded.redis import EmbeddedRedis

pytestmark = pytest.mark.integration


async def test_liveness(make_app, client_for):
    async with client_for(make_app()) as client:
        response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_postgres_and_redis_answer(make_app, client_for):
    async with client_for(make_app()) as client:
        response = await client.get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["postgres"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "ok"


async def test_ready_reports_a_stopped_redis(make_app, client_for, tmp_path):
    redis_server = EmbeddedRedis(tmp_path / "redis")
    redis_url = redis_server.start(throwaway=True)
    app = make_app(redis_url=redis_url)
    try:
        async with client_for(app) as client:
            before = await client.get("/health/ready")
            redis_server.stop()
            after = await client.get("/health/ready")
    finally:
        redis_server.stop()

    assert before.status_code == 200
    assert after.status_code == 503
    assert after.headers["content-type"] == "application/problem+json"
    body = after.json()
    assert body["detail"] == "Unavailable: redis."
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["postgres"]["status"] == "ok"


async def test_ready_reports_an_unreachable_postgres(servers, tmp_path, client_for):
    from tests.conftest import make_settings
    from xentri.kernel.db.urls import with_database
    from xentri.kernel.http.app import create_app

    settings = make_settings(servers, tmp_path)
    app = create_app(
        settings,
        database_url=with_database(servers.app_url, "no_such_database"),
        redis_url=servers.redis_url,
    )
    try:
        async with client_for(app) as client:
            response = await client.get("/health/ready")
    finally:
        await app.state.redis.aclose()
        await app.state.engine.dispose()

    assert response.status_code == 503
    assert response.json()["checks"]["postgres"]["status"] == "down"
    assert response.json()["checks"]["redis"]["status"] == "ok"


async def test_prometheus_metrics_count_requests_by_route(make_app, client_for):
    async with client_for(make_app()) as client:
        await client.get("/health")
        await client.get("/health")
        await client.get("/nowhere/123")
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'xentri_http_requests_total{method="GET",route="/health",status="200"} 2.0' in text
    assert 'xentri_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert "process_resident_memory_bytes" in text


async def test_process_figures(make_app, client_for):
    async with client_for(make_app()) as client:
        response = await client.get("/api/v1/metrics")

    body = response.json()
    assert response.status_code == 200
    assert body["uptime_seconds"] >= 0
    assert body["memory"]["rss_bytes"] > 0
    assert set(body["load"]) == {"1m", "5m", "15m"}
