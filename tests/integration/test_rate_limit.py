"""Per-caller and per-endpoint rate limits in Redis; 429 with every header; fail open."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.routes import router as routes_under_test

pytestmark = pytest.mark.integration


async def test_over_limit_is_429_with_headers_and_problem_body(make_app, client_for):
    app = make_app(rate_limit_per_second=5)
    async with client_for(app) as client:
        allowed = [await client.get("/api/v1/metrics") for _ in range(5)]
        refused = await client.get("/api/v1/metrics")

    assert [r.status_code for r in allowed] == [200] * 5
    assert [r.headers["x-ratelimit-remaining"] for r in allowed] == ["4", "3", "2", "1", "0"]
    assert all(r.headers["x-ratelimit-limit"] == "5" for r in allowed)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["x-ratelimit-limit"] == "5"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert int(refused.headers["x-ratelimit-reset"]) >= 1
    assert int(refused.headers["retry-after"]) == 1
    body = refused.json()
    assert body["type"] == "https://xentri.app/problems/rate-limited"
    assert body["status"] == 429
    assert body["limit"] == 5
    assert body["remaining"] == 0
    assert 0 < body["retry_after"] <= 0.2
    assert datetime.fromisoformat(body["reset"].replace("Z", "+00:00"))


async def test_callers_have_separate_budgets(make_app, client_for):
    app = make_app(rate_limit_per_second=2)
    async with client_for(app) as one, client_for(app) as other:
        for _ in range(2):
            await one.get("/api/v1/metrics")
        one_refused = await one.get("/api/v1/metrics")
        other_allowed = await other.get("/api/v1/metrics")

    assert one_refused.status_code == 429
    assert other_allowed.status_code == 200


async def test_health_is_never_limited(make_app, client_for):
    app = make_app(rate_limit_per_second=1)
    async with client_for(app) as client:
        statuses = {(await client.get("/health")).status_code for _ in range(5)}

    assert statuses == {200}


async def test_endpoint_override_is_stricter_than_the_caller_limit(make_app, client_for):
    app = make_app(
        routers=(routes_under_test,),
        rate_limit_per_second=100,
        rate_limit_overrides={"POST /api/v1/test/conflict": 2},
    )
    async with client_for(app) as client:
        first = [await client.post("/api/v1/test/conflict") for _ in range(2)]
        refused = await client.post("/api/v1/test/conflict")
        other_endpoint = await client.get("/api/v1/metrics")

    assert [r.status_code for r in first] == [409, 409]
    assert first[0].headers["x-ratelimit-limit"] == "2"
    assert refused.status_code == 429
    assert refused.json()["limit"] == 2
    assert other_endpoint.status_code == 200
    assert other_endpoint.headers["x-ratelimit-limit"] == "100"


async def test_unreachable_redis_fails_open(make_app, client_for, tmp_path):
    app = make_app(rate_limit_per_second=1, redis_url=f"unix://{tmp_path}/no-redis.sock")
    async with client_for(app) as client:
        responses = [await client.get("/api/v1/metrics") for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "x-ratelimit-limit" not in responses[0].headers


async def test_signed_in_callers_share_their_orgs_budget_wherever_they_are(make_app, client_for):
    from tests.support.identity import PASSWORD, create_org, sign_up

    # 50 per hour: nothing refills while the test runs, so every request shows in the count.
    app = make_app(rate_limit_per_second=50, rate_limit_burst_seconds=3600)
    async with client_for(app) as laptop:
        ana = await sign_up(laptop)
        org_id = await create_org(ana, "Budget Co")
        before = int((await laptop.get("/api/v1/orgs/current")).headers["x-ratelimit-remaining"])
    async with client_for(app) as phone:
        login = await phone.post(
            "/api/v1/auth/login", json={"email": ana.email, "password": PASSWORD}
        )
        await phone.post(
            f"/api/v1/orgs/{org_id}/switch", headers={"x-csrf-token": login.json()["csrf_token"]}
        )
        from_phone = await phone.get("/api/v1/orgs/current")
    async with client_for(app) as stranger:
        anonymous = await stranger.get("/api/v1/metrics")

    # Two addresses, one org: the phone's request spends the org's budget, not a fresh one.
    assert int(from_phone.headers["x-ratelimit-remaining"]) < before
    assert int(from_phone.headers["x-ratelimit-remaining"]) == before - 1
    assert int(anonymous.headers["x-ratelimit-remaining"]) == 49
