"""The SystemEvent envelope (DESIGN §5, seed ADR-002) and the base class of event payloads."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

EVENT_TYPE_PATTERN = r"^xentri\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.v[1-9][0-9]*$"
PAYLOAD_SCHEMA_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*@[0-9]+\.[0-9]+$"
_EVENT_TYPE = re.compile(EVENT_TYPE_PATTERN)
_PAYLOAD_SCHEMA = re.compile(PAYLOAD_SCHEMA_PATTERN)

# Platform-level events (an incident in the event spine itself) belong to no tenant.
SYSTEM_ORG_ID = uuid.UUID(int=0)


class Actor(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["user", "system", "job"]
    id: str = Field(min_length=1, max_length=200)


class EventMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1, max_length=100, description="Emitting component.")
    environment: Literal["local", "test", "staging", "prod"] | None = None


# On the wire every field is present: the published schema says so (defaults fill them in).
_WIRE_SCHEMA = ConfigDict(
    frozen=True,
    extra="forbid",
    json_schema_mode_override="serialization",
    json_schema_serialization_defaults_required=True,
)


class SystemEvent(BaseModel):
    """One immutable fact. `payload` is validated against the registered payload model."""

    model_config = _WIRE_SCHEMA

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str = Field(pattern=EVENT_TYPE_PATTERN, examples=["xentri.invoice.sent.v1"])
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    org_id: uuid.UUID
    actor: Actor
    envelope_version: Literal["1.0"] = "1.0"
    payload_schema: str = Field(pattern=PAYLOAD_SCHEMA_PATTERN, examples=["invoice.sent@1.0"])
    payload: dict[str, Any]
    dedupe_key: str | None = Field(default=None, max_length=200)
    correlation_id: str | None = Field(default=None, max_length=200)
    trace_id: str | None = Field(default=None, max_length=64)
    meta: EventMeta

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must carry a time zone")
        return value

    @property
    def schema_name(self) -> str:
        return self.payload_schema.split("@", 1)[0]

    @property
    def schema_major(self) -> int:
        return int(self.payload_schema.split("@", 1)[1].split(".", 1)[0])


class EventPayload(BaseModel):
    """Base of every event payload: a subclass declares its event type and schema version.

    class InvoiceSent(EventPayload, event_type="xentri.invoice.sent.v1",
                      schema="invoice.sent@1.0"):
        invoice_id: uuid.UUID
    """

    model_config = _WIRE_SCHEMA

    event_type: ClassVar[str]
    payload_schema: ClassVar[str]

    def __init_subclass__(
        cls, *, event_type: str | None = None, schema: str | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if event_type is None or schema is None:
            return
        if not _EVENT_TYPE.match(event_type):
            raise ValueError(f"{event_type!r} is not xentri.{{context}}.{{action}}.v{{N}}")
        if not _PAYLOAD_SCHEMA.match(schema):
            raise ValueError(f"{schema!r} is not name@major.minor")
        cls.event_type = event_type
        cls.payload_schema = schema
