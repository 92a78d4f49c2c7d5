"""Money: amounts in running text to integer minor units and an ISO currency, never floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given, settings
from hypothesis import strategies as st

from xentri.ai.offline import (
    Money,
    find_money,
    minor_units,
    parse_decimal,
    parse_money,
    to_amount,
    to_minor_units,
)


@pytest.mark.parametrize(
    ("raw", "language", "expected"),
    [
        ("1,200.50", "en", Decimal("1200.50")),
        ("1.200,50", "es", Decimal("1200.50")),
        ("1.500", "es", Decimal("1500")),
        ("1,500", "en", Decimal("1500")),
        ("2,5", "es", Decimal("2.5")),
        ("12.50", "en", Decimal("12.50")),
        ("0.75", "en", Decimal("0.75")),
        ("6,500,000", "en", Decimal("6500000")),
        ("35.000", "es", Decimal("35000")),
    ],
)
def test_parse_decimal_reads_either_convention(raw, language, expected):
    assert parse_decimal(raw, language=language) == expected


@pytest.mark.parametrize(
    ("text", "language", "default_currency", "expected"),
    [
        ("cortes a 150 pesos", "es", None, [(15000, "MXN")]),
        ("MXN 1,200.50 por mes", "es", None, [(120050, "MXN")]),
        ("€30/mes", "es", None, [(3000, "EUR")]),
        ("veinte dólares", "es", None, [(2000, "USD")]),
        ("$25 per hour", "en", None, [(2500, "USD")]),
        ("$25 per hour", "en", "MXN", [(2500, "MXN")]),
        ("una torta cuesta 25.000 pesos chilenos", "es", None, [(25000, "CLP")]),
        ("2 millones de pesos colombianos", "es", None, [(200_000_000, "COP")]),
        ("twenty Canadian dollars", "en", None, [(2000, "CAD")]),
        ("S/ 38 el plato", "es", None, [(3800, "PEN")]),
        ("huipiles a Q450", "es", None, [(45000, "GTQ")]),
        ("$10k a month", "en", None, [(1_000_000, "USD")]),
        ("£12 each", "en", None, [(1200, "GBP")]),
        ("3,20 € la barra", "es", None, [(320, "EUR")]),
        ("1.200,50\xa0US$", "es", None, [(120050, "USD")]),
    ],
)
def test_find_money_resolves_amount_and_currency(text, language, default_currency, expected):
    found = find_money(text, language=language, default_currency=default_currency)

    assert [(m.money.minor_units, m.money.currency) for m in found] == expected


def test_a_dollar_sign_takes_the_currency_of_the_place_mentioned():
    found = find_money("Cobro $80 mil por sesión", language="es", countries=["CO"])

    assert [m.money for m in found] == [Money(minor_units=8_000_000, currency="COP")]


def test_pesos_follow_the_orgs_currency_when_it_is_a_peso():
    found = find_money("150 pesos", language="es", default_currency="ARS")

    assert found[0].money == Money(minor_units=15000, currency="ARS")


def test_a_bare_number_is_not_money():
    assert find_money("we have 12 employees and opened in 2019", language="en") == []


def test_a_quarter_is_not_quetzales():
    assert find_money("by Q2 2027", language="en") == []


def test_money_mentions_carry_their_span():
    text = "Tacos cost $3 each, or MXN 50 for a plate."

    found = find_money(text, language="en")

    assert [text[m.start : m.end] for m in found] == ["$3", "MXN 50"]


def test_a_price_named_once_carries_over_to_the_next_in_the_list():
    found = find_money("Los cortes a 150 pesos y el corte con barba a 220.", language="es")

    assert [m.money for m in found] == [
        Money(minor_units=15000, currency="MXN"),
        Money(minor_units=22000, currency="MXN"),
    ]


@pytest.mark.parametrize(("currency", "digits"), [("CLP", 0), ("COP", 2), ("MXN", 2), ("JPY", 0)])
def test_minor_units_follow_iso_4217(currency, digits):
    assert minor_units(currency) == digits


CURRENCIES = ["USD", "MXN", "COP", "EUR", "CLP", "GBP", "PEN", "ARS", "GTQ", "CAD"]
LOCALES = ["en_US", "en_GB", "es_MX", "es_CO", "es_ES", "es_AR", "es_CL", "es_PE"]


@settings(max_examples=300, deadline=None)
@given(
    units=st.integers(min_value=0, max_value=10**11),
    currency=st.sampled_from(CURRENCIES),
    locale=st.sampled_from(LOCALES),
)
def test_formatted_amounts_parse_back_to_the_same_money(units, currency, locale):
    money = Money(minor_units=units, currency=currency)
    text = format_currency(to_amount(money), currency, locale=locale)

    parsed = parse_money(text, language=locale[:2], default_currency=currency)

    assert parsed == money


@given(
    units=st.integers(min_value=-(10**12), max_value=10**12), currency=st.sampled_from(CURRENCIES)
)
def test_amount_and_minor_units_round_trip(units, currency):
    money = Money(minor_units=units, currency=currency)

    assert to_minor_units(to_amount(money), currency) == units
