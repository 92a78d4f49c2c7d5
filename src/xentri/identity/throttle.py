"""Throttles on guessable endpoints, per account and per address, kept in Redis."""

from __future__ import annotations

import hashlib
import math

import structlog
from fastapi import Request
from redis.exceptions import RedisError

from xentri.identity.errors import TooManyAttemptsError
from xentri.kernel.http.ratelimit import RateLimiter

log = structlog.get_logger("xentri.identity")

# (hits, seconds): bursts of honest typos pass; a dictionary attack does not.
LOGIN_PER_ACCOUNT = (10, 15 * 60)
LOGIN_PER_ADDRESS = (30, 15 * 60)
RESET_PER_ACCOUNT = (3, 15 * 60)
RESET_PER_ADDRESS = (10, 15 * 60)
SIGNUP_PER_ACCOUNT = (5, 60 * 60)
SIGNUP_PER_ADDRESS = (20, 60 * 60)


async def throttle(
    request: Request,
    *,
    action: str,
    account: str,
    per_account: tuple[int, int],
    per_address: tuple[int, int],
) -> None:
    limiter: RateLimiter = request.app.state.rate_limiter
    address = request.client.host if request.client else "unknown"
    # The email is hashed so the Redis keys do not hold personal data.
    account_key = hashlib.sha256(account.lower().encode()).hexdigest()[:32]
    try:
        for key, (limit, period) in (
            (f"throttle:{action}:acct:{account_key}", per_account),
            (f"throttle:{action}:addr:{address}", per_address),
        ):
            decision = await limiter.hit_window(key, limit=limit, period_seconds=period)
            if not decision.allowed:
                retry = max(1, math.ceil(decision.retry_after))
                raise TooManyAttemptsError(
                    f"Wait {retry} seconds and try again.", retry_after=retry
                )
    except (RedisError, OSError) as exc:
        log.warning("throttle_unavailable", action=action, error=str(exc))
