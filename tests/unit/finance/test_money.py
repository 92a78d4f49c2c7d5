"""ISO 4217 currencies: which exist, how many decimals their minor unit has."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.categories.finance.money import (
    CURRENCIES,
    UnknownCurrencyError,
    exponent,
    is_currency,
    to_major,
    to_minor,
)


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("JPY", 0),
        ("CLP", 0),
        ("KRW", 0),
        ("USD", 2),
        ("MXN", 2),
        ("COP", 2),
        ("EUR", 2),
        ("KWD", 3),
        ("BHD", 3),
        ("TND", 3),
        ("IQD", 3),
    ],
)
def test_minor_unit_digits_follow_iso_4217(code, digits):
    assert exponent(code) == digits


@pytest.mark.parametrize("code", ["XXX", "ABC", "usd", "MXV", "ESP", ""])
def test_codes_that_are_not_invoicing_currencies_are_refused(code):
    assert not is_currency(code)
    with pytest.raises(UnknownCurrencyError):
        exponent(code)


def test_written_amounts_become_minor_units():
    assert to_minor("1250.50", "MXN") == 125_050
    assert to_minor("1250", "JPY") == 1250
    assert to_minor("1.234", "KWD") == 1234
    assert to_major(125_050, "MXN") == Decimal("1250.50")


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("12.345", "USD"), ("1.5", "JPY"), ("1.0000000000001", "MXN"), ("abc", "USD"), ("NaN", "USD")],
)
def test_more_decimals_than_the_currency_has_is_refused(amount, currency):
    with pytest.raises(ValueError, match=r".+"):
        to_minor(amount, currency)


@given(st.sampled_from(sorted(CURRENCIES)), st.integers(min_value=0, max_value=10**15))
def test_minor_units_survive_the_round_trip(currency, minor):
    assert to_minor(to_major(minor, currency), currency) == minor
