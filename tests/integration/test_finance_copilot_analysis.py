"""The Finance Co-pilot's words carry the reports' figures: the revenue analysis quotes the
revenue report for the same data; who owes what and the pricing comparison are exact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.support.finance import new_customer, new_invoice, pay, sent_invoice
from tests.support.identity import create_org, sign_up
from xentri.categories.finance import pricing, revenue_analysis, who_owes
from xentri.categories.finance.copilot import money_text, month_text, number_text
from xentri.categories.finance.reports_receivables import receivables_aging
from xentri.categories.finance.reports_revenue import revenue_by_month
from xentri.contracts.brief import Offering
from xentri.kernel.db.tenant import tenant_transaction

pytestmark = pytest.mark.integration

TODAY = date(2027, 3, 15)


def line(description: str, quantity: str, unit_price_minor: int, **extra) -> dict:
    return {
        "description": description,
        "quantity": quantity,
        "unit_price_minor": unit_price_minor,
        "tax_rate": "16",
        **extra,
    }


@pytest.fixture
async def seeded(make_app, client_for):
    """Three customers invoiced over January to March 2027 in MXN, one paid, a void and a draft
    that are not revenue, and one USD invoice kept apart."""
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        lupita = await new_customer(person, "Panadería Lupita")
        sol = await new_customer(person, "Café Sol")
        luna = await new_customer(person, "Hotel Luna")
        cake = "Pastel de tres leches"
        await sent_invoice(person, lupita, issue_date="2027-01-10", lines=[line(cake, "4", 25_000)])
        feb = await sent_invoice(
            person, sol, issue_date="2027-02-03", lines=[line(cake, "10", 19_400)]
        )
        assert (
            await pay(person, feb["id"], feb["total_minor"], paid_on="2027-02-20")
        ).status_code == 201
        await sent_invoice(
            person,
            lupita,
            issue_date="2027-03-01",
            lines=[
                line(cake, "2", 25_000, discount_percent="10"),
                line("Café de olla", "30", 3_500),
            ],
        )
        await sent_invoice(
            person, luna, issue_date="2027-03-05", lines=[line("Catering", "1", 1_200_000)]
        )
        voided = await sent_invoice(
            person, luna, issue_date="2027-03-06", lines=[line(cake, "100", 25_000)]
        )
        void = await person.client.post(
            f"/api/v1/finance/invoices/{voided['id']}/void",
            json={"reason": "Wrong customer"},
            headers=person.headers(),
        )
        assert void.status_code == 200, void.text
        await new_invoice(person, sol, issue_date="2027-03-07", lines=[line(cake, "50", 25_000)])
        await sent_invoice(
            person,
            sol,
            currency="USD",
            issue_date="2027-03-08",
            lines=[line("Consulting", "3", 10_000)],
        )
        yield app, person, org


async def test_the_revenue_analysis_quotes_the_revenue_report(seeded, app_engine):
    _app, _person, org = seeded
    async with tenant_transaction(app_engine, org) as tx:
        report = await revenue_by_month(
            tx=tx, first_month=date(2027, 1, 1), last_month=date(2027, 3, 1)
        )
        analysis = await revenue_analysis.analyse_revenue(
            tx=tx, today=TODAY, org_currency="MXN", months=3
        )
    reported = {group.currency: group for group in report}
    assert [found.currency for found in analysis.currencies] == ["MXN", "USD"]
    mxn = analysis.currencies[0]
    # The analysis carries the report's own rows, month by month.
    assert mxn.revenue == reported["MXN"]
    jan, feb, mar = reported["MXN"].months
    # Every customer's revenue adds up to the report's total for the window.
    assert sum(c.net_minor for c in mxn.top_customers) == reported["MXN"].net_minor
    assert [c.name for c in mxn.top_customers] == ["Hotel Luna", "Panadería Lupita", "Café Sol"]

    for language in ("en", "es"):
        text = revenue_analysis.analysis_text(analysis, language)
        for month in (jan, feb, mar):
            assert money_text(month.net_minor, "MXN", language) in text
        assert money_text(mar.collected_minor, "MXN", language) in text
        change = (mar.net_minor - feb.net_minor) * 100 / feb.net_minor
        assert number_text(round(change, 1), language) in text
        for customer in mxn.top_customers:
            assert f"{customer.name} ({money_text(customer.net_minor, 'MXN', language)})" in text
        usd = reported["USD"].months[-1].net_minor
        assert money_text(usd, "USD", language) in text
        assert month_text(date(2027, 3, 1), language) in text

    english = revenue_analysis.analysis_text(analysis, "en")
    assert english.startswith(
        f"Revenue in March 2027: {money_text(mar.net_minor, 'MXN', 'en')} from 2 invoices, "
        f"net of tax; up {number_text(round(change, 1), 'en')}% on February 2027 "
        f"({money_text(feb.net_minor, 'MXN', 'en')})."
    )
    spanish = revenue_analysis.analysis_text(analysis, "es")
    assert spanish.startswith("Ingresos de marzo de 2027: ")
    assert "van al alza" in spanish


async def test_who_owes_lists_open_invoices_by_customer_as_the_aging_report_does(
    seeded, app_engine
):
    _app, _person, org = seeded
    async with tenant_transaction(app_engine, org) as tx:
        debts = await who_owes.who_owes(tx=tx, today=TODAY)
        aging = await receivables_aging(tx=tx, as_of=TODAY)
    by_customer = {(d.currency, d.name): d.amount_due_minor for d in debts}
    assert by_customer == {
        (group.currency, row.name): row.aging.total for group in aging for row in group.customers
    }
    lupita = next(d for d in debts if d.name == "Panadería Lupita")
    # January's invoice, due after 30 days, is 34 days late on 15 March; March's is not due.
    assert [i.days_overdue for i in lupita.invoices] == [34, 0]

    text = who_owes.who_owes_text(debts, "es")
    assert text.startswith("3 clientes te deben ")
    first = lupita.invoices[0]
    assert (
        f"- Panadería Lupita: {money_text(lupita.amount_due_minor, 'MXN', 'es')} "
        f"({first.number}, {money_text(first.amount_due_minor, 'MXN', 'es')}, 34 días de atraso; "
    ) in text


async def test_pricing_compares_the_offerings_with_what_was_invoiced(seeded, app_engine):
    _app, _person, org = seeded
    offerings = [
        Offering(name="pastel de tres leches ", price_minor=25_000, currency="MXN"),
        Offering(name="Café de olla", price_minor=3_500, currency="MXN"),
        Offering(name="Catering", price_minor=None),
        Offering(name="Galletas", price_minor=1_500, currency="MXN"),
    ]
    async with tenant_transaction(app_engine, org) as tx:
        invoiced = await pricing.invoiced_by_description(tx=tx)
    findings = {f.offering: f for f in pricing.compare(offerings, invoiced, org_currency="MXN")}

    cake = findings["pastel de tres leches "]
    # Net of the line discount: 4 x 250.00 + 10 x 194.00 + 2 x 250.00 less 10%, over 16 units,
    # is 211.875 → 211.88 rounded half up. The void's 100 cakes and the draft's 50 do not count.
    assert (cake.invoiced.net_minor, cake.invoiced.quantity, cake.invoiced.invoices) == (
        339_000,
        16,
        3,
    )
    assert cake.invoiced.average_minor == 21_188
    assert cake.verdict == "below"
    assert cake.difference_percent == Decimal("-15.2")
    assert findings["Café de olla"].verdict == "matches"
    assert findings["Catering"].verdict == "no_list_price"
    assert findings["Galletas"].verdict == "not_invoiced"

    text = pricing.pricing_text(list(findings.values()), has_offerings=True, language="en")
    assert (
        "You list pastel de tres leches  at $250.00 but invoiced it at $211.88 on average over "
        "3 invoices (16 units), 15.2% less."
    ) in text.replace("MX$", "$")
    assert "Galletas has not been invoiced yet." in text
    no_brief = pricing.pricing_text([], has_offerings=False, language="es")
    assert no_brief.startswith("Tu Brief todavía no tiene ofertas con precio")
