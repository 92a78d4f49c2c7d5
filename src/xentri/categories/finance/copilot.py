"""What the Finance Co-pilot's answers share: the reader's language, its catalog, and money and
numbers written the way that language writes them.

The co-pilot's tools (copilot_tools.py) answer in words as well as in figures: the offline
model quotes the words, a cloud model may use either. Every figure in the words is formatted
from the same minor units the figures carry, so the two can never disagree.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from xentri.categories.finance.money import to_major
from xentri.kernel.i18n import Catalogs, load_catalogs

Language = Literal["en", "es"]
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
# The locale a language writes money in; Spanish follows the country of the currency when it
# is one of the first markets' (MX$ is "$" in Mexico, COP "$" in Colombia).
_LOCALES: dict[Language, str] = {"en": "en_US", "es": "es_MX"}
_SPANISH_BY_CURRENCY = {
    "MXN": "es_MX", "COP": "es_CO", "ARS": "es_AR", "CLP": "es_CL", "PEN": "es_PE",
    "GTQ": "es_GT", "EUR": "es_ES", "UYU": "es_UY", "DOP": "es_DO", "CRC": "es_CR",
}  # fmt: skip


@functools.cache
def _catalogs() -> Catalogs:
    # Compiled once on first use: the agent worker runs without the shell's catalogs.
    return load_catalogs(LOCALES_DIR)


def translations(language: Language) -> gettext.NullTranslations:
    return _catalogs().get(language)


def locale_of(language: Language, currency: str | None = None) -> str:
    if language == "es" and currency in _SPANISH_BY_CURRENCY:
        return _SPANISH_BY_CURRENCY[currency]
    return _LOCALES[language]


def money_text(minor: int, currency: str, language: Language) -> str:
    """ "$1,940.00" (en, USD), "$1,940.00" (es, MXN), "USD1,940.00" (es, USD)."""
    return str(
        format_currency(to_major(minor, currency), currency, locale=locale_of(language, currency))
    )


def number_text(value: int | Decimal, language: Language) -> str:
    return str(format_decimal(value, locale=_LOCALES[language]))


_MONTH_FORMAT: dict[Language, str] = {"en": "LLLL y", "es": "LLLL 'de' y"}


def month_text(month: date, language: Language) -> str:
    """ "March 2027", "marzo de 2027"."""
    return str(format_date(month, format=_MONTH_FORMAT[language], locale=_LOCALES[language]))


def join_words(items: Sequence[str], language: Language) -> str:
    """ "a, b and c" / "a, b y c"."""
    if len(items) <= 1:
        return "".join(items)
    word = " and " if language == "en" else " y "
    return ", ".join(items[:-1]) + word + items[-1]
