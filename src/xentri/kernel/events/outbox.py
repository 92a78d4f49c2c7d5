"""Emit = insert into system_events in the caller's transaction (transactional outbox)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import Actor, EventMeta, EventPayload, SystemEvent
from xentri.kernel.events.registry import EventRegistry, registry
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
    if event.dedupe_key is not None:
        return await _emit_deduplicated(session, event)
    # One statement: the upsert takes the org's sequence row lock (held to commit, so one
    # org's emitters serialise and org_seq order is commit order, without gaps), feeds the
    # new number straight into the event row and queues the relay's wake-up.
    await session.execute(_SEQUENCED_INSERT, _row(event))
    return True


async def _emit_deduplicated(session: AsyncSession, event: SystemEvent) -> bool:
    # The dedupe check must run under the lock, and must not spend a sequence number when
    # it finds a duplicate: lock, check, then take the number.
    await session.execute(_ENSURE_SEQUENCE_ROW, {"org_id": event.org_id})
    await session.execute(_LOCK_SEQUENCE_ROW, {"org_id": event.org_id})
    seen = await session.execute(
        _DUPLICATE, {"org_id": event.org_id, "dedupe_key": event.dedupe_key}
    )
    if seen.first() is not None:
        return False
    await session.execute(_SEQUENCED_INSERT, _row(event))
    return True


def _row(event: SystemEvent) -> dict[str, object]:
    return {
        "id": event.id,
        "org_id": event.org_id,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "actor": json.dumps(event.actor.model_dump(mode="json")),
        "envelope_version": event.envelope_version,
        "payload_schema": event.payload_schema,
        "payload": json.dumps(event.payload),
        "dedupe_key": event.dedupe_key,
        "correlation_id": event.correlation_id,
        "trace_id": event.trace_id,
        "meta": json.dumps(event.meta.model_dump(mode="json", exclude_none=True)),
        "notify_channel": NOTIFY_CHANNEL,
    }


# Built once: statement construction is a real share of the cost of emitting. The NOTIFY is a
# wake-up hint for the relay, delivered on commit (several in one transaction fold into one);
# polling covers a missed one.
_SEQUENCED_INSERT = text(
    """
    with seq as (
      insert into org_event_sequences as s (org_id, last_seq) values (:org_id, 1)
      on conflict (org_id) do update set last_seq = s.last_seq + 1, updated_at = now()
      returning last_seq
    )
    insert into system_events (id, org_id, org_seq, type, occurred_at, actor, envelope_version,
      payload_schema, payload, dedupe_key, correlation_id, trace_id, meta)
    select :id, :org_id, seq.last_seq, :type, :occurred_at, cast(:actor as jsonb),
      :envelope_version, :payload_schema, cast(:payload as jsonb), :dedupe_key,
      :correlation_id, :trace_id, cast(:meta as jsonb)
    from seq
    returning pg_notify(:notify_channel, '')
    """
)
_ENSURE_SEQUENCE_ROW = text(
    "insert into org_event_sequences (org_id, last_seq) values (:org_id, 0) "
    "on conflict (org_id) do nothing"
)
_LOCK_SEQUENCE_ROW = text(
    "select last_seq from org_event_sequences where org_id = :org_id for update"
)
_DUPLICATE = text(
    "select id from system_events where org_id = :org_id and dedupe_key = :dedupe_key"
)
