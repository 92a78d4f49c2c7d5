"""Dates, numbers and money as the visitor's language writes them (Babel's CLDR data)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal, get_currency_precision


def datetime_in(value: datetime | None, lang: str, fmt: str = "medium") -> str:
    return "" if value is None else format_datetime(value, fmt, locale=lang)


def number_in(value: int | float | Decimal, lang: str) -> str:
    return format_decimal(value, locale=lang)


def money_in(minor_units: int, currency: str, lang: str) -> str:
    """Money is stored in integer minor units (DESIGN §4): 1999 USD is $19.99."""
    amount = Decimal(minor_units).scaleb(-get_currency_precision(currency))
    return format_currency(amount, currency, locale=lang)
