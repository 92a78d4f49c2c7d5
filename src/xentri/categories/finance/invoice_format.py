"""How an invoice document writes money, dates, quantities and rates: in the invoice's language,
in the conventions of the country whose money it is when that language is spoken there.

A Spanish invoice in MXN reads "$1,234.56" (es_MX), one in EUR "1.234,56 €" (es_ES); an English
one in CAD "$1,234.56" (en_CA). When the currency is used by several countries speaking the
language and none is the language's home (Spanish and USD: Ecuador, El Salvador, Puerto
Rico...), the language's own conventions are used. Decimals always follow ISO 4217 through
money.exponent (JPY 0, KWD 3), never CLDR's digits, so the document matches the stored amounts.
"""

from __future__ import annotations

import copy
import functools
from datetime import date
from decimal import Decimal

from babel import Locale, localedata
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_decimal, get_territory_currencies

from xentri.categories.finance.money import exponent, to_major


@functools.cache
def document_locale(language: str, currency: str) -> Locale:
    """The locale a document in `language` for money in `currency` is written in."""
    base = Locale.parse(language)
    home = _likely_territory(language)
    if home and currency in get_territory_currencies(home):
        return Locale.parse(f"{language}_{home}")
    spoken = [
        territory
        for territory in _territories_of(currency)
        if localedata.exists(f"{language}_{territory}")
    ]
    if len(spoken) == 1:
        return Locale.parse(f"{language}_{spoken[0]}")
    return base


def money(minor: int, currency: str, locale: Locale) -> str:
    """Minor units as the locale writes the currency, with ISO 4217's decimals."""
    digits = exponent(currency)
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    amount = to_major(minor, currency)
    return str(pattern.apply(amount, locale, currency=currency, currency_digits=False))


def long_date(day: date, locale: Locale) -> str:
    """The day written out ("25 de noviembre de 2026"): a document travels, and 03/04 is
    read as March by some and April by others."""
    return format_date(day, "long", locale=locale)


def quantity(value: Decimal, locale: Locale) -> str:
    return format_decimal(value.normalize(), format="#,##0.###", locale=locale)


def percent(rate: Decimal, locale: Locale) -> str:
    """A rate given in percent (16 → "16 %" or "16%", as the locale writes it)."""
    pattern = copy.copy(locale.percent_formats[None])
    pattern.frac_prec = (0, 4)
    return str(pattern.apply(rate / 100, locale))


def _likely_territory(language: str) -> str | None:
    likely = get_global("likely_subtags").get(language)
    return Locale.parse(likely).territory if likely else None


@functools.cache
def _territories_of(currency: str) -> tuple[str, ...]:
    """Territories whose legal tender today is `currency` (first in their list)."""
    found = []
    for territory in get_global("territory_currencies"):
        current = get_territory_currencies(territory, tender=True)
        if current and current[0] == currency:
            found.append(territory)
    return tuple(sorted(found))
