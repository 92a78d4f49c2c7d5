"""Event subscriptions of the notifications: the events that make people a notice."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.catalog.events import ModuleStatusChanged
from xentri.contracts.events import SystemEvent
from xentri.kernel.events.consumer import Subscription
from xentri.notifications.module_news import notify_module_voters

CONSUMER = "notifications"


async def on_module_status_changed(event: SystemEvent, tx: AsyncSession) -> None:
    """A module moved on: its voters hear about in development and beta (the consumer's
    receipt and the notifications' unique key both keep a redelivery from notifying twice)."""
    change = ModuleStatusChanged.model_validate(event.payload)
    await notify_module_voters(
        tx=tx, event_id=event.id, module_id=change.module_id, new_status=change.new_status
    )


def subscription() -> Subscription:
    return Subscription(
        name=CONSUMER,
        handlers={ModuleStatusChanged.event_type: on_module_status_changed},
    )
