"""Every event subscriber of the system, by name. Categories add theirs here as they land."""

from __future__ import annotations

from xentri.categories.finance import invoice_mail
from xentri.categories.finance import pulse_producers as finance_pulse
from xentri.categories.strategy import pulse as strategy_pulse
from xentri.kernel.events.consumer import Subscription
from xentri.notifications import handlers as notification_handlers
from xentri.pulse import PulseProducers, platform
from xentri.pulse.handlers import pulse_subscription


def pulse_producers() -> PulseProducers:
    """Every category's Pulse producers and judges (ADR 0020); add a category's here."""
    producers = PulseProducers()
    platform.register(producers)
    strategy_pulse.register(producers)
    finance_pulse.register(producers)
    return producers


def all_subscriptions() -> list[Subscription]:
    return [
        # Events become Pulse items; promotions climb to the Strategy Pulse.
        pulse_subscription(pulse_producers()),
        # Voters hear when a module they asked for moves to in development or beta.
        notification_handlers.subscription(),
        # An issued invoice is emailed to its customer with the PDF (at most once per invoice).
        invoice_mail.subscription(),
    ]
