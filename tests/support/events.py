"""Event types that exist only in tests, and a handler effect table to count real effects."""

from __future__ import annotations

import uuid

from pydantic import Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import Actor, EventPayload, SystemEvent
from xentri.kernel.events.outbox import new_event
from xentri.kernel.events.registry import registry

HANDLED_TABLE = """
create table if not exists testing.handled (
  id bigint generated always as identity primary key,
  consumer text not null,
  event_id uuid not null,
  org_id uuid not null,
  note text not null
)
"""


class ThingHappened(
    EventPayload, event_type="xentri.test.thing_happened.v1", schema="test.thing@1.0"
):
    note: str = Field(min_length=1)
    number: int = 0


class RenamedOld(EventPayload, event_type="xentri.test.renamed.v1", schema="test.renamed@1.0"):
    name: str


class RenamedNew(EventPayload, event_type="xentri.test.renamed.v1", schema="test.renamed@2.0"):
    first_name: str
    last_name: str


registry.register(ThingHappened, RenamedOld, RenamedNew)

ACTOR = Actor(type="user", id="test-user")


def thing(org_id: uuid.UUID, note: str, **extra: object) -> SystemEvent:
    return new_event(ThingHappened(note=note), org_id=org_id, actor=ACTOR, source="tests", **extra)


def recording_handler(consumer: str):
    """A handler whose effect is one row in testing.handled, in the handler's transaction."""

    async def handle(event: SystemEvent, tx: AsyncSession) -> None:
        await tx.execute(
            text(
                "insert into testing.handled (consumer, event_id, org_id, note) "
                "values (:consumer, :event_id, :org_id, :note)"
            ),
            {
                "consumer": consumer,
                "event_id": event.id,
                "org_id": event.org_id,
                "note": event.payload.get("note", ""),
            },
        )

    return handle
