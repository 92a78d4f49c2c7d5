"""Expenses by category: exact totals per currency (never added across currencies), as JSON
and as CSV."""

from __future__ import annotations

import pytest

from tests.support.identity import create_org, sign_up

pytestmark = pytest.mark.integration

REPORT = "/api/v1/finance/reports/expenses-by-category"


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        await create_org(person)
        for day, category, amount, tax, currency in [
            ("2026-10-31", "rent", 900_000, 0, "MXN"),  # before the period
            ("2026-11-01", "rent", 1_200_000, 0, "MXN"),
            ("2026-11-10", "utilities", 45_050, 6_214, "MXN"),
            ("2026-11-20", "Luz", 10_000, 1_379, "MXN"),  # not a default category
            ("2026-11-21", "utilities", 4_950, 683, "MXN"),
            ("2026-11-15", "software", 2_000, 0, "USD"),
            ("2026-11-30", "=cmd|' /C calc'!A0", 500, 0, "USD"),  # a formula, as text
            ("2026-12-01", "software", 2_000, 0, "USD"),  # after the period
        ]:
            created = await person.client.post(
                "/api/v1/finance/expenses",
                json={
                    "spent_on": day,
                    "vendor": "Proveedor",
                    "category": category,
                    "amount_minor": amount,
                    "tax_minor": tax,
                    "currency": currency,
                },
                headers=person.headers(),
            )
            assert created.status_code == 201, created.text
        yield person


PERIOD = {"start": "2026-11-01", "end": "2026-11-30"}


async def test_expenses_by_category_totals_each_currency_apart(owner):
    report = await owner.client.get(REPORT, params=PERIOD, headers=owner.headers())

    assert report.status_code == 200
    assert report.json() == {
        "start": "2026-11-01",
        "end": "2026-11-30",
        "currencies": [
            {
                "currency": "MXN",
                "count": 4,
                "total_minor": 1_260_000,
                "tax_minor": 8_276,
                "total": "12600.00",
                "tax": "82.76",
                "categories": [
                    {
                        "category": "rent",
                        "label": "Rent",
                        "count": 1,
                        "total_minor": 1_200_000,
                        "tax_minor": 0,
                        "total": "12000.00",
                        "tax": "0.00",
                    },
                    {
                        "category": "utilities",
                        "label": "Utilities",
                        "count": 2,
                        "total_minor": 50_000,
                        "tax_minor": 6_897,
                        "total": "500.00",
                        "tax": "68.97",
                    },
                    {
                        "category": "Luz",
                        "label": "Luz",
                        "count": 1,
                        "total_minor": 10_000,
                        "tax_minor": 1_379,
                        "total": "100.00",
                        "tax": "13.79",
                    },
                ],
            },
            {
                "currency": "USD",
                "count": 2,
                "total_minor": 2_500,
                "tax_minor": 0,
                "total": "25.00",
                "tax": "0.00",
                "categories": [
                    {
                        "category": "software",
                        "label": "Software and subscriptions",
                        "count": 1,
                        "total_minor": 2_000,
                        "tax_minor": 0,
                        "total": "20.00",
                        "tax": "0.00",
                    },
                    {
                        "category": "=cmd|' /C calc'!A0",
                        "label": "=cmd|' /C calc'!A0",
                        "count": 1,
                        "total_minor": 500,
                        "tax_minor": 0,
                        "total": "5.00",
                        "tax": "0.00",
                    },
                ],
            },
        ],
    }


async def test_expenses_by_category_as_csv_in_spanish(owner):
    exported = await owner.client.get(
        f"{REPORT}.csv", params=PERIOD, headers=owner.headers(**{"accept-language": "es"})
    )

    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert exported.headers["content-disposition"] == (
        'attachment; filename="expenses-by-category-2026-11-01-2026-11-30.csv"'
    )
    assert exported.content.decode("utf-8") == (
        "\ufeffcurrency,category,label,expenses,total,tax\r\n"
        "MXN,rent,Renta,1,12000.00,0.00\r\n"
        'MXN,utilities,"Servicios (luz, agua, internet)",2,500.00,68.97\r\n'
        "MXN,Luz,Luz,1,100.00,13.79\r\n"
        "USD,software,Software y suscripciones,1,20.00,0.00\r\n"
        "USD,'=cmd|' /C calc'!A0,'=cmd|' /C calc'!A0,1,5.00,0.00\r\n"
    )


async def test_an_empty_or_backwards_period(owner):
    empty = await owner.client.get(
        REPORT, params={"start": "2020-01-01", "end": "2020-01-31"}, headers=owner.headers()
    )
    backwards = await owner.client.get(
        f"{REPORT}.csv",
        params={"start": "2026-11-30", "end": "2026-11-01"},
        headers=owner.headers(),
    )
    missing = await owner.client.get(
        REPORT, params={"start": "2026-11-01"}, headers=owner.headers()
    )

    assert empty.json()["currencies"] == []
    assert backwards.status_code == 422
    assert [e["field"] for e in backwards.json()["errors"]] == ["query.end"]
    assert [e["field"] for e in missing.json()["errors"]] == ["query.end"]
