"""Money, numbers, dates and lists written the way the reader's locale writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from xentri.ai.offline.currencies import COUNTRY_CURRENCY
from xentri.ai.offline.facts import Language, Money
from xentri.ai.offline.money import to_amount

_DEFAULT_LOCALE: dict[Language, str] = {"en": "en_US", "es": "es_MX"}


_SPANISH_SPEAKING = ("MX", "CO", "AR", "CL", "PE", "GT", "ES", "BO", "UY", "PY", "DO", "CR",
                     "HN", "NI", "VE")  # fmt: skip


def locale_for(language: Language, *, currency: str | None = None) -> str:
    """A locale for the language; for Spanish, the country whose currency it is ("es_CO")."""
    if language == "es" and currency is not None:
        for country in _SPANISH_SPEAKING:
            if COUNTRY_CURRENCY[country] == currency:
                return f"es_{country}"
    return _DEFAULT_LOCALE[language]


def format_money(money: Money, *, language: Language, locale: str | None = None) -> str:
    """ "$1,200.50", "MX$1,200.50", "$6.500.000,00" (es_CO), "4,50 €" (es_ES)."""
    chosen = locale or locale_for(language, currency=money.currency)
    return str(format_currency(to_amount(money), money.currency, locale=chosen))


def format_number(value: Decimal | int, *, language: Language, locale: str | None = None) -> str:
    return str(format_decimal(value, locale=locale or _DEFAULT_LOCALE[language]))


def format_day(day: dt.date, *, language: Language, locale: str | None = None) -> str:
    return str(format_date(day, format="long", locale=locale or _DEFAULT_LOCALE[language]))


def join_list(items: Sequence[str], *, language: Language) -> str:
    """ "a, b and c" / "a, b y c" (and "e" before an "i" sound, as Spanish asks)."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if language == "en":
        return f"{', '.join(items[:-1])} and {items[-1]}"
    last = items[-1]
    conjunction = (
        "e"
        if last.lower().startswith(("i", "hi")) and not last.lower().startswith(("hie", "hia"))
        else "y"
    )
    return f"{', '.join(items[:-1])} {conjunction} {last}"
