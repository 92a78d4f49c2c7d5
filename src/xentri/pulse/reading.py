"""A scope's Pulse as one person reads it: their items, in their language, with drill-down."""

from __future__ import annotations

import gettext
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.pulse import PulseItem
from xentri.identity.orgs import OrgContext
from xentri.identity.permissions import Role
from xentri.pulse import service
from xentri.pulse.i18n import in_language
from xentri.pulse.landing import Viewer
from xentri.pulse.service import StoredItem
from xentri.pulse.tables import pulse_items


@dataclass(frozen=True)
class ScopeRead:
    scope: str
    items: list[PulseItem]
    # promoted item id → the scope of the item it came from (where drilling down leads)
    origins: dict[str, str]


async def viewer_of(*, tx: AsyncSession, ctx: OrgContext) -> Viewer:
    granted = (
        await service.granted_scopes(tx=tx, user_id=ctx.user_id) if ctx.role == Role.MEMBER else ()
    )
    return Viewer(role=ctx.role, granted=granted)


async def read_scope(
    *,
    tx: AsyncSession,
    scope: str,
    user_id: uuid.UUID,
    lang: str,
    translations: gettext.NullTranslations,
    now: datetime,
) -> ScopeRead:
    stored = await service.items_in(tx=tx, scopes=[scope], user_id=user_id, now=now)
    parents = [item.promoted_from for item in stored if item.promoted_from is not None]
    origins: dict[str, str] = {}
    if parents:
        rows = await tx.execute(
            select(pulse_items.c.id, pulse_items.c.scope).where(pulse_items.c.id.in_(parents))
        )
        by_id = {row.id: row.scope for row in rows}
        origins = {
            str(item.id): by_id[item.promoted_from]
            for item in stored
            if item.promoted_from in by_id
        }
    return ScopeRead(
        scope=scope,
        items=[present(item, lang=lang, translations=translations) for item in stored],
        origins=origins,
    )


def present(item: StoredItem, *, lang: str, translations: gettext.NullTranslations) -> PulseItem:
    return PulseItem(
        id=item.id,
        scope=item.scope,
        source_event_id=item.source_event_id,
        importance=item.importance,
        title=in_language(item.title, item.params, lang, translations)[:200],
        summary=in_language(item.summary, item.params, lang, translations)[:2000],
        action_required=item.action_required,
        action_url=item.action_url,
        expires_at=item.expires_at,
        created_at=item.created_at,
        promoted_from=item.promoted_from,
    )
