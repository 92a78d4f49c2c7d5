"""Liveness and readiness."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Request
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import Response

from xentri.kernel.http.problems import problem_response

READY_TIMEOUT_SECONDS = 2.0

router = APIRouter(tags=["platform"])


@router.get("/health", summary="Liveness: the process answers")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/health/ready",
    summary="Readiness: PostgreSQL and Redis answer",
    responses={503: {"description": "A dependency is down; `checks` says which."}},
    response_model=None,
)
async def ready(request: Request) -> dict[str, Any] | Response:
    postgres, redis = await asyncio.gather(
        _check(_ping_postgres(request.app.state.engine)),
        _check(_ping_redis(request.app.state.redis)),
    )
    checks = {"postgres": postgres, "redis": redis}
    failed = [name for name, check in checks.items() if check["status"] != "ok"]
    if failed:
        return problem_response(
            503,
            slug="not-ready",
            title="Not ready",
            detail=f"Unavailable: {', '.join(failed)}.",
            instance="/health/ready",
            checks=checks,
        )
    return {"status": "ok", "checks": checks}


async def _ping_postgres(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("select 1"))


async def _ping_redis(redis: Redis) -> None:
    await redis.ping()


async def _check(ping: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(ping, READY_TIMEOUT_SECONDS)
    except TimeoutError:
        return {"status": "down", "error": f"no answer within {READY_TIMEOUT_SECONDS:g} s"}
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
