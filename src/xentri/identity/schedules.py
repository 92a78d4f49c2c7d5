"""Orgs as the scheduler sees them: id and time zone, read across orgs by the system role."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.identity.tables import organizations
from xentri.kernel.scheduler.jobs import OrgProvider, OrgSchedule


def org_schedules(system_engine: AsyncEngine) -> OrgProvider:
    """The scheduler's org provider: every org, with the time zone its per-org jobs run in."""

    async def provide() -> Sequence[OrgSchedule]:
        async with system_engine.connect() as conn:
            rows = (await conn.execute(select(organizations.c.id, organizations.c.time_zone))).all()
        return [OrgSchedule(org_id=row.id, timezone=row.time_zone) for row in rows]

    return provide
