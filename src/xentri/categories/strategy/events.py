"""Events Strategy emits."""

from __future__ import annotations

from pydantic import Field

from xentri.contracts.brief import BriefSection
from xentri.contracts.events import EventPayload
from xentri.kernel.events.registry import registry


class BriefCreated(EventPayload, event_type="xentri.brief.created.v1", schema="brief.created@1.0"):
    """An org approved its first Universal Brief."""

    version: int = Field(ge=1)
    sections: list[BriefSection]


class BriefUpdated(EventPayload, event_type="xentri.brief.updated.v1", schema="brief.updated@1.0"):
    """An org approved a new version of its Brief; `changed_sections` lists what differs."""

    version: int = Field(ge=2)
    changed_sections: list[BriefSection]


registry.register(BriefCreated, BriefUpdated)
