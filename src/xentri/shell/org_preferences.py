"""An org's display preferences that identity's organization row does not hold (date format)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.identity.orgs import OrgContext
from xentri.identity.permissions import Permission
from xentri.shell.formatting import DATE_FORMATS
from xentri.shell.tables import org_preferences


async def date_format_of(*, tx: AsyncSession, org_id: uuid.UUID) -> str:
    found = (
        await tx.execute(
            select(org_preferences.c.date_format).where(org_preferences.c.org_id == org_id)
        )
    ).scalar_one_or_none()
    return found or DATE_FORMATS[0]


async def set_date_format(*, tx: AsyncSession, ctx: OrgContext, date_format: str) -> None:
    ctx.require(Permission.ORG_UPDATE)
    if date_format not in DATE_FORMATS:
        raise ValueError(f"unknown date format: {date_format}")
    await tx.execute(
        insert(org_preferences)
        .values(id=uuid.uuid4(), org_id=ctx.org_id, date_format=date_format)
        .on_conflict_do_update(
            index_elements=["org_id"],
            set_={"date_format": date_format, "updated_at": func.now()},
        )
    )
