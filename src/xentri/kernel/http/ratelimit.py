"""Per-caller and per-endpoint rate limits: GCRA in one atomic Redis script; fails open."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xentri.kernel.http.caller import caller_scope
from xentri.kernel.http.problems import problem_response

log = structlog.get_logger("xentri.ratelimit")

# GCRA: the key holds the "theoretical arrival time" (ms). Redis TIME keeps every replica on
# one clock; scripts replicate by effect, so reading it inside the script is safe.
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if allow_at > now then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1)
local remaining = math.floor((now - allow_at) / interval)
return {1, remaining, 0, new_tat - now}
"""

EXEMPT_PREFIXES = ("/health", "/metrics")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: float
    reset_after: float


class RateLimiter:
    def __init__(self, redis: Redis, *, burst_seconds: float = 1.0) -> None:
        self.redis = redis
        self.burst_seconds = burst_seconds
        self._script = redis.register_script(_GCRA)

    async def hit(self, key: str, *, per_second: int) -> Decision:
        return await self.hit_window(key, limit=per_second, period_seconds=self.burst_seconds)

    async def hit_window(self, key: str, *, limit: int, period_seconds: float) -> Decision:
        """Allow `limit` hits per `period_seconds` (a burst of up to `limit`), evenly refilled."""
        interval = 1000.0 * period_seconds / limit
        tolerance = 1000.0 * period_seconds
        allowed, remaining, retry_ms, reset_ms = await self._script(
            keys=[key], args=[interval, tolerance]
        )
        return Decision(
            allowed=bool(allowed),
            limit=limit,
            remaining=int(remaining),
            retry_after=float(retry_ms) / 1000,
            reset_after=float(reset_ms) / 1000,
        )


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        per_second: int,
        overrides: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.per_second = per_second
        self.overrides = overrides or {}
        self._last_warning = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        decision = await self._decide(scope)
        if decision is None:
            await self.app(scope, receive, send)
            return
        headers = _headers(decision)
        if not decision.allowed:
            retry_after = max(decision.retry_after, 0.001)
            headers["Retry-After"] = str(math.ceil(retry_after))
            reset_at = datetime.now(UTC) + timedelta(seconds=decision.reset_after)
            response = problem_response(
                429,
                title="Too Many Requests",
                detail=f"Limit: {decision.limit} requests/s. Retry after {retry_after:.3f}s.",
                instance=path,
                headers=headers,
                retry_after=round(retry_after, 3),
                limit=decision.limit,
                remaining=0,
                reset=reset_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            )
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in headers.items():
                    response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _decide(self, scope: Scope) -> Decision | None:
        caller = caller_scope(scope)
        endpoint = f"{scope.get('method', 'GET')} {scope.get('path', '')}"
        try:
            decision = await self.limiter.hit(f"rl:{caller}", per_second=self.per_second)
            override = self.overrides.get(endpoint)
            if decision.allowed and override is not None:
                endpoint_decision = await self.limiter.hit(
                    f"rl:{caller}:{endpoint}", per_second=override
                )
                if (
                    not endpoint_decision.allowed
                    or endpoint_decision.remaining < decision.remaining
                ):
                    decision = endpoint_decision
        except (RedisError, OSError) as exc:
            # Failing open: an unreachable Redis must not take the API down with it.
            now = time.monotonic()
            if now - self._last_warning > 10:
                self._last_warning = now
                log.warning("rate_limit_unavailable", error=str(exc))
            return None
        return decision


def _headers(decision: Decision) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(max(decision.remaining, 0)),
        "X-RateLimit-Reset": str(math.ceil(decision.reset_after)),
    }
