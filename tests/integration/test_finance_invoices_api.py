"""Invoices through the API: drafts, totals, numbering at sending, void, problems, events."""

from __future__ import annotations

import pytest

from tests.support.finance import events_of, new_customer, new_invoice, sent_invoice
from tests.support.identity import create_org, sign_up

pytestmark = pytest.mark.integration


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person, currency="MXN")
        yield app, person, org


async def test_a_draft_gets_totals_and_its_number_only_when_sent(owner, owner_conn):
    _app, person, org = owner
    customer = await new_customer(person, payment_terms_days=15)

    draft = await new_invoice(
        person,
        customer,
        currency=None,
        lines=[
            {"description": "Pastel", "quantity": "3", "unit_price_minor": 15_000, "tax_rate": 16},
            {
                "description": "Galletas",
                "quantity": "1.5",
                "unit_price_minor": 33_333,
                "tax_rate": "16",
                "discount_percent": "10",
            },
            {"description": "Libro", "quantity": 1, "unit_price_minor": 9_999},
        ],
    )
    sent = await person.client.post(
        f"/api/v1/finance/invoices/{draft['id']}/send", headers=person.headers()
    )

    assert draft["currency"] == "MXN"  # the org's currency: the customer has none
    assert (draft["number"], draft["state"], draft["status"]) == (None, "draft", "draft")
    assert (draft["issue_date"], draft["due_date"]) == ("2026-11-02", "2026-11-17")
    assert (draft["subtotal_minor"], draft["discount_minor"]) == (104_999, 5_000)
    assert (draft["tax_minor"], draft["total_minor"]) == (14_400, 114_399)
    assert draft["taxes"] == [
        {"rate": "16", "base_minor": 90_000, "tax_minor": 14_400},
        {"rate": None, "base_minor": 9_999, "tax_minor": 0},
    ]
    assert sent.status_code == 200
    assert (sent.json()["number"], sent.json()["state"]) == ("INV-0001", "sent")
    assert sent.json()["allowed_actions"] == ["record_payment", "reverse_payment", "void"]
    assert [t for t, _ in events_of(owner_conn, org, "xentri.invoice.")] == [
        "xentri.invoice.created.v1",
        "xentri.invoice.sent.v1",
    ]
    assert events_of(owner_conn, org, "xentri.invoice.sent")[0][1]["number"] == "INV-0001"


async def test_numbers_follow_the_prefix_and_skip_deleted_drafts(owner):
    _app, person, _org = owner
    customer = await new_customer(person)
    changed = await person.client.patch(
        "/api/v1/finance/settings", json={"invoice_prefix": "F-2026-"}, headers=person.headers()
    )
    first = await sent_invoice(person, customer)
    deleted = await new_invoice(person, customer)
    gone = await person.client.delete(
        f"/api/v1/finance/invoices/{deleted['id']}", headers=person.headers()
    )
    second = await sent_invoice(person, customer)
    settings = await person.client.get("/api/v1/finance/settings", headers=person.headers())

    assert changed.json()["next_invoice_number"] == "F-2026-0001"
    assert gone.status_code == 204
    assert (first["number"], second["number"]) == ("F-2026-0001", "F-2026-0002")
    assert settings.json()["next_invoice_number"] == "F-2026-0003"


async def test_void_keeps_the_number_and_is_final(owner, owner_conn):
    _app, person, org = owner
    customer = await new_customer(person)
    invoice = await sent_invoice(person, customer)

    voided = await person.client.post(
        f"/api/v1/finance/invoices/{invoice['id']}/void",
        json={"reason": "Wrong customer"},
        headers=person.headers(),
    )
    again = await person.client.post(
        f"/api/v1/finance/invoices/{invoice['id']}/send", headers=person.headers()
    )
    edit = await person.client.patch(
        f"/api/v1/finance/invoices/{invoice['id']}", json={"notes": "x"}, headers=person.headers()
    )
    listed = await person.client.get(
        "/api/v1/finance/invoices?status=void", headers=person.headers()
    )

    assert voided.status_code == 200
    assert (voided.json()["state"], voided.json()["number"]) == ("void", "INV-0001")
    assert voided.json()["void_reason"] == "Wrong customer"
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["type"].endswith("/illegal-transition")
    assert (again.json()["state"], again.json()["allowed"]) == ("void", [])
    assert edit.status_code == 409
    assert [i["number"] for i in listed.json()["items"]] == ["INV-0001"]
    voided_events = events_of(owner_conn, org, "xentri.invoice.voided")
    assert [p["reason"] for _, p in voided_events] == ["Wrong customer"]


