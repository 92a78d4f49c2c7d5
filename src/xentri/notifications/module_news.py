"""Module news: the people who voted for a module hear when it moves to in development or beta.

Voters span orgs and the event is the platform's, so their ids come from `module_voters()` and
their notifications are written by `notify_module_voters()`: SECURITY DEFINER functions
(migration 0010) that read votes across orgs for this one purpose, so the runtime role stays
confined to its own org's and its own person's rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, bindparam, column, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.catalog import get_module
from xentri.catalog.domain import ModuleStatus
from xentri.notifications.preferences import choices_of

KIND = "product_updates"
# Statuses worth telling a voter about: they can soon use, or already try, what they asked for.
MESSAGE_KEYS: dict[ModuleStatus, str] = {
    "in_development": "module_in_development",
    "beta": "module_in_beta",
}

_NOTIFY = text(
    "select notify_module_voters(:event_id, :module_id, :kind, :message_key, :params,"
    " :in_app, :email)"
).bindparams(
    bindparam("params", type_=JSONB),
    bindparam("in_app", type_=ARRAY(UUID(as_uuid=True))),
    bindparam("email", type_=ARRAY(UUID(as_uuid=True))),
)


async def notify_module_voters(
    *, tx: AsyncSession, event_id: uuid.UUID, module_id: str, new_status: ModuleStatus
) -> int:
    """Notify each voter once, by the channels they want; returns how many notices were new.

    A second delivery of the same event (same `event_id`) creates nothing."""
    message_key = MESSAGE_KEYS.get(new_status)
    if message_key is None:
        return 0
    module = await get_module(tx=tx, module_id=module_id)
    voters_query: Select[Any] = select(column("user_id", UUID(as_uuid=True))).select_from(
        func.module_voters(module_id).table_valued(column("user_id")).alias("voters")
    )
    voters: list[uuid.UUID] = list((await tx.execute(voters_query)).scalars())
    if not voters:
        return 0
    choices = await choices_of(tx=tx, user_ids=voters, kind=KIND)
    in_app = [user for user in voters if choices[user].in_app]
    email = [user for user in voters if choices[user].email]
    if not in_app and not email:
        return 0
    params = {"module_id": module_id, "module": dict(module.name)}
    created = await tx.execute(
        _NOTIFY,
        {
            "event_id": event_id,
            "module_id": module_id,
            "kind": KIND,
            "message_key": message_key,
            "params": params,
            "in_app": in_app,
            "email": email,
        },
    )
    return int(created.scalar_one())
