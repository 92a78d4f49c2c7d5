"""Every event subscriber of the system, by name. Categories add theirs here as they land."""

from __future__ import annotations

from xentri.kernel.events.consumer import Subscription


def all_subscriptions() -> list[Subscription]:
    return []
