"""API models of API keys and of `whoami`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from xentri.identity.permissions import Role

SHOWN_ONCE = "Store this secret now: it is shown only once and cannot be recovered."


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=100)]
    role: Role = Field(default=Role.MEMBER, description="At most your own role.")
    expires_at: AwareDatetime | None = Field(default=None, description="Never expires if unset.")


class ApiKeyRead(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart.")
    role: Role
    created_by: uuid.UUID | None
    created_at: datetime
    last_used_at: datetime | None = Field(description="Updated at most once a minute.")
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeySecretRead(ApiKeyRead):
    """The new key with its secret: the only response that ever contains it."""

    secret: str = Field(description="Send as `Authorization: Bearer <secret>`.")
    note: str = SHOWN_ONCE


class WhoAmIRead(BaseModel):
    kind: Literal["session", "api_key", "service"]
    subject: str = Field(examples=["user:<id>", "api_key:<id>", "service:scheduler"])
    org_id: uuid.UUID | None = Field(description="None: a session with no organization chosen.")
    role: Role | None
