"""Helpers for the notifications' tests: change a module's status as an admin does, vote through
the API, read a person's notifications and mail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from tests.support.identity import Person
from xentri.catalog import service as catalog_service
from xentri.catalog.domain import ModuleStatus
from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.tables import system_events


async def set_module_status(owner_url: str, module_id: str, status: ModuleStatus) -> uuid.UUID:
    """What `xentri modules set-status` does (as the owner, in the platform org); returns the
    id of the event it emitted."""
    engine = create_engine(owner_url, pool_size=1)
    try:
        async with tenant_transaction(engine, SYSTEM_ORG_ID) as tx:
            change = await catalog_service.set_status(
                tx=tx, module_id=module_id, status=status, changed_by="ops@test"
            )
            assert change is not None, f"{module_id} was already {status}"
            event_id = (
                await tx.execute(
                    select(system_events.c.id)
                    .where(
                        system_events.c.org_id == SYSTEM_ORG_ID,
                        system_events.c.type == "xentri.module.status_changed.v1",
                        system_events.c.payload["module_id"].astext == module_id,
                        system_events.c.payload["new_status"].astext == status,
                    )
                    .order_by(system_events.c.org_seq.desc())
                    .limit(1)
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    return event_id


async def vote(person: Person, module_id: str, org_id: uuid.UUID) -> None:
    response = await person.client.post(
        f"/api/v1/modules/{module_id}/vote",
        json={},
        headers=person.headers(**{"x-org-id": str(org_id)}),
    )
    assert response.status_code == 200, response.text


@contextmanager
def as_user(owner_conn: Any, user_id: uuid.UUID) -> Iterator[Any]:
    """A transaction as one person: FORCE RLS shows the owner role only their notifications."""
    with owner_conn.transaction():
        owner_conn.execute("select set_config('app.current_user_id', %s, true)", (str(user_id),))
        yield owner_conn


def notifications_of(owner_conn: Any, user_id: uuid.UUID) -> list[Any]:
    from psycopg.rows import namedtuple_row

    with as_user(owner_conn, user_id):
        return (
            owner_conn.cursor(row_factory=namedtuple_row)
            .execute(
                "select kind, message_key, link, source_event_id, in_app, email_state, read_at"
                " from notifications where user_id = %s order by created_at",
                (user_id,),
            )
            .fetchall()
        )


def news_mails_to(owner_conn: Any, address: str) -> list[tuple[str, str]]:
    """Mail about modules (not the sign-up's confirmation) in the dev mailbox."""
    return owner_conn.execute(
        "select subject, body_text from dev_mailbox where to_address = %s"
        " and body_text like '%%/modules/%%' order by created_at",
        (address,),
    ).fetchall()


def set_language(owner_conn: Any, user_id: uuid.UUID, language: str) -> None:
    owner_conn.execute(
        "update users set preferred_language = %s where id = %s", (language, user_id)
    )


def choose(owner_conn: Any, user_id: uuid.UUID, kind: str, *, email: bool, in_app: bool) -> None:
    """What the person does on Settings → Notifications."""
    owner_conn.execute(
        "insert into notification_preferences (id, user_id, kind, email, in_app)"
        " values (%s, %s, %s, %s, %s)",
        (uuid.uuid4(), user_id, kind, email, in_app),
    )