async def test_a_draft_cannot_be_voided_nor_a_sent_one_deleted(owner):
    _app, person, _org = owner
    customer = await new_customer(person)
    draft = await new_invoice(person, customer)
    sent = await sent_invoice(person, customer)

    void_draft = await person.client.post(
        f"/api/v1/finance/invoices/{draft['id']}/void",
        json={"reason": "x"},
        headers=person.headers(),
    )
    delete_sent = await person.client.delete(
        f"/api/v1/finance/invoices/{sent['id']}", headers=person.headers()
    )

    assert (void_draft.status_code, delete_sent.status_code) == (409, 409)
    assert "delete it" in void_draft.json()["detail"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"description": "x", "quantity": "-1", "unit_price_minor": 100}, "quantity"),
        ({"description": "x", "quantity": "0", "unit_price_minor": 100}, "quantity"),
        ({"description": "x", "quantity": "1.0001", "unit_price_minor": 100}, "quantity"),
        ({"description": "x", "quantity": "1", "unit_price_minor": 0}, "unit_price_minor"),
        ({"description": "x", "quantity": "1", "unit_price_minor": 1.5}, "unit_price_minor"),
        ({"description": "x", "unit_price_minor": 100, "tax_rate": "100.5"}, "tax_rate"),
        (
            {"description": "x", "unit_price_minor": 100, "discount_percent": "-1"},
            "discount_percent",
        ),
        ({"unit_price_minor": 100}, "description"),
        ({"description": "x"}, "unit_price_minor"),
        ({"offering": "Corte de cabello", "quantity": 1}, "offering"),
    ],
)
async def test_bad_lines_are_field_errors_and_nothing_is_saved(owner, owner_conn, line, field):
    _app, person, org = owner
    customer = await new_customer(person)

    refused = await person.client.post(
        "/api/v1/finance/invoices",
        json={"customer_id": customer, "lines": [line]},
        headers=person.headers(),
    )
    listed = await person.client.get("/api/v1/finance/invoices", headers=person.headers())

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"].rsplit(".", 1)[-1] for e in refused.json()["errors"]] == [field]
    assert refused.json()["errors"][0]["field"].startswith("body.lines.0.")
    assert listed.json()["total"] == 0
    assert events_of(owner_conn, org, "xentri.invoice.") == []


async def test_unknown_currency_due_before_issue_and_unknown_customer_are_refused(owner):
    _app, person, _org = owner
    customer = await new_customer(person)
    base = {"customer_id": customer, "lines": []}

    currency = await person.client.post(
        "/api/v1/finance/invoices", json={**base, "currency": "XYZ"}, headers=person.headers()
    )
    early = await person.client.post(
        "/api/v1/finance/invoices",
        json={**base, "issue_date": "2026-11-10", "due_date": "2026-11-09"},
        headers=person.headers(),
    )
    nobody = await person.client.post(
        "/api/v1/finance/invoices",
        json={**base, "customer_id": "00000000-0000-0000-0000-000000000001"},
        headers=person.headers(),
    )
    empty = await new_invoice(person, customer, lines=[])
    send_empty = await person.client.post(
        f"/api/v1/finance/invoices/{empty['id']}/send", headers=person.headers()
    )

    assert [r.status_code for r in (currency, early, nobody, send_empty)] == [422] * 4
    assert currency.json()["errors"][0]["field"] == "body.currency"
    assert early.json()["errors"][0]["field"] == "body.due_date"
    assert nobody.json()["errors"][0]["field"] == "body.customer_id"
    assert send_empty.json()["errors"][0]["code"] == "empty-invoice"


async def test_currency_decimals_and_live_totals(owner):
    _app, person, _org = owner

    yen = await person.client.post(
        "/api/v1/finance/invoices/totals",
        json={
            "currency": "JPY",
            "lines": [
                {"description": "Ramen", "quantity": "3", "unit_price_minor": 980, "tax_rate": "10"}
            ],
        },
        headers=person.headers(),
    )

    assert yen.status_code == 200
    assert (yen.json()["total_minor"], yen.json()["tax_minor"]) == (3234, 294)


