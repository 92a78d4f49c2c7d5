"""Emit: validated, transactional, append-only, tenant-isolated, sequenced in commit order."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.support.db import as_org
from tests.support.events import ACTOR, thing
from xentri.contracts.events import EventMeta, SystemEvent
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.events.outbox import emit
from xentri.kernel.events.registry import InvalidEventError, UnknownEventTypeError

pytestmark = pytest.mark.integration


def stored(owner_conn, org_id: uuid.UUID) -> list[tuple]:
    with as_org(owner_conn, org_id):
        return owner_conn.execute(
            "select org_seq, type, payload->>'note' from system_events order by org_seq"
        ).fetchall()


async def test_committed_events_are_stored_in_order(app_engine, owner_conn):
    org = uuid.uuid4()
    for note in ("one", "two", "three"):
        async with tenant_transaction(app_engine, org) as tx:
            assert await emit(tx, thing(org, note)) is True

    assert stored(owner_conn, org) == [
        (1, "xentri.test.thing_happened.v1", "one"),
        (2, "xentri.test.thing_happened.v1", "two"),
        (3, "xentri.test.thing_happened.v1", "three"),
    ]


async def test_rolled_back_transaction_emits_nothing(app_engine, owner_conn):
    org = uuid.uuid4()

    async def emit_then_fail() -> None:
        async with tenant_transaction(app_engine, org) as tx:
            await emit(tx, thing(org, "lost"))
            raise RuntimeError("the state change failed")

    with pytest.raises(RuntimeError):
        await emit_then_fail()
    async with tenant_transaction(app_engine, org) as tx:
        await emit(tx, thing(org, "kept"))

    assert stored(owner_conn, org) == [(1, "xentri.test.thing_happened.v1", "kept")]


async def test_unknown_type_is_refused_before_writing(app_engine, owner_conn):
    org = uuid.uuid4()
    event = SystemEvent(
        type="xentri.nobody.registered.v1",
        org_id=org,
        actor=ACTOR,
        payload_schema="nobody.registered@1.0",
        payload={},
        meta=EventMeta(source="tests"),
    )

    with pytest.raises(UnknownEventTypeError, match=r"xentri\.nobody\.registered\.v1"):
        async with tenant_transaction(app_engine, org) as tx:
            await emit(tx, event)

    assert stored(owner_conn, org) == []


async def test_invalid_payload_is_refused_before_writing(app_engine, owner_conn):
    org = uuid.uuid4()
    valid = thing(org, "x")
    event = valid.model_copy(update={"payload": {"note": "", "number": "many"}})

    with pytest.raises(InvalidEventError, match="invalid payload"):
        async with tenant_transaction(app_engine, org) as tx:
            await emit(tx, event)

    assert stored(owner_conn, org) == []


async def test_payload_schema_must_match_the_registered_one(app_engine):
    org = uuid.uuid4()
    event = thing(org, "x").model_copy(update={"payload_schema": "test.thing@7.0"})

    with pytest.raises(InvalidEventError, match=r"no payload schema test\.thing@7\.0"):
        async with tenant_transaction(app_engine, org) as tx:
            await emit(tx, event)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "invoice.sent"),
        ("type", "xentri.Invoice.sent.v1"),
        ("type", "xentri.invoice.sent.v0"),
        ("payload_schema", "invoice.sent"),
        ("payload_schema", "invoice.sent@1"),
    ],
)
def test_envelope_refuses_malformed_names(field, value):
    values = {
        "type": "xentri.invoice.sent.v1",
        "org_id": uuid.uuid4(),
        "actor": ACTOR,
        "payload_schema": "invoice.sent@1.0",
        "payload": {},
        "meta": EventMeta(source="tests"),
        field: value,
    }

    with pytest.raises(ValidationError, match=field):
        SystemEvent(**values)


async def test_dedupe_key_records_the_event_once(app_engine, owner_conn):
    org = uuid.uuid4()
    results = []
    for _ in range(2):
        async with tenant_transaction(app_engine, org) as tx:
            results.append(await emit(tx, thing(org, "once", dedupe_key="invoice-42-sent")))

    assert results == [True, False]
    assert len(stored(owner_conn, org)) == 1


async def test_system_events_are_append_only_even_for_the_owner(app_engine, owner_conn):
    org = uuid.uuid4()
    async with tenant_transaction(app_engine, org) as tx:
        await emit(tx, thing(org, "immutable"))

    for statement in (
        "update system_events set type = 'xentri.test.changed.v1'",
        "delete from system_events",
        "truncate system_events",
    ):
        with as_org(owner_conn, org), pytest.raises(Exception, match="append-only"):
            owner_conn.execute(statement)

    assert stored(owner_conn, org) == [(1, "xentri.test.thing_happened.v1", "immutable")]


async def test_app_role_cannot_rewrite_events(app_engine):
    org = uuid.uuid4()
    async with tenant_transaction(app_engine, org) as tx:
        await emit(tx, thing(org, "mine"))

    with pytest.raises(DBAPIError, match="permission denied"):
        async with tenant_transaction(app_engine, org) as tx:
            await tx.execute(text("update system_events set type = 'x'"))


async def test_tenants_read_only_their_own_events(app_engine):
    org_a, org_b = uuid.uuid4(), uuid.uuid4()
    await _emit(app_engine, org_a, "a")
    await _emit(app_engine, org_b, "b")

    async with tenant_transaction(app_engine, org_a) as tx:
        notes = (
            (await tx.execute(text("select payload->>'note' from system_events"))).scalars().all()
        )

    assert notes == ["a"]


async def test_an_org_cannot_emit_into_another_org(app_engine):
    org_a, org_b = uuid.uuid4(), uuid.uuid4()

    with pytest.raises(DBAPIError, match="row-level security"):
        async with tenant_transaction(app_engine, org_a) as tx:
            await emit(tx, thing(org_b, "sneaky"))


async def _emit(engine, org, note):
    async with tenant_transaction(engine, org) as tx:
        await emit(tx, thing(org, note))
