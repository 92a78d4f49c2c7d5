"""Every event subscriber of the system, by name. Categories add theirs here as they land."""

from __future__ import annotations

from xentri.kernel.events.consumer import Subscription
from xentri.notifications import handlers as notification_handlers


def all_subscriptions() -> list[Subscription]:
    return [
        # Voters hear when a module they asked for moves to in development or beta.
        notification_handlers.subscription(),
    ]