async def test_lines_are_picked_from_the_briefs_offerings(make_app, client_for):
    from xentri.contracts.brief import Offering

    class FixedOfferings:
        async def offerings(self, *, tx):
            return (
                Offering(name="Corte de cabello", price_minor=25_000, currency="MXN"),
                Offering(name="Tinte", price_minor=30, currency="USD"),
            )

    app = make_app()
    app.state.finance_offerings = FixedOfferings()
    async with client_for(app) as client:
        person = await sign_up(client)
        await create_org(person, currency="MXN")
        customer = await new_customer(person)
        offered = await person.client.get("/api/v1/finance/offerings", headers=person.headers())
        draft = await new_invoice(
            person,
            customer,
            lines=[
                {"offering": "corte de cabello", "quantity": 2, "tax_rate": 16},
                {"offering": "Tinte", "unit_price_minor": 60_000},
            ],
        )
        unpriced = await person.client.post(
            "/api/v1/finance/invoices",
            json={"customer_id": customer, "currency": "MXN", "lines": [{"offering": "Tinte"}]},
            headers=person.headers(),
        )

    assert [o["name"] for o in offered.json()] == ["Corte de cabello", "Tinte"]
    assert [(ln["description"], ln["unit_price_minor"]) for ln in draft["lines"]] == [
        ("Corte de cabello", 25_000),
        ("Tinte", 60_000),  # priced in USD in the Brief: the MXN price is the one given
    ]
    assert unpriced.status_code == 422
    assert unpriced.json()["errors"][0]["field"] == "body.lines.0.unit_price_minor"


async def test_without_a_brief_there_are_no_offerings(owner):
    _app, person, _org = owner
    offered = await person.client.get("/api/v1/finance/offerings", headers=person.headers())
    assert (offered.status_code, offered.json()) == (200, [])


async def test_list_filters_by_status_and_searches_numbers_and_customers(owner):
    _app, person, _org = owner
    lupita = await new_customer(person, "Panadería Lupita")
    tono = await new_customer(person, "Taller Toño", email="tono@example.mx")
    await new_invoice(person, lupita)
    sent = await sent_invoice(person, tono)
    overdue = await sent_invoice(person, lupita, issue_date="2020-01-01")

    def numbers(response):
        return [i["number"] for i in response.json()["items"]]

    get = person.client.get
    h = person.headers()
    drafts = await get("/api/v1/finance/invoices?status=draft", headers=h)
    open_sent = await get("/api/v1/finance/invoices?status=sent", headers=h)
    late = await get("/api/v1/finance/invoices?status=overdue", headers=h)
    by_name = await get("/api/v1/finance/invoices?q=TOÑO", headers=h)
    by_number = await get("/api/v1/finance/invoices?q=0002", headers=h)
    paged = await get("/api/v1/finance/invoices?page=2&page_size=2", headers=h)
    bad = await get("/api/v1/finance/invoices?status=lost&page=0", headers=h)

    assert drafts.json()["total"] == 1
    assert numbers(open_sent) == [sent["number"]]
    assert numbers(late) == [overdue["number"]]
    assert late.json()["items"][0]["status"] == "overdue"
    assert numbers(by_name) == [sent["number"]]
    assert numbers(by_number) == [overdue["number"]]
    assert (paged.json()["total"], len(paged.json()["items"])) == (3, 1)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"query.status", "query.page"}


async def test_another_orgs_invoices_and_customers_are_not_found(owner, make_app, client_for):
    app, person, _org = owner
    customer = await new_customer(person)
    invoice = await sent_invoice(person, customer)
    async with client_for(app) as other_client:
        other = await sign_up(other_client, name="Eve")
        await create_org(other, name="Eve's shop")
        h = other.headers()
        reads = [
            await other.client.get(f"/api/v1/finance/invoices/{invoice['id']}", headers=h),
            await other.client.get(f"/api/v1/finance/customers/{customer}", headers=h),
            await other.client.post(
                f"/api/v1/finance/invoices/{invoice['id']}/void", json={"reason": "x"}, headers=h
            ),
            await other.client.post(
                f"/api/v1/finance/invoices/{invoice['id']}/payments",
                json={"amount_minor": 1},
                headers=h,
            ),
            await other.client.post(
                "/api/v1/finance/invoices",
                json={"customer_id": customer, "lines": []},
                headers=h,
            ),
        ]
        listed = await other.client.get("/api/v1/finance/invoices", headers=h)

    assert [r.status_code for r in reads] == [404, 404, 404, 404, 422]
    assert reads[0].headers["content-type"] == "application/problem+json"
    assert listed.json()["total"] == 0
    still = await person.client.get(
        f"/api/v1/finance/invoices/{invoice['id']}", headers=person.headers()
    )
    assert (still.json()["state"], still.json()["paid_minor"]) == ("sent", 0)
