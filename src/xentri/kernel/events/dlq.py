"""Dead letters: events a subscriber could not handle, kept visible, alertable and replayable."""

from __future__ import annotations

import uuid

import structlog
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.contracts.events import SYSTEM_ORG_ID, Actor, SystemEvent
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.envelope_rows import DLQ_STREAM
from xentri.kernel.events.ops_events import OpsIncident
from xentri.kernel.events.outbox import emit, new_event
from xentri.kernel.events.tables import dead_letters

log = structlog.get_logger("xentri.dlq")

REPEATED_CORRELATION = 3
DEPTH_ALERT_THRESHOLD = 5
_DEPTH_ALERT_EVERY_SECONDS = 3600
_SOURCE = "event-spine"


async def dead_letter(
    *,
    engine: AsyncEngine,
    redis: Redis,
    consumer: str,
    event: SystemEvent,
    error: str,
    attempts: int,
    stream_id: str | None,
    depth_threshold: int = DEPTH_ALERT_THRESHOLD,
) -> uuid.UUID:
    """Record the failure in the table and the `events:dlq` stream; raise incidents on patterns."""
    letter_id = uuid.uuid4()
    async with tenant_transaction(engine, event.org_id) as tx:
        await tx.execute(
            dead_letters.insert().values(
                id=letter_id,
                org_id=event.org_id,
                consumer=consumer,
                event_id=event.id,
                event_type=event.type,
                correlation_id=event.correlation_id,
                error=error[:4000],
                attempts=attempts,
                envelope=event.model_dump(mode="json"),
                stream_id=stream_id,
            )
        )
        if event.correlation_id:
            repeats = (
                await tx.execute(
                    select(func.count()).where(
                        dead_letters.c.org_id == event.org_id,
                        dead_letters.c.correlation_id == event.correlation_id,
                    )
                )
            ).scalar_one()
            if repeats == REPEATED_CORRELATION:
                await emit(
                    tx,
                    _incident(
                        event.org_id,
                        severity="P2",
                        kind="dlq_correlation_repeated",
                        summary=(
                            f"Correlation {event.correlation_id} dead-lettered "
                            f"{REPEATED_CORRELATION} times: a systemic failure, not one bad event."
                        ),
                        details={"correlation_id": event.correlation_id, "consumer": consumer},
                    ),
                )
    await redis.xadd(
        DLQ_STREAM,
        {
            "dead_letter_id": str(letter_id),
            "consumer": consumer,
            "event_id": str(event.id),
            "type": event.type,
            "org_id": str(event.org_id),
            "error": error[:1000],
            "attempts": str(attempts),
        },
    )
    log.error("dead_lettered", consumer=consumer, event_type=event.type, attempts=attempts)
    await _alert_on_depth(engine=engine, redis=redis, threshold=depth_threshold)
    return letter_id


async def _alert_on_depth(*, engine: AsyncEngine, redis: Redis, threshold: int) -> None:
    depth = int(await redis.xlen(DLQ_STREAM))
    if depth <= threshold:
        return
    # One incident per hour, however many letters arrive: an alert, not a flood.
    if not await redis.set("dlq:depth-alerted", "1", nx=True, ex=_DEPTH_ALERT_EVERY_SECONDS):
        return
    async with tenant_transaction(engine, SYSTEM_ORG_ID) as tx:
        await emit(
            tx,
            _incident(
                SYSTEM_ORG_ID,
                severity="P2" if depth > threshold * 4 else "P3",
                kind="dlq_depth",
                summary=f"{DLQ_STREAM} holds {depth} dead letters (threshold {threshold}).",
                details={"stream": DLQ_STREAM, "depth": depth, "threshold": threshold},
            ),
        )


def _incident(
    org_id: uuid.UUID, *, severity: str, kind: str, summary: str, details: dict[str, object]
) -> SystemEvent:
    return new_event(
        OpsIncident.model_validate(
            {"severity": severity, "kind": kind, "summary": summary, "details": details}
        ),
        org_id=org_id,
        actor=Actor(type="system", id=_SOURCE),
        source=_SOURCE,
    )
