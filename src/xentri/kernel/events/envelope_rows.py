"""Between system_events rows, SystemEvent envelopes and Redis stream entries."""

from __future__ import annotations

from typing import Any

from xentri.contracts.events import SystemEvent

STREAM = "xentri:events"
DLQ_STREAM = "events:dlq"


def field_text(value: Any) -> str:
    """A Redis stream id or field as text (the client hands back bytes)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def event_from_row(row: Any) -> SystemEvent:
    return SystemEvent(
        id=row.id,
        type=row.type,
        occurred_at=row.occurred_at,
        org_id=row.org_id,
        actor=row.actor,
        envelope_version=row.envelope_version,
        payload_schema=row.payload_schema,
        payload=row.payload,
        dedupe_key=row.dedupe_key,
        correlation_id=row.correlation_id,
        trace_id=row.trace_id,
        meta=row.meta,
    )


def stream_fields(
    event: SystemEvent, *, org_seq: int, only_for: str | None = None, rebuild: bool = False
) -> dict[str, str]:
    """The entry's fields: the envelope plus what consumers filter on without parsing it.

    `only_for` re-delivers to one subscriber (a dead letter's replay); `rebuild` also makes
    it run again where it already has a receipt (a projection rebuilt from the log).
    """
    fields = {
        "id": str(event.id),
        "type": event.type,
        "org_id": str(event.org_id),
        "org_seq": str(org_seq),
        "event": event.model_dump_json(),
    }
    if only_for is not None:
        fields["only_for"] = only_for
    if rebuild:
        fields["rebuild"] = "1"
    return fields
