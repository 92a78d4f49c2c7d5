"""Data answers: counts, sums, overdue lists and trends from the data given, or a plain no."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xentri.ai.offline import (
    CustomerRecord,
    DataAnswer,
    DataContext,
    EventRecord,
    InvoiceRecord,
    Money,
    NeedsCloudModel,
    answer_question,
)

TODAY = dt.date(2026, 11, 25)


def mxn(pesos: int) -> Money:
    return Money(minor_units=pesos * 100, currency="MXN")


def invoice(number, customer, pesos, *, issued, due, status, paid=None):
    return InvoiceRecord(
        number=number,
        customer=customer,
        amount=mxn(pesos),
        issued_on=issued,
        due_on=due,
        status=status,
        paid_on=paid,
    )


DATA = DataContext(
    invoices=(
        invoice("F-101", "Hotel Azul", 1500, issued=dt.date(2026, 10, 1),
                due=dt.date(2026, 10, 31), status="sent"),
        invoice("F-102", "Café Sol", 800, issued=dt.date(2026, 11, 1),
                due=dt.date(2026, 12, 1), status="sent"),
        invoice("F-103", "Hotel Azul", 2000, issued=dt.date(2026, 10, 5),
                due=dt.date(2026, 10, 20), status="paid", paid=dt.date(2026, 10, 18)),
        invoice("F-104", "Ana Ruiz", 2500, issued=dt.date(2026, 11, 2),
                due=dt.date(2026, 11, 10), status="paid", paid=dt.date(2026, 11, 9)),
        invoice("F-105", "Taller Mix", 300, issued=dt.date(2026, 9, 1),
                due=dt.date(2026, 9, 15), status="sent"),
        invoice("F-106", "Ana Ruiz", 999, issued=dt.date(2026, 11, 20),
                due=dt.date(2026, 12, 20), status="draft"),
    ),
    customers=(
        CustomerRecord(name="Ana Ruiz", created_on=dt.date(2026, 11, 3)),
        CustomerRecord(name="Hotel Azul", created_on=dt.date(2026, 3, 3)),
        CustomerRecord(name="Taller Mix", created_on=dt.date(2026, 11, 20)),
    ),
    events=(
        EventRecord(type="booking", occurred_at=dt.datetime(2026, 11, 20, 10)),
        EventRecord(type="booking", occurred_at=dt.datetime(2026, 11, 2, 10)),
        EventRecord(type="booking", occurred_at=dt.datetime(2026, 10, 20, 10)),
        EventRecord(type="lead", occurred_at=dt.datetime(2026, 11, 21, 9)),
    ),
)  # fmt: skip


def ask(question: str) -> DataAnswer:
    answer = answer_question(question, DATA, today=TODAY)
    assert isinstance(answer, DataAnswer)
    return answer


def test_overdue_invoices_oldest_first_in_spanish():
    answer = ask("¿Qué facturas están vencidas?")

    assert (answer.intent, answer.count, answer.totals) == ("overdue_invoices", 2, (mxn(1800),))
    assert answer.text.splitlines() == [
        "2 factura(s) vencida(s), $1,800.00 en total:",
        "- F-105, Taller Mix: $300.00, 71 día(s) de atraso",
        "- F-101, Hotel Azul: $1,500.00, 25 día(s) de atraso",
    ]


def test_unpaid_total():
    answer = ask("How much is still unpaid?")

    assert (answer.count, answer.totals) == (3, (mxn(2600),))
    assert answer.text == "3 unpaid invoice(s), MX$2,600.00 to collect."


def test_revenue_this_month_counts_paid_invoices_by_payment_date():
    answer = ask("What was our revenue this month?")

    assert (answer.intent, answer.totals, answer.count) == ("revenue", (mxn(2500),), 1)
    assert answer.text == "Revenue this month: MX$2,500.00 from 1 paid invoice(s)."


def test_revenue_last_month_in_spanish():
    answer = ask("¿Cuánto vendimos el mes pasado?")

    assert answer.totals == (mxn(2000),)
    assert answer.text == "Ingresos el mes pasado: $2,000.00 de 1 factura(s) pagada(s)."


def test_trend_this_month_against_last():
    answer = ask("How are sales compared to last month?")

    assert (answer.intent, answer.change_percent) == ("revenue_trend", Decimal("25.0"))
    assert answer.text == ("Revenue this month is MX$2,500.00, up 25% from MX$2,000.00 last month.")


def test_top_customer():
    answer = ask("¿Quién es mi mejor cliente?")

    assert answer.items == ("Ana Ruiz",)
    assert answer.text == "Tu mejor cliente es Ana Ruiz, con $2,500.00 pagados."


@pytest.mark.parametrize(
    ("question", "intent", "count"),
    [
        ("How many customers do I have?", "customer_count", 3),
        ("¿Cuántos clientes nuevos tuve este mes?", "customer_count", 2),
        ("How many paid invoices are there?", "invoice_count", 2),
        ("¿Cuántas facturas en borrador hay?", "invoice_count", 1),
        ("How many bookings this month?", "event_count", 2),
        ("How many leads in the last 7 days?", "event_count", 1),
    ],
)
def test_counts(question, intent, count):
    answer = ask(question)

    assert (answer.intent, answer.count) == (intent, count)


def test_amounts_in_two_currencies_are_never_added_together():
    data = DataContext(
        invoices=(
            InvoiceRecord(
                number="A",
                customer="X",
                amount=Money(minor_units=5000, currency="USD"),
                issued_on=TODAY,
                due_on=TODAY,
                status="sent",
            ),
            InvoiceRecord(
                number="B",
                customer="Y",
                amount=mxn(700),
                issued_on=TODAY,
                due_on=TODAY,
                status="sent",
            ),
        )
    )

    answer = answer_question("What is outstanding?", data, today=TODAY)

    assert answer.totals == (mxn(700), Money(minor_units=5000, currency="USD"))
    assert answer.text == "2 unpaid invoice(s), MX$700.00 and $50.00 to collect."


@pytest.mark.parametrize(
    ("question", "reason", "language"),
    [
        ("Why are my sales down?", "open_ended", "en"),
        ("¿Qué debería hacer para vender más?", "open_ended", "es"),
        ("Write an Instagram post about our new coffee", "creative", "en"),
        ("Escríbeme un correo para mis clientes", "creative", "es"),
        ("What's the weather in Oaxaca tomorrow?", "not_in_data", "en"),
        ("¿Quién ganó el partido?", "not_in_data", "es"),
    ],
)
def test_questions_beyond_the_data_need_a_cloud_model(question, reason, language):
    answer = answer_question(question, DATA, today=TODAY)

    assert isinstance(answer, NeedsCloudModel)
    assert (answer.reason, answer.language) == (reason, language)
    assert "cloud" in answer.explanation or "nube" in answer.explanation


def test_no_overdue_invoices_is_said_plainly():
    answer = answer_question("Any overdue invoices?", DataContext(), today=TODAY)

    assert (answer.count, answer.text) == (0, "No invoice is overdue.")
