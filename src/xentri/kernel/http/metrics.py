"""Prometheus metrics (GET /metrics), process figures (GET /api/v1/metrics) and the access log."""

from __future__ import annotations

import os
import time
from typing import Any

import psutil
import structlog
from fastapi import APIRouter, Request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = structlog.get_logger("xentri.access")


class HttpMetrics:
    """One registry per app, so several apps in one process (tests) never collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.requests = Counter(
            "xentri_http_requests_total",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "xentri_http_request_duration_seconds",
            "HTTP request duration by method and route template.",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.started_at = time.time()


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_recording)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.duration.labels(method, route).observe(elapsed)
            access_log.info(
                "request",
                method=method,
                path=scope["path"],
                status=status,
                duration_ms=round(elapsed * 1000, 2),
            )


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    # Raw paths would give every unknown URL its own time series.
    return path if isinstance(path, str) else "unmatched"


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def prometheus_metrics(request: Request) -> Response:
    metrics: HttpMetrics = request.app.state.http_metrics
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


process_router = APIRouter(prefix="/api/v1", tags=["platform"])


@process_router.get("/metrics", summary="Process figures: uptime, memory, load")
async def process_metrics(request: Request) -> dict[str, Any]:
    metrics: HttpMetrics = request.app.state.http_metrics
    process = psutil.Process(os.getpid())
    memory = process.memory_info()
    load1, load5, load15 = os.getloadavg()
    return {
        "uptime_seconds": round(time.time() - metrics.started_at, 3),
        "pid": process.pid,
        "memory": {"rss_bytes": memory.rss, "vms_bytes": memory.vms},
        "cpu": {"percent": process.cpu_percent(interval=None), "count": os.cpu_count()},
        "load": {"1m": load1, "5m": load5, "15m": load15},
        "threads": process.num_threads(),
    }
