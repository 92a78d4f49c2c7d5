"""Catch what nothing else handled: log it with its traceback, answer a 500 problem."""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xentri.kernel.http.problems import problem_response

log = structlog.get_logger("xentri.http")

UNEXPECTED_DETAIL = "Something went wrong on our side. Quote the trace id if you contact support."


class ErrorBoundaryMiddleware:
    """Sits inside the tracing and security-header middleware so a 500 carries both."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled_error", method=scope.get("method"), path=scope.get("path"))
            if started:
                raise
            response = problem_response(
                500,
                detail=UNEXPECTED_DETAIL,
                instance=scope.get("path"),
            )
            await response(scope, receive, send)
