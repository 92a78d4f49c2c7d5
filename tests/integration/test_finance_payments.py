"""Payments: partial, full, overpayment refused, reversal; the invoice's state follows and each
event is emitted once."""

from __future__ import annotations

import pytest

from tests.support.finance import events_of, new_customer, new_invoice, pay, sent_invoice
from tests.support.identity import create_org, sign_up

pytestmark = pytest.mark.integration

TOTAL = 104_400  # 2 x 450.00 + IVA 16 %


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person, currency="MXN")
        yield app, person, org


async def test_partial_then_full_payment_makes_it_paid_once(owner, owner_conn):
    _app, person, org = owner
    invoice = await sent_invoice(person, await new_customer(person))

    first = await pay(person, invoice["id"], 40_000, method="cash", reference="Recibo 12")
    second = await pay(person, invoice["id"], TOTAL - 40_000)
    after = await person.client.get(
        f"/api/v1/finance/invoices/{invoice['id']}", headers=person.headers()
    )

    assert invoice["total_minor"] == TOTAL
    assert first.status_code == 201
    assert (first.json()["invoice_state"], first.json()["amount_due_minor"]) == (
        "partially_paid",
        TOTAL - 40_000,
    )
    assert first.json()["payment"]["reference"] == "Recibo 12"
    assert (second.json()["invoice_state"], second.json()["amount_due_minor"]) == ("paid", 0)
    assert (after.json()["state"], after.json()["paid_minor"]) == ("paid", TOTAL)
    assert after.json()["paid_at"] is not None
    types = [t for t, _ in events_of(owner_conn, org)]
    assert types.count("xentri.payment.recorded.v1") == 2
    assert types.count("xentri.invoice.paid.v1") == 1
    paid = events_of(owner_conn, org, "xentri.invoice.paid")[0][1]
    assert (paid["total_minor"], paid["paid_on"], paid["number"]) == (
        TOTAL,
        "2026-11-20",
        "INV-0001",
    )


async def test_an_overpayment_is_refused_with_the_amount_due_and_changes_nothing(owner, owner_conn):
    _app, person, org = owner
    invoice = await sent_invoice(person, await new_customer(person))
    await pay(person, invoice["id"], 100_000)

    over = await pay(person, invoice["id"], 4_401)
    after = await person.client.get(
        f"/api/v1/finance/invoices/{invoice['id']}/payments", headers=person.headers()
    )

    assert over.status_code == 422
    assert over.headers["content-type"] == "application/problem+json"
    assert over.json()["errors"] == [
        {
            "field": "body.amount_minor",
            "message": "at most 4400 (the amount due)",
            "code": "overpayment",
        }
    ]
    assert "44.00 MXN" in over.json()["detail"]
    assert [p["amount_minor"] for p in after.json()] == [100_000]
    assert [t for t, _ in events_of(owner_conn, org, "xentri.payment.")] == [
        "xentri.payment.recorded.v1"
    ]


async def test_a_reversal_takes_the_state_back_and_is_done_once(owner, owner_conn):
    _app, person, org = owner
    invoice = await sent_invoice(person, await new_customer(person))
    partial = (await pay(person, invoice["id"], 4_400)).json()["payment"]
    rest = (await pay(person, invoice["id"], 100_000)).json()["payment"]

    back = await person.client.post(
        f"/api/v1/finance/payments/{rest['id']}/reversal",
        json={"reason": "La transferencia fue rechazada"},
        headers=person.headers(),
    )
    again = await person.client.post(
        f"/api/v1/finance/payments/{rest['id']}/reversal",
        json={"reason": "twice"},
        headers=person.headers(),
    )
    void_with_payment = await person.client.post(
        f"/api/v1/finance/invoices/{invoice['id']}/void",
        json={"reason": "x"},
        headers=person.headers(),
    )
    first_back = await person.client.post(
        f"/api/v1/finance/payments/{partial['id']}/reversal",
        json={"reason": "Error de captura"},
        headers=person.headers(),
    )
    no_reason = await person.client.post(
        f"/api/v1/finance/payments/{partial['id']}/reversal",
        json={"reason": " "},
        headers=person.headers(),
    )
    listed = await person.client.get(
        f"/api/v1/finance/invoices/{invoice['id']}/payments", headers=person.headers()
    )

    assert back.status_code == 200
    assert (back.json()["invoice_state"], back.json()["amount_due_minor"]) == (
        "partially_paid",
        100_000,
    )
    assert back.json()["payment"]["reversal_reason"] == "La transferencia fue rechazada"
    assert again.status_code == 409
    assert again.json()["type"].endswith("/payment-already-reversed")
    assert void_with_payment.status_code == 409
    assert "reverse them" in void_with_payment.json()["detail"]
    assert (first_back.json()["invoice_state"], first_back.json()["paid_minor"]) == ("sent", 0)
    assert no_reason.status_code == 422
    assert [p["reversed_at"] is not None for p in listed.json()] == [True, True]
    reversed_events = events_of(owner_conn, org, "xentri.payment.reversed")
    assert [(p["invoice_state"], p["amount_minor"]) for _, p in reversed_events] == [
        ("partially_paid", 100_000),
        ("sent", 4_400),
    ]


async def test_payments_need_a_sent_invoice(owner):
    _app, person, _org = owner
    customer = await new_customer(person)
    draft = await new_invoice(person, customer)
    invoice = await sent_invoice(person, customer)
    await pay(person, invoice["id"], TOTAL)

    on_draft = await pay(person, draft["id"], 100)
    on_paid = await pay(person, invoice["id"], 1)
    zero = await pay(person, invoice["id"], 0)
    unknown = await person.client.post(
        "/api/v1/finance/payments/00000000-0000-0000-0000-000000000009/reversal",
        json={"reason": "x"},
        headers=person.headers(),
    )

    assert on_draft.status_code == 409
    assert "Send the invoice" in on_draft.json()["detail"]
    assert on_paid.status_code == 409
    assert zero.status_code == 422
    assert zero.json()["errors"][0]["field"] == "body.amount_minor"
    assert unknown.status_code == 404
