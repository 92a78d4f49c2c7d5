"""First-run progress: which wizard step a new owner is on, kept in the database so closing the
browser halfway resumes where they left off (on any device)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.shell.tables import onboarding_progress

STEPS = ("profile", "organization", "region")


async def get_progress(*, tx: AsyncSession, user_id: uuid.UUID) -> Any | None:
    return (
        await tx.execute(
            select(onboarding_progress).where(onboarding_progress.c.user_id == user_id)
        )
    ).first()


def is_pending(progress: Any | None, *, has_orgs: bool) -> bool:
    """Whether the wizard should run: a new person with no org, or one who started it and made
    an org with it. Someone who joined an existing org by invitation never sees it."""
    if progress is None:
        return not has_orgs
    if progress.completed_at is not None:
        return False
    return progress.created_org_id is not None or not has_orgs


def current_step(progress: Any | None) -> str:
    return progress.step if progress is not None else STEPS[0]


def may_open(progress: Any | None, step: str) -> bool:
    """Steps already reached may be revisited; later ones wait for the earlier answers."""
    return STEPS.index(step) <= STEPS.index(current_step(progress))


async def reach_step(
    *,
    tx: AsyncSession,
    user_id: uuid.UUID,
    step: str,
    created_org_id: uuid.UUID | None = None,
    browser_time_zone: str | None = None,
) -> None:
    """Record that `step` is next; never moves someone back past a step they had reached."""
    values: dict[str, Any] = {"step": step, "updated_at": func.now()}
    if created_org_id is not None:
        values["created_org_id"] = created_org_id
    if browser_time_zone is not None:
        values["browser_time_zone"] = browser_time_zone
    existing = await get_progress(tx=tx, user_id=user_id)
    if existing is not None and STEPS.index(existing.step) > STEPS.index(step):
        values["step"] = existing.step
    await tx.execute(
        insert(onboarding_progress)
        .values(user_id=user_id, **values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )


async def complete(*, tx: AsyncSession, user_id: uuid.UUID) -> None:
    await tx.execute(
        insert(onboarding_progress)
        .values(user_id=user_id, step=STEPS[-1], completed_at=func.now())
        .on_conflict_do_update(
            index_elements=["user_id"],
            set_={"completed_at": func.now(), "updated_at": func.now()},
        )
    )
