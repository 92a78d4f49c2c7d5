"""Semantic memory: the org's Universal Brief as text, read through the Redis key `brief:{org}`.

Every agent reads the Brief before acting (ADR-001), so it is cached; the Brief store emits
`xentri.brief.created.v1` / `xentri.brief.updated.v1` after a change commits, and the handlers
here drop the cached copy. Redis being away only costs the cache: the Brief is read from its
store instead.
"""

from __future__ import annotations

import json
import uuid
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.contracts.events import SystemEvent
from xentri.kernel.events.consumer import Handler

log = structlog.get_logger("xentri.ai.memory")

BRIEF_EVENT_TYPES = ("xentri.brief.created.v1", "xentri.brief.updated.v1")
BRIEF_TTL_SECONDS = 3600  # a missed invalidation heals within the hour

# Store the loaded Brief only if no invalidation happened while it was being loaded: without
# this, a reader that loaded the old Brief just before an update committed would put it back
# in the cache right after the update's invalidation deleted it, for a whole TTL.
_SET_IF_UNCHANGED = """
if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""


class BriefSource(Protocol):
    """Where the Brief is kept (the Brief store of the Strategy category)."""

    async def brief_text(self, *, engine: AsyncEngine, org_id: uuid.UUID) -> str | None:
        """The org's current Brief rendered as prompt text; None when it has none."""
        ...


class NoBriefStoreYet:
    """The source until the Brief store exists: no org has a Brief, and agents say so."""

    async def brief_text(self, *, engine: AsyncEngine, org_id: uuid.UUID) -> str | None:
        return None


def brief_key(org_id: uuid.UUID) -> str:
    return f"brief:{org_id}"


def _generation_key(org_id: uuid.UUID) -> str:
    return f"brief:{org_id}:generation"


async def brief_text(
    *,
    redis: Redis,
    engine: AsyncEngine,
    org_id: uuid.UUID,
    source: BriefSource | None = None,
    ttl_seconds: int = BRIEF_TTL_SECONDS,
) -> str | None:
    """The org's Brief as text (None: no Brief yet), from the cache or else from `source`."""
    source = source or NoBriefStoreYet()
    key, generation_key = brief_key(org_id), _generation_key(org_id)
    try:
        cached, generation = await redis.mget([key, generation_key])
    except (RedisError, OSError) as exc:
        log.warning("brief_cache_unavailable", org_id=str(org_id), error=str(exc))
        return await source.brief_text(engine=engine, org_id=org_id)
    if cached is not None:
        # "No Brief yet" is cached too: an org without one is asked about it on every turn.
        text: str | None = json.loads(cached)["text"]
        return text
    text = await source.brief_text(engine=engine, org_id=org_id)
    value = json.dumps({"text": text}, ensure_ascii=False)
    try:
        await redis.eval(
            _SET_IF_UNCHANGED, 2, key, generation_key, _text(generation), value, ttl_seconds
        )
    except (RedisError, OSError) as exc:
        log.warning("brief_cache_unavailable", org_id=str(org_id), error=str(exc))
    return text


async def forget_brief(*, redis: Redis, org_id: uuid.UUID) -> None:
    """Drop the cached Brief; the next read loads it again."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(_generation_key(org_id))
        pipe.delete(brief_key(org_id))
        await pipe.execute()


def brief_invalidation(redis: Redis) -> Handler:
    """The consumer handler for the Brief's events: the org's cached Brief is dropped.

    It raises when Redis is away, so the consumer retries it rather than leave a stale Brief.
    """

    async def invalidate(event: SystemEvent, _tx: AsyncSession) -> None:
        await forget_brief(redis=redis, org_id=event.org_id)

    return invalidate


def brief_cache_handlers(redis: Redis) -> dict[str, Handler]:
    """Handlers by event type, for a subscription (the cache invalidator's consumer group)."""
    handler = brief_invalidation(redis)
    return dict.fromkeys(BRIEF_EVENT_TYPES, handler)


def _text(value: bytes | str | None) -> str:
    if value is None:
        return "0"
    return value.decode() if isinstance(value, bytes) else value
