"""Refuse request bodies over the configured size with 413, before the app reads them.

A few path prefixes may take larger bodies (the local store's signed upload route, which then
holds each request to the exact size its URL was signed for)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xentri.kernel.http.problems import problem_response


class BodyTooLargeError(HTTPException):
    """An HTTPException so FastAPI's body reader re-raises it instead of answering 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body is larger than {max_bytes} bytes.")


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_bytes: int, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope.get("path", ""))
        declared = _content_length(scope["headers"])
        if declared is not None and declared > max_bytes:
            await self._refuse(scope, receive, send, max_bytes)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLargeError(max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if response_started:
                raise
            await self._refuse(scope, receive, send, max_bytes)

    def _limit(self, path: str) -> int:
        for prefix, max_bytes in self.larger.items():
            if path.startswith(prefix):
                return max_bytes
        return self.max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
        response = problem_response(
            413,
            detail=f"The request body is larger than {max_bytes} bytes.",
            instance=scope.get("path"),
            limit=max_bytes,
        )
        await response(scope, receive, send)


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
