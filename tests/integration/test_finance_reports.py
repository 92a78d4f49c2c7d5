"""Revenue by month, receivables aging and profit and loss from real invoices, payments and
expenses: exact figures per currency, as JSON and CSV."""

from __future__ import annotations

import pytest

from tests.support.finance import new_customer, new_invoice, pay, sent_invoice
from tests.support.identity import create_org, sign_up

pytestmark = pytest.mark.integration

REPORTS = "/api/v1/finance/reports"
USD_LINE = [{"description": "Consultoría", "quantity": "1", "unit_price_minor": 10_000}]


@pytest.fixture
async def books(make_app, client_for):
    """Invoices of 104,400 MXN each (2 x 450.00 + IVA 16 %) in several states, one in USD,
    payments (one reversed) and expenses."""
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        await create_org(person, currency="MXN")
        lupita = await new_customer(person, "Panadería Lupita")
        central = await new_customer(person, "Café Central", email="cafe@example.mx")

        await sent_invoice(person, lupita, issue_date="2026-09-01", due_date="2026-09-15")
        partly = await sent_invoice(person, lupita, issue_date="2026-11-02", due_date="2026-12-02")
        assert (await pay(person, partly["id"], 40_000)).status_code == 201
        not_due = await sent_invoice(
            person, central, issue_date="2026-11-15", due_date="2027-01-14"
        )
        reversed_payment = await pay(person, not_due["id"], 10_000)
        reversal = await person.client.post(
            f"/api/v1/finance/payments/{reversed_payment.json()['payment']['id']}/reversal",
            json={"reason": "Cheque sin fondos"},
            headers=person.headers(),
        )
        assert reversal.status_code == 200, reversal.text
        await sent_invoice(person, central, issue_date="2026-10-01", due_date="2026-10-31")
        settled = await sent_invoice(
            person, central, issue_date="2026-10-05", due_date="2026-11-20"
        )
        assert (await pay(person, settled["id"], 104_400)).status_code == 201
        await new_invoice(person, central, issue_date="2026-11-03")  # a draft: not revenue
        voided = await sent_invoice(person, central, issue_date="2026-11-04")
        void = await person.client.post(
            f"/api/v1/finance/invoices/{voided['id']}/void",
            json={"reason": "Duplicada"},
            headers=person.headers(),
        )
        assert void.status_code == 200, void.text
        await sent_invoice(
            person,
            central,
            currency="USD",
            issue_date="2026-11-05",
            due_date="2026-12-05",
            lines=USD_LINE,
        )
        for category, amount, tax, currency in [
            ("rent", 50_000, 0, "MXN"),
            ("office_supplies", 11_600, 1_600, "MXN"),
            ("software", 2_500, 0, "USD"),
        ]:
            created = await person.client.post(
                "/api/v1/finance/expenses",
                json={
                    "spent_on": "2026-11-10",
                    "vendor": "Proveedor",
                    "category": category,
                    "amount_minor": amount,
                    "tax_minor": tax,
                    "currency": currency,
                },
                headers=person.headers(),
            )
            assert created.status_code == 201, created.text
        yield person, lupita, central


def _month(month, invoices, net, tax, collected):
    total = net + tax
    return {
        "month": month,
        "invoices": invoices,
        "net_minor": net,
        "tax_minor": tax,
        "total_minor": total,
        "collected_minor": collected,
        "net": f"{net / 100:.2f}",
        "tax": f"{tax / 100:.2f}",
        "total": f"{total / 100:.2f}",
        "collected": f"{collected / 100:.2f}",
    }


async def test_revenue_by_month_counts_issued_invoices_net_of_tax_and_collections(books):
    person, _lupita, _central = books

    report = await person.client.get(
        f"{REPORTS}/revenue-by-month",
        params={"start": "2026-09", "end": "2026-11"},
        headers=person.headers(),
    )

    assert report.status_code == 200, report.text
    mxn, usd = report.json()["currencies"]
    assert mxn["months"] == [
        _month("2026-09", 1, 90_000, 14_400, 0),
        _month("2026-10", 2, 180_000, 28_800, 0),
        _month("2026-11", 2, 180_000, 28_800, 144_400),
    ]
    assert (mxn["currency"], mxn["net_minor"], mxn["collected_minor"], mxn["invoices"]) == (
        "MXN",
        450_000,
        144_400,
        5,
    )
    assert usd["months"] == [
        _month("2026-09", 0, 0, 0, 0),
        _month("2026-10", 0, 0, 0, 0),
        _month("2026-11", 1, 10_000, 0, 0),
    ]


async def test_revenue_by_month_as_csv(books):
    person, _lupita, _central = books

    exported = await person.client.get(
        f"{REPORTS}/revenue-by-month.csv",
        params={"start": "2026-10", "end": "2026-11"},
        headers=person.headers(),
    )

    assert exported.content.decode("utf-8") == (
        "\ufeffcurrency,month,invoices,net,tax,total,collected\r\n"
        "MXN,2026-10,2,1800.00,288.00,2088.00,0.00\r\n"
        "MXN,2026-11,2,1800.00,288.00,2088.00,1444.00\r\n"
        "USD,2026-10,0,0.00,0.00,0.00,0.00\r\n"
        "USD,2026-11,1,100.00,0.00,100.00,0.00\r\n"
    )


