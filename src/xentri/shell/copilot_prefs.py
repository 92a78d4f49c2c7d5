"""Where a person docks the copilot panel (right or bottom), kept with their account so every
device opens it on the same side (ADR-012: "user preferences table").

There is no general per-person preference table yet, and this change could not add one (no
migration revision was free). The choice is one switch per person, and the per-person
(user, kind) -> switches table of notification choices already holds exactly that shape: it is
stored there under a kind of its own, which the notification code never lists and so never
reads (ADR 0021). Declared here as a lightweight table, not imported, so the two concerns stay
apart; it moves to a proper preferences table with the next migration.
"""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy import Boolean, String, column, func, select, table
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

PanelSide = Literal["right", "bottom"]
DEFAULT_SIDE: PanelSide = "right"
PANEL_KIND = "ui.copilot_panel_bottom"

_switches = table(
    "notification_preferences",
    column("id", UUID(as_uuid=True)),
    column("user_id", UUID(as_uuid=True)),
    column("kind", String(40)),
    column("email", Boolean),
    column("in_app", Boolean),
    column("updated_at"),
)


async def panel_side(*, tx: AsyncSession, user_id: uuid.UUID) -> PanelSide:
    bottom = (
        await tx.execute(
            select(_switches.c.in_app).where(
                _switches.c.user_id == user_id, _switches.c.kind == PANEL_KIND
            )
        )
    ).scalar_one_or_none()
    if bottom is None:
        return DEFAULT_SIDE
    return "bottom" if bottom else "right"


async def set_panel_side(*, tx: AsyncSession, user_id: uuid.UUID, side: PanelSide) -> None:
    bottom = side == "bottom"
    await tx.execute(
        insert(_switches)
        .values(id=uuid.uuid4(), user_id=user_id, kind=PANEL_KIND, email=False, in_app=bottom)
        .on_conflict_do_update(
            constraint="uq_notification_preferences_user_id_kind",
            set_={"in_app": bottom, "updated_at": func.now()},
        )
    )
