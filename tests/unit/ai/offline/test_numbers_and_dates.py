"""Numbers written in digits or words, and deadlines resolved against a given today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.ai.offline import find_dates
from xentri.ai.offline.dates import add_months
from xentri.ai.offline.numbers import find_number_mentions

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("cincuenta clientes nuevos", "es", [Decimal(50)]),
        ("one hundred and twenty members", "en", [Decimal(120)]),
        ("veintiún días", "es", [Decimal(21)]),
        ("$10k", "en", [Decimal(10000)]),
        ("2,5 millones", "es", [Decimal("2500000")]),
        ("10 mil pesos", "es", [Decimal(10000)]),
        ("abrir una segunda sucursal", "es", [Decimal(1), Decimal(2)]),
        ("a third truck", "en", [Decimal(3)]),
    ],
)
def test_number_mentions(text, language, expected):
    assert [m.value for m in find_number_mentions(text, language=language)] == expected


def test_articles_and_ordinals_are_marked():
    mentions = find_number_mentions("abrir una segunda sucursal", language="es")

    assert [(m.article, m.ordinal) for m in mentions] == [(True, False), (False, True)]


def test_un_segundo_de_espera_is_not_an_ordinal():
    mentions = find_number_mentions("espera un segundo de más", language="es")

    assert not any(m.ordinal for m in mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("double revenue by June 2027", dt.date(2027, 6, 30)),
        ("abrir una segunda sucursal en marzo", dt.date(2027, 3, 31)),
        ("en diciembre", dt.date(2026, 12, 31)),
        ("in November", dt.date(2026, 11, 30)),
        ("50 clientes nuevos antes de fin de año", dt.date(2026, 12, 31)),
        ("by the end of next year", dt.date(2027, 12, 31)),
        ("el próximo año", dt.date(2027, 12, 31)),
        ("in six months", dt.date(2027, 5, 25)),
        ("dentro de 3 semanas", dt.date(2026, 12, 16)),
        ("en los próximos dos años", dt.date(2028, 11, 25)),
        ("by Q3 2027", dt.date(2027, 9, 30)),
        ("el 15 de marzo de 2027", dt.date(2027, 3, 15)),
        ("by March 3rd", dt.date(2027, 3, 3)),
        ("before 2027-02-14", dt.date(2027, 2, 14)),
        ("a finales de 2028", dt.date(2028, 12, 31)),
        ("por navidad", dt.date(2026, 12, 25)),
        ("next month", dt.date(2026, 12, 31)),
    ],
)
def test_deadlines_resolve_relative_to_today(text, expected):
    assert [d.value for d in find_dates(text, today=TODAY)] == [expected]


def test_may_the_verb_is_not_a_month():
    assert find_dates("We may open a second shop", today=TODAY) == []


def test_date_spans_point_into_the_text():
    text = "Queremos 50 clientes antes de junio de 2027."

    (mention,) = find_dates(text, today=TODAY)

    assert text[mention.start : mention.end] == "junio de 2027"


@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    months=st.integers(min_value=0, max_value=120),
)
def test_adding_months_keeps_the_day_or_the_months_last(day, months):
    shifted = add_months(day, months)

    assert (shifted.year - day.year) * 12 + shifted.month - day.month == months
    assert shifted.day == day.day or (
        shifted.day < day.day and (shifted + dt.timedelta(1)).day == 1
    )
