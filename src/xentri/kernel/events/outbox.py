"""Emit = insert into system_events in the caller's transaction (transactional outbox)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import Actor, EventMeta, EventPayload, SystemEvent
from xentri.kernel.events.registry import EventRegistry, registry
from xentri.kernel.events.tables import org_event_sequences, system_events
from xentri.kernel.trace import current_trace_id

NOTIFY_CHANNEL = "xentri_events"


def new_event(
    payload: EventPayload,
    *,
    org_id: uuid.UUID,
    actor: Actor,
    source: str,
    correlation_id: str | None = None,
    dedupe_key: str | None = None,
    occurred_at: datetime | None = None,
) -> SystemEvent:
    """Wrap a payload in the envelope; the trace id comes from the work in progress."""
    extra = {"occurred_at": occurred_at} if occurred_at else {}
    return SystemEvent(
        type=payload.event_type,
        org_id=org_id,
        actor=actor,
        payload_schema=payload.payload_schema,
        payload=payload.model_dump(mode="json"),
        dedupe_key=dedupe_key,
        correlation_id=correlation_id,
        trace_id=current_trace_id(),
        meta=EventMeta(source=source),
        **extra,
    )


async def emit(
    session: AsyncSession, event: SystemEvent, *, events: EventRegistry = registry
) -> bool:
    """Record the event in the caller's transaction; False when its dedupe key was seen.

    The event exists if and only if the caller's transaction commits. Refuses unknown types
    and invalid payloads before writing anything.
    """
    events.validate(event)
    # Locking the org's sequence row first serialises this org's emitters until commit, so
    # org_seq order is commit order and has no gaps: the relay can never skip an event.
    await session.execute(
        insert(org_event_sequences)
        .values(org_id=event.org_id, last_seq=0)
        .on_conflict_do_nothing(index_elements=["org_id"])
    )
    await session.execute(
        select(org_event_sequences.c.last_seq)
        .where(org_event_sequences.c.org_id == event.org_id)
        .with_for_update()
    )
    if event.dedupe_key is not None:
        seen = await session.execute(
            select(system_events.c.id).where(
                system_events.c.org_id == event.org_id,
                system_events.c.dedupe_key == event.dedupe_key,
            )
        )
        if seen.first() is not None:
            return False
    seq = (
        await session.execute(
            org_event_sequences.update()
            .where(org_event_sequences.c.org_id == event.org_id)
            .values(last_seq=org_event_sequences.c.last_seq + 1, updated_at=text("now()"))
            .returning(org_event_sequences.c.last_seq)
        )
    ).scalar_one()
    await session.execute(
        insert(system_events).values(
            id=event.id,
            org_id=event.org_id,
            org_seq=seq,
            type=event.type,
            occurred_at=event.occurred_at,
            actor=event.actor.model_dump(mode="json"),
            envelope_version=event.envelope_version,
            payload_schema=event.payload_schema,
            payload=event.payload,
            dedupe_key=event.dedupe_key,
            correlation_id=event.correlation_id,
            trace_id=event.trace_id,
            meta=event.meta.model_dump(mode="json", exclude_none=True),
        )
    )
    # A wake-up hint for the relay, delivered on commit; polling covers a missed one.
    await session.execute(text(f"select pg_notify('{NOTIFY_CHANNEL}', '')"))
    return True
