"""Events the Pulse emits."""

from __future__ import annotations

import uuid

from pydantic import Field

from xentri.contracts.events import EventPayload
from xentri.contracts.pulse import PULSE_SCOPE_PATTERN
from xentri.kernel.events.registry import registry


class PulsePromotionRequested(
    EventPayload,
    event_type="xentri.pulse.promotion_requested.v1",
    schema="pulse.promotion_requested@1.0",
):
    """A child scope marked one of its items for its parent (seed ADR-011 `promote_to`); the
    parent's judge decides whether it enters the parent's Pulse."""

    item_id: uuid.UUID
    scope: str = Field(pattern=PULSE_SCOPE_PATTERN, description="The item's own scope.")
    parent_scope: str = Field(pattern=PULSE_SCOPE_PATTERN)


registry.register(PulsePromotionRequested)
