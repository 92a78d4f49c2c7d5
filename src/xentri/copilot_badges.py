"""What the copilot widget's badge counts (ADR 0021), wired where the parts meet: the shell
never imports a category, so the composition root hands it these sources.

- Unread suggestions: the Pulse items at the scope that the person has not dismissed and that
  have not expired, created after the widget was last opened there (at most a Pulse page of
  them: the badge shows "99+" long before that matters).
- Pending recommendations: the Strategy Co-pilot's advice on the approved Brief's goals (a
  goal without a target or a deadline, or whose statement does not say its target), at the
  Strategy scopes, counted when that Brief version was approved after the widget was last
  opened there. Which goals get advice is the rules' choice whatever wrote the advice (the
  model only rewrites those goals, ADR 0026), so the count never needs a model.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.registry import load_agent_registry
from xentri.categories.strategy import recommendations
from xentri.categories.strategy import service as strategy
from xentri.pulse import service as pulse
from xentri.shell.copilot_badge import BadgeSource


async def pending_goal_advice(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    scope: str,
    since: datetime | None,
    now: datetime,
) -> int:
    if load_agent_registry().copilot_for_scope(scope).category != "strategy":
        return 0
    try:
        current = await strategy.current_brief(tx=tx)
    except strategy.BriefNotFoundError:
        return 0
    if since is not None and current.approved_at <= since:
        return 0
    return len(recommendations.recommend_goals(current.document, language="en"))


async def unread_pulse_items(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    scope: str,
    since: datetime | None,
    now: datetime,
) -> int:
    if since is None:
        return await pulse.count_in(tx=tx, scope=scope, user_id=user_id, now=now)
    items = await pulse.items_in(tx=tx, scopes=[scope], user_id=user_id, now=now)
    return sum(1 for item in items if item.created_at > since)


BADGE_SOURCES: tuple[BadgeSource, ...] = (unread_pulse_items, pending_goal_advice)
