"""The app factory: one FastAPI app from settings and the data plane's URLs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import APIRouter, FastAPI
from redis.asyncio import Redis
from starlette.types import ASGIApp

from xentri import __version__
from xentri.kernel.config import Settings
from xentri.kernel.db.engine import create_engine
from xentri.kernel.http import health, metrics
from xentri.kernel.http.body_limit import BodyLimitMiddleware
from xentri.kernel.http.error_boundary import ErrorBoundaryMiddleware
from xentri.kernel.http.idempotency import IdempotencyMiddleware
from xentri.kernel.http.problems import install_problem_handlers
from xentri.kernel.http.ratelimit import RateLimiter, RateLimitMiddleware
from xentri.kernel.http.security_headers import SecurityHeadersMiddleware
from xentri.kernel.http.tracing import TracingMiddleware

REDIS_TIMEOUT_SECONDS = 0.5


def create_app(
    settings: Settings,
    *,
    database_url: str,
    redis_url: str,
    routers: Iterable[APIRouter] = (),
    caller_middleware: Callable[[ASGIApp], ASGIApp] | None = None,
    larger_bodies: Mapping[str, int] | None = None,
) -> FastAPI:
    """Build the app; engines and clients are created here, never at import time.

    `larger_bodies`: path prefixes whose routes take bodies over XENTRI_MAX_BODY_BYTES (and
    bound them themselves)."""
    engine = create_engine(database_url, pool_size=settings.database_pool_size)
    redis = Redis.from_url(
        redis_url,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        health_check_interval=30,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await redis.aclose()
        await engine.dispose()

    app = FastAPI(
        title="Xentri API",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.redis = redis
    app.state.http_metrics = metrics.HttpMetrics()

    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(metrics.process_router)
    for router in routers:
        app.include_router(router)

    # add_middleware wraps: the last added runs first (outermost).
    app.add_middleware(IdempotencyMiddleware, ttl=timedelta(hours=settings.idempotency_ttl_hours))
    app.state.rate_limiter = RateLimiter(redis, burst_seconds=settings.rate_limit_burst_seconds)
    app.add_middleware(
        RateLimitMiddleware,
        limiter=app.state.rate_limiter,
        per_second=settings.rate_limit_per_second,
        overrides=settings.rate_limit_overrides,
    )
    if caller_middleware is not None:
        # Before both: tells rate limiting and idempotency whose request it is.
        app.add_middleware(caller_middleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, larger=larger_bodies)
    app.add_middleware(ErrorBoundaryMiddleware)
    app.add_middleware(metrics.MetricsMiddleware, metrics=app.state.http_metrics)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.environment == "production")
    app.add_middleware(TracingMiddleware)
    return app
