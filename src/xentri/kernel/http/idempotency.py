"""Idempotency-Key: a repeated mutating request gets the first response, not a second effect."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xentri.kernel.db.metadata import idempotency_keys
from xentri.kernel.http.caller import idempotency_scope
from xentri.kernel.http.problems import problem_response

log = structlog.get_logger("xentri.idempotency")

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# Headers a replay must not repeat: they describe the first exchange, not the stored result.
# Set-Cookie is never kept: a stored login response would hold a live session token.
_NOT_STORED = frozenset(
    {b"date", b"server", b"x-trace-id", b"x-request-id", b"content-length", b"set-cookie"}
) | {
    name.lower().encode()
    for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
}


@dataclass
class _Captured:
    status: int = 0
    headers: list[tuple[bytes, bytes]] | None = None
    body: bytearray | None = None


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, ttl: timedelta) -> None:
        self.app = app
        self.ttl = ttl

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in MUTATING:
            await self.app(scope, receive, send)
            return
        raw_key = _header(scope, b"idempotency-key")
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not _KEY.match(raw_key):
            await problem_response(
                400,
                slug="invalid-idempotency-key",
                detail="Idempotency-Key must be 1-255 visible ASCII characters.",
                instance=path,
            )(scope, receive, send)
            return

        body = await _read_body(receive)
        request_hash = _fingerprint(scope, body)
        engine: AsyncEngine = scope["app"].state.engine
        owner = idempotency_scope(scope)
        try:
            claimed, existing = await self._claim(engine, owner, raw_key, scope, request_hash)
        except SQLAlchemyError as exc:
            log.warning("idempotency_store_unavailable", error=str(exc))
            await problem_response(
                503,
                detail="Cannot record the Idempotency-Key right now; retry shortly.",
                instance=path,
                headers={"Retry-After": "1"},
            )(scope, receive, send)
            return

        if not claimed:
            await self._answer_existing(
                existing, request_hash, path, scope=scope, receive=receive, send=send
            )
            return

        captured = _Captured()
        try:
            await self.app(scope, _replay(body, receive), _capturing(send, captured))
        except BaseException:
            await self._release(engine, owner, raw_key)
            raise
        if captured.status >= 500 or _no_store(captured.headers):
            # Retry a server failure with the same key; and a response marked no-store (it holds
            # a secret shown once) is never written down to be replayed.
            await self._release(engine, owner, raw_key)
        else:
            await self._store(engine, owner, raw_key, captured)

    async def _claim(
        self, engine: AsyncEngine, owner: str, key: str, scope: Scope, request_hash: str
    ) -> tuple[bool, Any]:
        async with engine.begin() as conn:
            await conn.execute(
                delete(idempotency_keys).where(
                    idempotency_keys.c.scope == owner,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.expires_at < func.now(),
                )
            )
            inserted = await conn.execute(
                insert(idempotency_keys)
                .values(
                    scope=owner,
                    key=key,
                    method=scope["method"],
                    path=scope["path"][:2000],
                    request_hash=request_hash,
                    expires_at=func.now() + self.ttl,
                )
                .on_conflict_do_nothing()
                .returning(idempotency_keys.c.key)
            )
            if inserted.first() is not None:
                return True, None
            existing = await conn.execute(
                select(idempotency_keys).where(
                    idempotency_keys.c.scope == owner, idempotency_keys.c.key == key
                )
            )
            return False, existing.first()

    async def _answer_existing(
        self, row: Any, request_hash: str, path: str, *, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if row is None:
            # The first request released the key between our insert and select: ask for a retry.
            await problem_response(
                409,
                slug="idempotency-retry",
                detail="Retry the request.",
                instance=path,
                headers={"Retry-After": "1"},
            )(scope, receive, send)
            return
        if row.request_hash != request_hash:
            await problem_response(
                422,
                slug="idempotency-key-reused",
                title="Idempotency-Key reused",
                detail="This Idempotency-Key was already used with a different request.",
                instance=path,
            )(scope, receive, send)
            return
        if row.status_code is None:
            await problem_response(
                409,
                slug="idempotency-in-progress",
                detail="A request with this Idempotency-Key is still being processed.",
                instance=path,
                headers={"Retry-After": "1"},
            )(scope, receive, send)
            return
        headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in row.response_headers
        ]
        headers.append((b"idempotent-replayed", b"true"))
        await send({"type": "http.response.start", "status": row.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": bytes(row.response_body or b"")})

    async def _store(self, engine: AsyncEngine, owner: str, key: str, captured: _Captured) -> None:
        headers = [
            [name.decode("latin-1"), value.decode("latin-1")]
            for name, value in captured.headers or []
            if name.lower() not in _NOT_STORED
        ]
        async with engine.begin() as conn:
            await conn.execute(
                update(idempotency_keys)
                .where(idempotency_keys.c.scope == owner, idempotency_keys.c.key == key)
                .values(
                    status_code=captured.status,
                    response_headers=headers,
                    response_body=bytes(captured.body or b""),
                )
            )

    async def _release(self, engine: AsyncEngine, owner: str, key: str) -> None:
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    delete(idempotency_keys).where(
                        idempotency_keys.c.scope == owner, idempotency_keys.c.key == key
                    )
                )
        except SQLAlchemyError as exc:
            log.warning("idempotency_release_failed", error=str(exc))


def _no_store(headers: list[tuple[bytes, bytes]] | None) -> bool:
    return any(
        name.lower() == b"cache-control" and b"no-store" in value.lower()
        for name, value in headers or []
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1").strip())
    return None


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b"")):
        digest.update(part + b"\0")
    digest.update(body)
    return digest.hexdigest()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """Hand the already-read body to the app once, then pass through (for disconnects)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _capturing(send: Send, captured: _Captured) -> Send:
    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured.status = message["status"]
            captured.headers = list(message.get("headers", []))
            captured.body = bytearray()
        elif message["type"] == "http.response.body" and captured.body is not None:
            captured.body.extend(message.get("body", b""))
        await send(message)

    return capture
