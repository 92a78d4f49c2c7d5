"""Audit events of API keys: which key, its name, role and display prefix; never the secret."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from xentri.contracts.events import EventPayload
from xentri.kernel.events.registry import registry

Role = Literal["owner", "admin", "member"]


class ApiKeyCreated(
    EventPayload, event_type="xentri.org.api_key_created.v1", schema="org.api_key_created@1.0"
):
    key_id: uuid.UUID
    name: str
    role: Role
    prefix: str
    expires_at: datetime | None = None


class ApiKeyRevoked(
    EventPayload, event_type="xentri.org.api_key_revoked.v1", schema="org.api_key_revoked@1.0"
):
    key_id: uuid.UUID
    name: str
    role: Role
    prefix: str


registry.register(ApiKeyCreated, ApiKeyRevoked)
