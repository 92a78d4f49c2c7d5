"""How an invoice document writes money, dates, quantities and rates: in the invoice's language,
in the conventions of the country whose money it is when that language is spoken there.

A Spanish invoice in MXN reads "$1,234.56" (es_MX), one in EUR "1.234,56 €" (es_ES); an English
one in CAD "$1,234.56" (en_CA). When the currency is used by several countries speaking the
language and none is the language's home (Spanish and USD: Ecuador, El Salvador, Puerto
Rico...), the language's own conventions are used. Decimals always follow ISO 4217 (JPY 0,
KWD 3), never CLDR's digits, so the document matches the stored amounts. Money is written by
the shell's `money_written`, which every page's `money_in` goes through too: a page and a PDF
never disagree.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from xentri.shell.formatting import money_locale, money_written


def document_locale(language: str, currency: str) -> Locale:
    """The locale a document in `language` for money in `currency` is written in (the same one
    the pages write that money in)."""
    return money_locale(language, currency)


def money(minor: int, currency: str, locale: Locale) -> str:
    """Minor units in the document's locale, written as the pages write them."""
    return money_written(minor, currency, locale)


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
