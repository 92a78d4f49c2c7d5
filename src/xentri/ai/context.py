"""What an agent is told about its scope besides its soul: the org's Brief and the recent events
its category follows (ADR-012: "pass current Brief section + recent events as context")."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.registry import AgentRegistry
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.tables import system_events

RECENT_EVENTS = 10
_SUMMARY_CHARS = 240


@dataclass(frozen=True)
class EventLine:
    occurred_at: datetime
    type: str
    payload: dict[str, Any]

    def render(self) -> str:
        payload = json.dumps(self.payload, ensure_ascii=False, sort_keys=True)
        if len(payload) > _SUMMARY_CHARS:
            payload = payload[: _SUMMARY_CHARS - 1] + "…"
        return f"- {self.occurred_at:%Y-%m-%d %H:%M} UTC {self.type} {payload}"


def followed_event_types(registry: AgentRegistry, scope: str) -> frozenset[str] | None:
    """The event types a scope's agents follow: its category's subscriptions; None (every
    event) for the strategy scope, which sees the whole business."""
    if scope == "strategy":
        return None
    category = registry.copilot_for_scope(scope).category
    return frozenset(
        event_type for agent in registry.for_category(category) for event_type in agent.subscribes
    )


@dataclass(frozen=True)
class ScopeContext:
    scope: str
    brief: str | None  # the Universal Brief as text; None until the Strategy interview is done
    events: tuple[EventLine, ...]
    # The Brief section on the owner's screen when they asked (the copilot widget sends it).
    brief_section: str | None = None

    def as_prompt(self) -> str:
        parts = []
        if self.brief_section is not None:
            parts.append(
                "## Where the owner is\n"
                f'They are looking at the Brief\'s "{self.brief_section}" section: a question '
                "that names no other subject is about that section."
            )
        if not self.events:
            parts.append(f"## Recent activity ({self.scope})\nNothing has happened here yet.")
        else:
            lines = "\n".join(event.render() for event in self.events)
            parts.append(f"## Recent activity ({self.scope}), newest first\n{lines}")
        return "\n\n".join(parts)


async def scope_context(
    engine: AsyncEngine,
    org_id: uuid.UUID,
    scope: str,
    *,
    event_types: Collection[str] | None,
    limit: int = RECENT_EVENTS,
) -> ScopeContext:
    """`event_types` None: every event of the org (the strategy scope sees everything)."""
    query = (
        select(system_events.c.occurred_at, system_events.c.type, system_events.c.payload)
        .order_by(system_events.c.occurred_at.desc())
        .limit(limit)
    )
    if event_types is not None:
        if not event_types:
            return ScopeContext(scope=scope, brief=None, events=())
        query = query.where(system_events.c.type.in_(sorted(event_types)))
    async with tenant_transaction(engine, org_id) as tx:
        rows = (await tx.execute(query)).all()
    events = tuple(EventLine(row.occurred_at, row.type, row.payload) for row in rows)
    return ScopeContext(scope=scope, brief=None, events=events)
