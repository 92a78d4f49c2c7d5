"""Where a person docks the copilot panel (right or bottom), kept with their account so every
device opens it on the same side (ADR-012: "user preferences table")."""

from __future__ import annotations

import uuid
from typing import Literal, cast

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.shell.tables import user_preferences

PanelSide = Literal["right", "bottom"]
DEFAULT_SIDE: PanelSide = "right"


async def panel_side(*, tx: AsyncSession, user_id: uuid.UUID) -> PanelSide:
    side = (
        await tx.execute(
            select(user_preferences.c.copilot_panel_side).where(
                user_preferences.c.user_id == user_id
            )
        )
    ).scalar_one_or_none()
    return DEFAULT_SIDE if side is None else cast(PanelSide, side)


async def set_panel_side(*, tx: AsyncSession, user_id: uuid.UUID, side: PanelSide) -> None:
    await tx.execute(
        insert(user_preferences)
        .values(user_id=user_id, copilot_panel_side=side)
        .on_conflict_do_update(
            index_elements=[user_preferences.c.user_id],
            set_={"copilot_panel_side": side, "updated_at": func.now()},
        )
    )
