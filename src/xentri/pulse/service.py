"""Pulse use cases: record, promote and withdraw items, read a scope's Pulse, dismiss, remember
scopes.

Every function runs in the caller's tenant transaction (RLS confines it to one org).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import Actor
from xentri.kernel.events.outbox import emit, new_event
from xentri.pulse.events import PulsePromotionRequested
from xentri.pulse.producers import Param, PulseDraft
from xentri.pulse.scopes import find
from xentri.pulse.tables import member_scopes, pulse_dismissals, pulse_items, pulse_last_scopes

SOURCE = "pulse"
# The web processes LISTEN here to push new items to open pages (pulse.live); NOTIFY is sent
# at commit, so a rolled-back item is never announced.
NOTIFY_CHANNEL = "pulse_items"
PAGE_SIZE = 50
_SYSTEM = Actor(type="system", id="pulse")


@dataclass(frozen=True)
class StoredItem:
    id: uuid.UUID
    scope: str
    source_event_id: uuid.UUID
    importance: int
    title: str
    summary: str
    params: Mapping[str, Param]
    action_required: bool
    action_url: str | None
    expires_at: datetime | None
    created_at: datetime
    promoted_from: uuid.UUID | None
    producer_key: str | None = None
    withdrawn: bool = False


async def record_item(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    draft: PulseDraft,
    source_event_id: uuid.UUID,
    promoted_from: uuid.UUID | None = None,
) -> uuid.UUID | None:
    """Store the draft as an item; None when this event already has its item at that scope."""
    item_id = uuid.uuid4()
    statement = (
        insert(pulse_items)
        .values(
            id=item_id,
            org_id=org_id,
            scope=draft.scope,
            source_event_id=source_event_id,
            importance=draft.importance,
            title=draft.title,
            summary=draft.summary,
            params=dict(draft.params),
            action_required=draft.action_required,
            action_url=draft.action_url,
            expires_at=draft.expires_at,
            promoted_from=promoted_from,
            producer_key=draft.key,
        )
        # Either unique key: (scope, source event) for a redelivery, (key, scope) for a fact
        # already reported (or withdrawn) at this scope.
        .on_conflict_do_nothing()
        .returning(pulse_items.c.id)
    )
    if (await tx.execute(statement)).first() is None:
        return None
    await _notify(tx, {"org_id": str(org_id), "id": str(item_id), "scope": draft.scope})
    if draft.promote:
        await request_promotion(tx=tx, org_id=org_id, item_id=item_id, scope=draft.scope)
    return item_id


async def request_promotion(
    *, tx: AsyncSession, org_id: uuid.UUID, item_id: uuid.UUID, scope: str
) -> None:
    """Mark an item for its parent scope: the parent judges it when the event reaches it."""
    found = find(scope)
    if found is None or found.parent is None:
        return
    payload = PulsePromotionRequested(item_id=item_id, scope=scope, parent_scope=found.parent)
    await emit(tx, new_event(payload, org_id=org_id, actor=_SYSTEM, source=SOURCE))


async def withdraw_items(*, tx: AsyncSession, keys: Sequence[str]) -> list[uuid.UUID]:
    """Hide the items reported under these keys at every scope they reached; the ones already
    withdrawn stay as they are (a redelivered event changes nothing)."""
    wanted = pulse_items.c.producer_key.in_(list(keys))
    # Lock first, then update in a second statement: a promotion running now holds its child
    # with FOR SHARE (see `item(lock=True)`), so this waits for it to commit, and the update's
    # fresh snapshot then includes the copy it made instead of leaving that copy behind.
    await tx.execute(
        select(pulse_items.c.id)
        .where(wanted, pulse_items.c.withdrawn_at.is_(None))
        .order_by(pulse_items.c.id)
        .with_for_update()
    )
    rows = (
        await tx.execute(
            update(pulse_items)
            .where(wanted, pulse_items.c.withdrawn_at.is_(None))
            .values(withdrawn_at=func.now(), updated_at=func.now())
            .returning(pulse_items.c.id, pulse_items.c.org_id, pulse_items.c.scope)
        )
    ).all()
    for row in rows:
        notice = {"org_id": str(row.org_id), "id": str(row.id), "scope": row.scope}
        await _notify(tx, {**notice, "withdrawn": True})
    return [row.id for row in rows]


async def item(*, tx: AsyncSession, item_id: uuid.UUID, lock: bool = False) -> StoredItem | None:
    """One item, withdrawn or not; `lock`: held FOR SHARE until the transaction ends, so a
    withdrawal of it waits (the promotion of a child uses it)."""
    query = select(pulse_items).where(pulse_items.c.id == item_id)
    row = (await tx.execute(query.with_for_update(read=True) if lock else query)).first()
    return _stored(row) if row is not None else None


async def items_in(
    *, tx: AsyncSession, scopes: Sequence[str], user_id: uuid.UUID, now: datetime
) -> list[StoredItem]:
    """What `user_id` sees in these scopes now: unexpired, not dismissed by them, most
    important first, then newest."""
    rows = await tx.execute(
        select(pulse_items)
        .where(pulse_items.c.scope.in_(list(scopes)), *_visible(user_id, now))
        .order_by(pulse_items.c.importance, pulse_items.c.created_at.desc(), pulse_items.c.id)
        .limit(PAGE_SIZE)
    )
    return [_stored(row) for row in rows]


async def count_in(*, tx: AsyncSession, scope: str, user_id: uuid.UUID, now: datetime) -> int:
    found = await tx.execute(
        select(func.count())
        .select_from(pulse_items)
        .where(pulse_items.c.scope == scope, *_visible(user_id, now))
    )
    return int(found.scalar_one())


async def promoted_copies(*, tx: AsyncSession, item_id: uuid.UUID) -> list[StoredItem]:
    rows = await tx.execute(select(pulse_items).where(pulse_items.c.promoted_from == item_id))
    return [_stored(row) for row in rows]


async def dismiss(
    *, tx: AsyncSession, org_id: uuid.UUID, item_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """Hide the item from this person only; dismissing twice is the same as once."""
    await tx.execute(
        insert(pulse_dismissals)
        .values(id=uuid.uuid4(), org_id=org_id, item_id=item_id, user_id=user_id)
        .on_conflict_do_nothing(constraint="uq_pulse_dismissals_item_id_user_id")
    )


async def last_scope(*, tx: AsyncSession, user_id: uuid.UUID) -> str | None:
    found = await tx.execute(
        select(pulse_last_scopes.c.scope).where(pulse_last_scopes.c.user_id == user_id)
    )
    return found.scalar_one_or_none()


async def set_last_scope(
    *, tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, scope: str
) -> None:
    statement = insert(pulse_last_scopes).values(
        id=uuid.uuid4(), org_id=org_id, user_id=user_id, scope=scope
    )
    await tx.execute(
        statement.on_conflict_do_update(
            constraint="uq_pulse_last_scopes_org_id_user_id",
            set_={"scope": statement.excluded.scope, "updated_at": func.now()},
        )
    )


async def granted_scopes(*, tx: AsyncSession, user_id: uuid.UUID) -> tuple[str, ...]:
    found = await tx.execute(
        select(member_scopes.c.scope)
        .where(member_scopes.c.user_id == user_id)
        .order_by(member_scopes.c.scope)
    )
    return tuple(found.scalars())


async def set_granted_scopes(
    *, tx: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, scopes: Sequence[str]
) -> None:
    """Limit a member to these category scopes (none: every category, as before)."""
    await tx.execute(member_scopes.delete().where(member_scopes.c.user_id == user_id))
    for scope in sorted(set(scopes)):
        await tx.execute(
            insert(member_scopes).values(
                id=uuid.uuid4(), org_id=org_id, user_id=user_id, scope=scope
            )
        )


def _visible(user_id: uuid.UUID, now: datetime) -> list[Any]:
    dismissed = exists().where(
        and_(
            pulse_dismissals.c.item_id == pulse_items.c.id,
            pulse_dismissals.c.user_id == user_id,
        )
    )
    return [
        ~dismissed,
        pulse_items.c.withdrawn_at.is_(None),
        (pulse_items.c.expires_at.is_(None)) | (pulse_items.c.expires_at > now),
    ]


async def _notify(tx: AsyncSession, notice: Mapping[str, object]) -> None:
    await tx.execute(
        text("select pg_notify(:channel, :payload)"),
        {"channel": NOTIFY_CHANNEL, "payload": json.dumps(notice)},
    )


def _stored(row: Any) -> StoredItem:
    return StoredItem(
        id=row.id,
        scope=row.scope,
        source_event_id=row.source_event_id,
        importance=row.importance,
        title=row.title,
        summary=row.summary,
        params=row.params or {},
        action_required=row.action_required,
        action_url=row.action_url,
        expires_at=row.expires_at,
        created_at=row.created_at,
        promoted_from=row.promoted_from,
        producer_key=row.producer_key,
        withdrawn=row.withdrawn_at is not None,
    )
