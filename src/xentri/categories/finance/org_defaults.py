"""What Finance needs to know about the org: its currency, time zone and language."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.identity.tables import organizations


@dataclass(frozen=True)
class OrgDefaults:
    currency: str
    time_zone: str

    def today(self, *, now: datetime | None = None) -> date:
        """The org's calendar day: due dates and overdue are counted on it, not the server's."""
        try:
            zone = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        return (now or datetime.now(UTC)).astimezone(zone).date()


async def org_defaults(*, tx: AsyncSession, org_id: uuid.UUID) -> OrgDefaults:
    row = (
        await tx.execute(
            select(organizations.c.currency, organizations.c.time_zone).where(
                organizations.c.id == org_id
            )
        )
    ).first()
    if row is None:  # the org's own row is visible in its tenant transaction; never expected
        return OrgDefaults(currency="USD", time_zone="UTC")
    return OrgDefaults(currency=row.currency, time_zone=row.time_zone)
