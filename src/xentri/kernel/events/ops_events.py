"""Events the platform itself emits about its own health."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from xentri.contracts.events import EventPayload
from xentri.kernel.events.registry import registry


class OpsIncident(EventPayload, event_type="xentri.ops.incident.v1", schema="ops.incident@1.0"):
    """Something in the platform needs a person: a dead-letter pattern, a failing job."""

    severity: Literal["P1", "P2", "P3", "P4"]
    kind: str = Field(
        min_length=1,
        max_length=100,
        examples=["dlq_depth", "dlq_correlation_repeated", "job_failed"],
    )
    summary: str = Field(min_length=1, max_length=500)
    details: dict[str, Any] = Field(default_factory=dict)


registry.register(OpsIncident)
