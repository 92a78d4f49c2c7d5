"""Helpers for the Pulse tests: seed items through the Pulse's own service, read them back."""

from __future__ import annotations

import uuid
from datetime import datetime

from xentri.kernel.db.tenant import tenant_transaction
from xentri.pulse import PulseDraft
from xentri.pulse import service as pulse_service


async def seed_item(
    engine,
    org_id: uuid.UUID,
    *,
    scope: str = "category.finance",
    title: str = "Invoice 12 is overdue",
    importance: int = 2,
    expires_at: datetime | None = None,
    key: str | None = None,
) -> uuid.UUID:
    draft = PulseDraft(
        scope=scope, importance=importance, title=title, expires_at=expires_at, key=key
    )
    async with tenant_transaction(engine, org_id) as tx:
        item_id = await pulse_service.record_item(
            tx=tx, org_id=org_id, draft=draft, source_event_id=uuid.uuid4()
        )
    assert item_id is not None
    return item_id


def titles(body: dict) -> list[str]:
    return [item["title"] for item in body["items"]]


async def withdraw(engine, org_id: uuid.UUID, *keys: str) -> list[uuid.UUID]:
    async with tenant_transaction(engine, org_id) as tx:
        return await pulse_service.withdraw_items(tx=tx, keys=keys)
