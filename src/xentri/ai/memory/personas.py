"""Synthetic memory: each agent's persona for an org, a short text distilled from its episodes.

Every version is kept; the newest is the one compose_prompt injects. A dreaming run that fails
writes nothing, so the agent keeps the persona it had.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.memory.tables import agent_personas

PERSONA_CHARS = 2000  # it rides along in every prompt of the agent: keep it short


@dataclass(frozen=True)
class Persona:
    agent_id: str
    persona: str
    version: int
    distilled_from_count: int
    slot: datetime


async def current_persona(*, tx: AsyncSession, agent_id: str) -> str | None:
    """The persona text compose_prompt gives `agent_id` in the transaction's org; None before
    its first dreaming run."""
    latest = await latest_persona(tx=tx, agent_id=agent_id)
    return latest.persona if latest else None


async def latest_persona(*, tx: AsyncSession, agent_id: str) -> Persona | None:
    row = (
        await tx.execute(
            select(
                agent_personas.c.agent_id,
                agent_personas.c.persona,
                agent_personas.c.version,
                agent_personas.c.distilled_from_count,
                agent_personas.c.slot,
            )
            .where(agent_personas.c.agent_id == agent_id)
            .order_by(agent_personas.c.version.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return Persona(row.agent_id, row.persona, row.version, row.distilled_from_count, row.slot)


async def dreamed_in_slot(*, tx: AsyncSession, agent_id: str, slot: datetime) -> bool:
    """Whether the dreaming run of `slot` already wrote this agent's persona."""
    found = await tx.scalar(
        select(agent_personas.c.id).where(
            agent_personas.c.agent_id == agent_id, agent_personas.c.slot == slot
        )
    )
    return found is not None


async def store_persona(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    agent_id: str,
    persona: str,
    distilled_from_count: int,
    slot: datetime,
) -> int | None:
    """Add the next version of the agent's persona; None if `slot` already wrote one."""
    text = persona.strip()[:PERSONA_CHARS]
    if not text:
        raise ValueError("a persona needs text")
    # Serialise writers of this agent's versions: two runs reading the same max would collide
    # on the version's unique key instead of one waiting for the other.
    await tx.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(f"{org_id}:{agent_id}", 0)))
    )
    version = (
        await tx.scalar(
            select(func.coalesce(func.max(agent_personas.c.version), 0)).where(
                agent_personas.c.agent_id == agent_id
            )
        )
        or 0
    ) + 1
    statement = (
        insert(agent_personas)
        .values(
            id=uuid.uuid4(),
            org_id=org_id,
            agent_id=agent_id,
            persona=text,
            version=version,
            distilled_from_count=distilled_from_count,
            slot=slot,
        )
        .on_conflict_do_nothing(constraint="uq_agent_personas_org_id_agent_id_slot")
        .returning(agent_personas.c.version)
    )
    written: int | None = (await tx.execute(statement)).scalar_one_or_none()
    return written
