"""RFC 9457 problem details, the body of every API error."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_BASE = "https://xentri.app/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending input, e.g. `body.lines.0.price`.")
    message: str
    code: str


class Problem(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI identifying the problem type.")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    instance: str | None = None
    trace_id: str | None = None
    errors: list[FieldError] | None = None
