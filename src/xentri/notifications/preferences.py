"""Which notices a person wants, per kind and channel (email, in the app). Notifications read
these when they are sent; an unset kind uses its default. The shell's settings page edits them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.notifications.messages import N_
from xentri.notifications.tables import notification_preferences


@dataclass(frozen=True)
class Choice:
    email: bool
    in_app: bool


KINDS = {
    "pulse_digest": N_("Daily briefing of what matters today"),
    "copilot_proposals": N_("Co-pilot proposals waiting for your approval"),
    "team": N_("People joining or leaving your organization"),
    "billing": N_("Invoices paid or overdue"),
    "sales": N_("New leads and deals"),
    "security": N_("Security: new sign-ins and API keys"),
    "product_updates": N_("Modules you voted for: status changes"),
}
DEFAULTS = {
    "pulse_digest": Choice(email=True, in_app=True),
    "copilot_proposals": Choice(email=False, in_app=True),
    "team": Choice(email=False, in_app=True),
    "billing": Choice(email=True, in_app=True),
    "sales": Choice(email=False, in_app=True),
    "security": Choice(email=True, in_app=True),
    "product_updates": Choice(email=True, in_app=True),
}
Channel = Literal["email", "in_app"]


async def preferences_for(*, tx: AsyncSession, user_id: uuid.UUID) -> dict[str, Choice]:
    rows = (
        await tx.execute(
            select(
                notification_preferences.c.kind,
                notification_preferences.c.email,
                notification_preferences.c.in_app,
            ).where(notification_preferences.c.user_id == user_id)
        )
    ).all()
    stored = {row.kind: Choice(email=row.email, in_app=row.in_app) for row in rows}
    return {kind: stored.get(kind, DEFAULTS[kind]) for kind in KINDS}


async def save_preferences(
    *, tx: AsyncSession, user_id: uuid.UUID, choices: dict[str, Choice]
) -> None:
    for kind in sorted(choices):
        if kind not in KINDS:
            raise ValueError(f"unknown notification kind: {kind}")
        choice = choices[kind]
        await tx.execute(
            insert(notification_preferences)
            .values(
                id=uuid.uuid4(),
                user_id=user_id,
                kind=kind,
                email=choice.email,
                in_app=choice.in_app,
            )
            .on_conflict_do_update(
                constraint="uq_notification_preferences_user_id_kind",
                set_={"email": choice.email, "in_app": choice.in_app, "updated_at": func.now()},
            )
        )


async def wants(*, tx: AsyncSession, user_id: uuid.UUID, kind: str, channel: Channel) -> bool:
    """Whether to send a notice of `kind` to this person by `channel` ("email" or "in_app")."""
    choice = (await preferences_for(tx=tx, user_id=user_id))[kind]
    return choice.email if channel == "email" else choice.in_app


async def choices_of(
    *, tx: AsyncSession, user_ids: list[uuid.UUID], kind: str
) -> dict[uuid.UUID, Choice]:
    """Each person's choice for one kind, in one query (a module may have many voters)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    rows = await tx.execute(
        select(
            notification_preferences.c.user_id,
            notification_preferences.c.email,
            notification_preferences.c.in_app,
        ).where(
            notification_preferences.c.kind == kind,
            notification_preferences.c.user_id.in_(user_ids),
        )
    )
    stored = {row.user_id: Choice(email=row.email, in_app=row.in_app) for row in rows}
    return {user_id: stored.get(user_id, DEFAULTS[kind]) for user_id in user_ids}
