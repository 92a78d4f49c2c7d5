"""Overdue and paid invoices in the Pulse, through the real spine: the daily job's event becomes
one item per scope weighed by amount and age, a large one climbs to the CEO briefing, a second
delivery makes nothing, and paying or voiding the invoice withdraws its overdue item from every
level."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import namedtuple
from datetime import date

import pytest

from tests.support.db import as_org
from tests.support.finance import new_customer, pay, sent_invoice
from tests.support.identity import create_org, sign_up
from tests.support.spine import drain, make_consumer
from xentri.categories.finance.overdue import flag_overdue
from xentri.kernel.db.tenant import tenant_transaction
from xentri.pulse.handlers import pulse_subscription
from xentri.pulse.live import PulseHub
from xentri.subscriptions import pulse_producers

pytestmark = pytest.mark.integration

TYPICAL_LINE = {"description": "Pastel", "quantity": "2", "unit_price_minor": 45_000}
BIG_LINE = {"description": "Pastel", "quantity": "5", "unit_price_minor": 45_000}

Row = namedtuple("Row", "id scope importance title params promoted_from action_url")


def pulse_consumer(app_engine, redis_client, stream, name: str = "pulse"):
    subscription = pulse_subscription(pulse_producers(), name=f"{name}-{uuid.uuid4().hex[:6]}")
    return make_consumer(
        subscription.name,
        dict(subscription.handlers),
        engine=app_engine,
        redis=redis_client,
        stream=stream,
    )


def items(owner_conn, org_id) -> list[Row]:
    with as_org(owner_conn, org_id):
        rows = owner_conn.execute(
            "select id, scope, importance, title, params, promoted_from, action_url "
            "from pulse_items order by created_at, scope"
        ).fetchall()
    return [Row(*row) for row in rows]


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org


async def test_a_large_overdue_invoice_climbs_to_the_ceo_briefing_once(
    owner, owner_conn, app_engine, redis_client, relay, stream
):
    _app, person, org = owner
    customer = await new_customer(person, "Panadería Lupita")
    # Three typical invoices (900.00 MXN each), paid; one two and a half times as large.
    for _ in range(3):
        typical = await sent_invoice(person, customer, lines=[TYPICAL_LINE])
        assert (await pay(person, typical["id"], typical["total_minor"])).status_code == 201
    big = await sent_invoice(person, customer, lines=[BIG_LINE])
    assert big["due_date"] == "2026-12-02"
    async with tenant_transaction(app_engine, org) as tx:
        assert await flag_overdue(tx=tx, org_id=org, today=date(2026, 12, 3)) == 1
    consumer = pulse_consumer(app_engine, redis_client, stream)

    await drain(relay, [consumer])

    found = items(owner_conn, org)
    overdue = {row.scope: row for row in found if row.title == "Invoice %(number)s is overdue"}
    paid = [row for row in found if row.title == "Invoice %(number)s was paid"]
    # Amount 2.5 times the typical invoice (2 points), 1 day late (0): importance 3, which
    # the Finance Pulse keeps and the CEO briefing lifts to 2 because it needs the owner.
    assert {scope: row.importance for scope, row in overdue.items()} == {
        "module.finance.payment_tracking": 3,
        "subcategory.finance.payments": 3,
        "category.finance": 3,
        "strategy": 2,
    }
    module = overdue["module.finance.payment_tracking"]
    assert module.action_url == f"/c/finance/invoices/{big['id']}"
    assert module.params["number"] == big["number"]
    assert module.params["customer"] == "Panadería Lupita"
    assert module.params["amount"] == {"en": "MX$2,250.00", "es": "$2,250.00"}
    assert module.params["days"] == "1"
    assert module.params["late"] == {"en": "1 day", "es": "1 día"}
    # Paid invoices are quiet good news: importance 5, in their module only.
    assert [(row.scope, row.importance, row.promoted_from) for row in paid] == [
        ("module.finance.payment_tracking", 5, None)
    ] * 3

    briefing = await person.client.get("/api/v1/pulse/strategy", headers={"accept-language": "es"})
    body = briefing.json()
    assert [item["id"] for item in body["items"]] == [str(overdue["strategy"].id)]
    assert body["items"][0]["title"] == f"La factura {big['number']} está vencida"
    assert body["items"][0]["summary"] == "Panadería Lupita debe $2,250.00, con 1 día de atraso."

    # The same entries delivered again, to the same group and to a fresh one (no receipts).
    for _entry_id, fields in await redis_client.xrange(stream):
        await redis_client.xadd(stream, fields)
    again = pulse_consumer(app_engine, redis_client, stream, name="pulse-replay")
    await drain(relay, [consumer, again])

    assert len(items(owner_conn, org)) == len(found) == 4 + 3


async def test_a_typical_overdue_invoice_stays_in_finance(
    owner, owner_conn, app_engine, redis_client, relay, stream
):
    _app, person, org = owner
    customer = await new_customer(person, "Café Sol")
    late = await sent_invoice(person, customer, lines=[TYPICAL_LINE])
    async with tenant_transaction(app_engine, org) as tx:
        assert await flag_overdue(tx=tx, org_id=org, today=date(2026, 12, 3)) == 1
    consumer = pulse_consumer(app_engine, redis_client, stream)

    await drain(relay, [consumer])

    # Its own typical invoice (1 point), 1 day late: 4, below the Finance Pulse's threshold.
    assert {(row.scope, row.importance) for row in items(owner_conn, org)} == {
        ("module.finance.payment_tracking", 4),
        ("subcategory.finance.payments", 4),
    }
    assert items(owner_conn, org)[0].params["number"] == late["number"]


def overdue_rows(owner_conn, org_id) -> list[tuple[str, str, bool, str | None]]:
    """(invoice number, scope, withdrawn, key) of every overdue item, withdrawn ones included."""
    with as_org(owner_conn, org_id):
        rows = owner_conn.execute(
            "select params->>'number', scope, withdrawn_at is not null, producer_key "
            "from pulse_items where title = 'Invoice %(number)s is overdue' "
            "order by params->>'number', scope"
        ).fetchall()
    return [tuple(row) for row in rows]


async def visible_numbers(person, scope: str) -> list[str]:
    response = await person.client.get(f"/api/v1/pulse/{scope}")
    assert response.status_code == 200, response.text
    return sorted(item["title"] for item in response.json()["items"])


LEVELS = (
    "module.finance.payment_tracking",
    "subcategory.finance.payments",
    "category.finance",
    "strategy",
)


async def test_paying_or_voiding_an_overdue_invoice_withdraws_its_item_from_every_level(
    owner, owner_conn, app_engine, redis_client, relay, stream, servers
):
    _app, person, org = owner
    person.client.headers["x-org-id"] = str(org)
    customer = await new_customer(person, "Panadería Lupita")
    for _ in range(3):
        typical = await sent_invoice(person, customer, lines=[TYPICAL_LINE])
        assert (await pay(person, typical["id"], typical["total_minor"])).status_code == 201
    paid_later = await sent_invoice(person, customer, lines=[BIG_LINE])
    still_owed = await sent_invoice(person, customer, lines=[BIG_LINE])
    async with tenant_transaction(app_engine, org) as tx:
        assert await flag_overdue(tx=tx, org_id=org, today=date(2026, 12, 3)) == 2
    consumer = pulse_consumer(app_engine, redis_client, stream)
    await drain(relay, [consumer])
    # Both big invoices reached every level, up to the CEO briefing.
    assert overdue_rows(owner_conn, org) == [
        (invoice["number"], scope, False, f"finance.invoice_overdue:{invoice['id']}")
        for invoice in (paid_later, still_owed)
        for scope in sorted(LEVELS)
    ]
    hub = PulseHub(servers.app_url)
    heard = hub.subscribe(org)
    await asyncio.wait_for(hub.listening.wait(), timeout=10)

    # When the first is paid in full, its overdue item leaves every level, live.
    assert (await pay(person, paid_later["id"], paid_later["total_minor"])).status_code == 201
    await drain(relay, [consumer])

    withdrawn = {row[1] for row in overdue_rows(owner_conn, org) if row[2]}
    assert withdrawn == set(LEVELS)
    assert {(row[0], row[2]) for row in overdue_rows(owner_conn, org)} == {
        (paid_later["number"], True),
        (still_owed["number"], False),
    }
    owed_title = f"Invoice {still_owed['number']} is overdue"
    for scope in LEVELS:
        assert [t for t in await visible_numbers(person, scope) if "overdue" in t] == [owed_title]
    notices = [json.loads(await asyncio.wait_for(heard.get(), timeout=10)) for _ in range(5)]
    hub.close()
    gone = [notice for notice in notices if notice.get("withdrawn")]
    assert sorted(notice["scope"] for notice in gone) == sorted(LEVELS)
    # ...and the paid invoice's own good news arrived as a new item.
    assert [notice["scope"] for notice in notices if not notice.get("withdrawn")] == [
        "module.finance.payment_tracking"
    ]

    # Every entry delivered again, to the same group and to a fresh one (no receipts): the
    # withdrawn item does not come back and nothing else changes.
    before = overdue_rows(owner_conn, org)
    for _entry_id, fields in await redis_client.xrange(stream):
        await redis_client.xadd(stream, fields)
    again = pulse_consumer(app_engine, redis_client, stream, name="pulse-replay")
    await drain(relay, [consumer, again])
    assert overdue_rows(owner_conn, org) == before
    for scope in LEVELS:
        assert [t for t in await visible_numbers(person, scope) if "overdue" in t] == [owed_title]

    # Voiding the other one withdraws it too.
    voided = await person.client.post(
        f"/api/v1/finance/invoices/{still_owed['id']}/void",
        json={"reason": "Duplicated"},
        headers=person.headers(),
    )
    assert voided.status_code == 200, voided.text
    await drain(relay, [consumer])
    assert all(row[2] for row in overdue_rows(owner_conn, org))
    for scope in LEVELS:
        assert not [t for t in await visible_numbers(person, scope) if "overdue" in t]
