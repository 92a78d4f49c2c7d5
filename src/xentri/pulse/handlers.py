"""The Pulse's subscriber on the spine: producers turn events into items, judges promote them.

Consumer receipts make a redelivered event a no-op; the unique (org, scope, source event) key
makes the insert idempotent on its own as well (a replay with receipts rebuilt, or two children
promoting the same fact). Withdrawers run first: an event that ends a fact (an invoice paid)
hides the items a producer reported for it, at every level; withdrawing twice is once.
"""

from __future__ import annotations

import functools

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import SystemEvent
from xentri.contracts.pulse import STRATEGY_SCOPE, scope_level
from xentri.kernel.events.consumer import Subscription
from xentri.pulse import service
from xentri.pulse.events import PulsePromotionRequested
from xentri.pulse.producers import THRESHOLDS, Candidate, PulseDraft, PulseProducers
from xentri.pulse.scopes import find

log = structlog.get_logger("xentri.pulse")

SUBSCRIBER = "pulse"


def pulse_subscription(producers: PulseProducers, *, name: str = SUBSCRIBER) -> Subscription:
    handlers = {
        event_type: functools.partial(on_event, producers) for event_type in producers.event_types()
    }
    handlers[PulsePromotionRequested.event_type] = functools.partial(on_promotion, producers)
    return Subscription(name=name, handlers=handlers)


async def on_event(producers: PulseProducers, event: SystemEvent, tx: AsyncSession) -> None:
    for withdrawer in producers.withdrawers_for(event.type):
        keys = await withdrawer(event, tx)
        if keys:
            await service.withdraw_items(tx=tx, keys=keys)
    for producer in producers.producers_for(event.type):
        draft = await producer(event, tx)
        if draft is None:
            continue
        if find(draft.scope) is None:
            # A producer's bug, not the event's: fail loudly (retries, then the dead letters).
            raise ValueError(f"{event.type}: a pulse producer chose unknown scope {draft.scope!r}")
        await service.record_item(tx=tx, org_id=event.org_id, draft=draft, source_event_id=event.id)


async def on_promotion(producers: PulseProducers, event: SystemEvent, tx: AsyncSession) -> None:
    """The parent re-weighs the child's item in its own context and, if it is still important
    enough for its level, lists it too (the original stays), then asks its own parent."""
    request = PulsePromotionRequested.model_validate(event.payload)
    child = await service.item(tx=tx, item_id=request.item_id, lock=True)
    parent = find(request.parent_scope)
    # A withdrawn item (its fact ended before the parent's turn) is not promoted any further.
    if child is None or child.withdrawn or parent is None:
        log.info("pulse_promotion_skipped", item_id=str(request.item_id))
        return
    candidate = Candidate(
        scope=child.scope,
        importance=child.importance,
        title=child.title,
        params=child.params,
        action_required=child.action_required,
    )
    judge = producers.judge_for(parent.id, parent.category)
    importance = await judge(candidate, parent.id, tx)
    if importance is None or importance > THRESHOLDS[scope_level(parent.id)]:
        return
    draft = PulseDraft(
        scope=parent.id,
        importance=importance,
        title=child.title,
        summary=child.summary,
        params=child.params,
        action_required=child.action_required,
        action_url=child.action_url,
        expires_at=child.expires_at,
        promote=parent.id != STRATEGY_SCOPE,
        key=child.producer_key,
    )
    await service.record_item(
        tx=tx,
        org_id=event.org_id,
        draft=draft,
        source_event_id=child.source_event_id,
        promoted_from=child.id,
    )
