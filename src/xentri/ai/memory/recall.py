"""What an agent remembers before it answers: its org's Brief and its own persona, the two
memory layers compose_prompt takes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.memory.brief_cache import BriefSource, brief_text
from xentri.ai.memory.personas import current_persona
from xentri.kernel.db.tenant import tenant_transaction


@dataclass(frozen=True)
class Recall:
    brief: str | None  # None: no Brief yet (the Strategy interview has not finished)
    persona: str | None  # None: no dreaming run has distilled one yet


async def recall(
    *,
    engine: AsyncEngine,
    redis: Redis,
    org_id: uuid.UUID,
    agent_id: str,
    brief_source: BriefSource | None = None,
) -> Recall:
    """The Brief (through its Redis cache) and the agent's current persona for `org_id`."""
    brief = await brief_text(redis=redis, engine=engine, org_id=org_id, source=brief_source)
    async with tenant_transaction(engine, org_id) as tx:
        persona = await current_persona(tx=tx, agent_id=agent_id)
    return Recall(brief=brief, persona=persona)
