"""The copilot widget's badge (ADR-012): what waits for the person at the current scope, counted
since they last opened the widget there; opening it clears the count.

The shell never imports a category: what counts comes from badge sources the composition root
hands over (`app.state.copilot_badge_sources`), each a keyword-only async function. When the
widget was last opened is a Redis key per org, person and scope: losing it (a flushed or
replaced Redis) only shows an older count again, and with Redis down the badge is empty while
the page works.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.kernel.events.envelope_rows import field_text

# Long enough that a person back from holidays still sees only what is new.
SEEN_TTL_SECONDS = 180 * 24 * 3600


class BadgeSource(Protocol):
    """How many things at `scope` wait for `user_id`, created after `since` (None: ever)."""

    def __call__(
        self,
        *,
        tx: AsyncSession,
        org_id: uuid.UUID,
        user_id: uuid.UUID,
        scope: str,
        since: datetime | None,
        now: datetime,
    ) -> Awaitable[int]: ...


def seen_key(org_id: uuid.UUID, user_id: uuid.UUID, scope: str) -> str:
    return f"copilot:seen:{org_id}:{user_id}:{scope}"


async def last_opened(
    redis: Redis, *, org_id: uuid.UUID, user_id: uuid.UUID, scope: str
) -> datetime | None:
    raw = await redis.get(seen_key(org_id, user_id, scope))
    return datetime.fromisoformat(field_text(raw)) if raw else None


async def mark_opened(
    redis: Redis, *, org_id: uuid.UUID, user_id: uuid.UUID, scope: str, at: datetime
) -> None:
    await redis.set(seen_key(org_id, user_id, scope), at.isoformat(), ex=SEEN_TTL_SECONDS)


async def badge_count(
    *,
    tx: AsyncSession,
    redis: Redis,
    sources: Sequence[BadgeSource],
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    scope: str,
) -> int | None:
    """The badge's number, or None when it cannot be known now (Redis unreachable)."""
    try:
        since = await last_opened(redis, org_id=org_id, user_id=user_id, scope=scope)
    except RedisError:
        return None
    now = datetime.now(UTC)
    total = 0
    for source in sources:
        total += await source(
            tx=tx, org_id=org_id, user_id=user_id, scope=scope, since=since, now=now
        )
    return total