def _aging(current=0, d30=0, d60=0, d90=0, over=0):
    amounts = {
        "current": current,
        "days_1_30": d30,
        "days_31_60": d60,
        "days_61_90": d90,
        "days_over_90": over,
    }
    total = sum(amounts.values())
    return {
        **{f"{k}_minor": v for k, v in amounts.items()},
        "total_minor": total,
        **{k: f"{v / 100:.2f}" for k, v in amounts.items()},
        "total": f"{total / 100:.2f}",
    }


async def test_receivables_aging_buckets_open_balances_by_days_late(books):
    person, lupita, central = books

    report = await person.client.get(
        f"{REPORTS}/receivables-aging", params={"as_of": "2026-12-31"}, headers=person.headers()
    )

    assert report.status_code == 200, report.text
    assert report.json() == {
        "as_of": "2026-12-31",
        "currencies": [
            {
                "currency": "MXN",
                "invoices": 4,
                "aging": _aging(current=104_400, d30=64_400, d90=104_400, over=104_400),
                "customers": [
                    {
                        "customer_id": central,
                        "name": "Café Central",
                        "invoices": 2,
                        "aging": _aging(current=104_400, d90=104_400),
                    },
                    {
                        "customer_id": lupita,
                        "name": "Panadería Lupita",
                        "invoices": 2,
                        "aging": _aging(d30=64_400, over=104_400),
                    },
                ],
            },
            {
                "currency": "USD",
                "invoices": 1,
                "aging": _aging(d30=10_000),
                "customers": [
                    {
                        "customer_id": central,
                        "name": "Café Central",
                        "invoices": 1,
                        "aging": _aging(d30=10_000),
                    }
                ],
            },
        ],
    }


async def test_receivables_aging_on_an_earlier_day_and_as_csv(books):
    person, lupita, central = books

    early = await person.client.get(
        f"{REPORTS}/receivables-aging", params={"as_of": "2026-10-15"}, headers=person.headers()
    )
    exported = await person.client.get(
        f"{REPORTS}/receivables-aging.csv",
        params={"as_of": "2026-12-31"},
        headers=person.headers(),
    )

    # On Oct 15 only the invoices issued by then count: Sept's (30 days late) and Oct 1's.
    (mxn,) = early.json()["currencies"]
    assert mxn["aging"] == _aging(current=104_400, d30=104_400)
    assert exported.content.decode("utf-8") == (
        "\ufeffcurrency,customer_id,customer,invoices,current,days_1_30,days_31_60,"
        "days_61_90,days_over_90,total\r\n"
        f"MXN,{central},Café Central,2,1044.00,0.00,0.00,1044.00,0.00,2088.00\r\n"
        f"MXN,{lupita},Panadería Lupita,2,0.00,644.00,0.00,0.00,1044.00,1688.00\r\n"
        f"USD,{central},Café Central,1,0.00,100.00,0.00,0.00,0.00,100.00\r\n"
    )


async def test_profit_and_loss_per_currency(books):
    person, _lupita, _central = books
    period = {"start": "2026-11-01", "end": "2026-11-30"}

    report = await person.client.get(
        f"{REPORTS}/profit-and-loss", params=period, headers=person.headers()
    )
    exported = await person.client.get(
        f"{REPORTS}/profit-and-loss.csv",
        params=period,
        headers=person.headers(**{"accept-language": "es"}),
    )

    mxn, usd = report.json()["currencies"]
    assert (mxn["revenue_minor"], mxn["expenses_minor"], mxn["profit_minor"]) == (
        180_000,
        60_000,
        120_000,
    )
    assert (mxn["revenue"], mxn["expenses"], mxn["profit"], mxn["invoices"]) == (
        "1800.00",
        "600.00",
        "1200.00",
        2,
    )
    assert mxn["expense_lines"] == [
        {"category": "rent", "label": "Rent", "net_minor": 50_000, "net": "500.00"},
        {
            "category": "office_supplies",
            "label": "Office supplies",
            "net_minor": 10_000,
            "net": "100.00",
        },
    ]
    assert (usd["revenue_minor"], usd["expenses_minor"], usd["profit_minor"]) == (
        10_000,
        2_500,
        7_500,
    )
    assert exported.content.decode("utf-8") == (
        "\ufeffcurrency,line,category,label,amount\r\n"
        "MXN,revenue,,,1800.00\r\n"
        "MXN,expense,rent,Renta,500.00\r\n"
        "MXN,expense,office_supplies,Artículos de oficina,100.00\r\n"
        "MXN,profit,,,1200.00\r\n"
        "USD,revenue,,,100.00\r\n"
        "USD,expense,software,Software y suscripciones,25.00\r\n"
        "USD,profit,,,75.00\r\n"
    )


async def test_bad_periods_are_field_problems(books):
    person, _lupita, _central = books

    backwards = await person.client.get(
        f"{REPORTS}/revenue-by-month",
        params={"start": "2026-11", "end": "2026-01"},
        headers=person.headers(),
    )
    not_a_month = await person.client.get(
        f"{REPORTS}/revenue-by-month",
        params={"start": "2026-13", "end": "2027-01"},
        headers=person.headers(),
    )
    too_long = await person.client.get(
        f"{REPORTS}/revenue-by-month",
        params={"start": "2000-01", "end": "2026-01"},
        headers=person.headers(),
    )
    bad_day = await person.client.get(
        f"{REPORTS}/receivables-aging", params={"as_of": "yesterday"}, headers=person.headers()
    )

    assert [
        (r.status_code, r.json()["errors"][0]["field"])
        for r in (backwards, not_a_month, too_long, bad_day)
    ] == [(422, "query.end"), (422, "query.start"), (422, "query.end"), (422, "query.as_of")]
