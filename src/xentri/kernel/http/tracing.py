"""Request and trace ids: taken from the caller when well-formed, else made; echoed back."""

from __future__ import annotations

import re

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xentri.kernel.trace import current_trace_id, new_trace_id, set_trace_id

__all__ = ["TracingMiddleware", "current_trace_id"]
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{8,128}$")


def _incoming(headers: list[tuple[bytes, bytes]]) -> tuple[str | None, str | None]:
    trace_id = request_id = None
    for name, value in headers:
        if name == b"traceparent":
            match = _TRACEPARENT.match(value.decode("latin-1").strip())
            if match and set(match.group(1)) != {"0"}:
                trace_id = match.group(1)
        elif name == b"x-request-id":
            candidate = value.decode("latin-1").strip()
            if _REQUEST_ID.match(candidate):
                request_id = candidate
    return trace_id, request_id


class TracingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trace_id, request_id = _incoming(scope["headers"])
        trace_id = trace_id or new_trace_id()
        request_id = request_id or trace_id
        set_trace_id(trace_id)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(trace_id=trace_id, request_id=request_id)
        scope.setdefault("state", {})["trace_id"] = trace_id

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Trace-ID"] = trace_id
                headers["X-Request-ID"] = request_id
            await send(message)

        await self.app(scope, receive, send_with_ids)
