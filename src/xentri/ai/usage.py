"""Tokens spent per org: a durable row per model call, and a per-window counter in Redis.

PostgreSQL is the record; the Redis counter (ADR-010: "track in Redis, enforce before the call")
is a cache of the window's sum, rebuilt from PostgreSQL when missing and skipped when Redis is
away, so an outage can slow the check down but never let an org past its budget unseen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.budgets import BudgetWindow
from xentri.ai.tables import ai_usage
from xentri.kernel.db.tenant import tenant_transaction

log = structlog.get_logger("xentri.ai.usage")

# Kept a little past the window's end so a late increment still finds its key.
_COUNTER_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class CallUsage:
    agent_id: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    metered: bool

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


def counter_key(org_id: uuid.UUID, window: BudgetWindow) -> str:
    return f"ai:budget:{org_id}:{int(window.start.timestamp())}"


async def record_usage(
    *,
    engine: AsyncEngine,
    redis: Redis,
    org_id: uuid.UUID,
    usage: CallUsage,
    window: BudgetWindow | None,
    at: datetime,
) -> None:
    """Store the call's tokens; add metered ones to the window's counter."""
    async with tenant_transaction(engine, org_id) as tx:
        await tx.execute(
            ai_usage.insert().values(
                id=uuid.uuid4(),
                org_id=org_id,
                agent_id=usage.agent_id,
                provider=usage.provider,
                model=usage.model,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                metered=usage.metered,
                created_at=at,
                updated_at=at,
            )
        )
    if not usage.metered or window is None:
        return
    key = counter_key(org_id, window)
    try:
        # Only an existing counter is incremented: a missing one is rebuilt from the rows,
        # which now include this call.
        if await redis.exists(key):
            await redis.incrby(key, usage.total)
    except RedisError as exc:
        log.warning("budget_counter_unavailable", error=str(exc))


async def tokens_spent(
    *, engine: AsyncEngine, redis: Redis, org_id: uuid.UUID, window: BudgetWindow
) -> int:
    """Metered tokens the org spent in the window."""
    key = counter_key(org_id, window)
    try:
        cached = await redis.get(key)
    except RedisError as exc:
        log.warning("budget_counter_unavailable", error=str(exc))
        return await _spent_in_database(engine, org_id, window)
    if cached is not None:
        return int(cached)
    spent = await _spent_in_database(engine, org_id, window)
    try:
        expire_at = int(window.end.timestamp()) + _COUNTER_GRACE_SECONDS
        await redis.set(key, spent, nx=True, exat=expire_at)
    except RedisError as exc:
        log.warning("budget_counter_unavailable", error=str(exc))
    return spent


async def _spent_in_database(engine: AsyncEngine, org_id: uuid.UUID, window: BudgetWindow) -> int:
    async with tenant_transaction(engine, org_id) as tx:
        spent = await tx.scalar(
            select(func.coalesce(func.sum(ai_usage.c.input_tokens + ai_usage.c.output_tokens), 0))
            .where(ai_usage.c.metered)
            .where(ai_usage.c.created_at >= window.start, ai_usage.c.created_at < window.end)
        )
    return int(spent or 0)
