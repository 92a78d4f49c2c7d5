"""Whether a category's agent plane is up: its worker refreshes a Redis key that expires.

A worker killed with SIGKILL stops refreshing; within the key's time to live is gone and that
category's copilot endpoints answer 503, while every tool endpoint keeps working (ADR-010).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from xentri.kernel.stopping import sleep_or_stop

log = structlog.get_logger("xentri.ai.heartbeat")

HEARTBEAT_TIMEOUT_SECONDS = 15.0
HEARTBEAT_EVERY_SECONDS = 5.0


def heartbeat_key(category: str) -> str:
    return f"agents:heartbeat:{category}"


async def beat(
    redis: Redis,
    category: str,
    stop: asyncio.Event,
    *,
    every: float = HEARTBEAT_EVERY_SECONDS,
    ttl: float = HEARTBEAT_TIMEOUT_SECONDS,
) -> None:
    """Refresh the category's heartbeat until `stop`; remove it on a clean stop."""
    me = json.dumps({"host": socket.gethostname(), "pid": os.getpid()})
    while not stop.is_set():
        try:
            await redis.set(heartbeat_key(category), me, px=int(ttl * 1000))
        except RedisError as exc:
            log.warning("heartbeat_failed", category=category, error=str(exc))
        await sleep_or_stop(stop, every)
    try:
        await redis.delete(heartbeat_key(category))
    except RedisError as exc:
        log.info("heartbeat_left_to_expire", category=category, error=str(exc))


async def plane_is_up(redis: Redis, category: str) -> bool:
    try:
        return bool(await redis.exists(heartbeat_key(category)))
    except RedisError:
        return False
