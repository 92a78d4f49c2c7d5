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
from babel.numbers import format_decimal

from xentri.kernel.i18n import Catalogs, load_catalogs
from xentri.shell.formatting import money_in

Language = Literal["en", "es"]
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
# The locale a language writes numbers and months in.
_LOCALES: dict[Language, str] = {"en": "en_US", "es": "es_MX"}


@functools.cache
def _catalogs() -> Catalogs:
    # Compiled once on first use: the agent worker runs without the shell's catalogs.
    return load_catalogs(LOCALES_DIR)


def translations(language: Language) -> gettext.NullTranslations:
    return _catalogs().get(language)


def money_text(minor: int, currency: str, language: Language) -> str:
    """Money as the pages, the invoice PDF and its public page write it (shell.formatting), so
    an answer quotes the same figure the owner sees: "$1,940.00" (en, USD), "$1,940.00" (es,
    MXN), "1940,00 €" (es, EUR)."""
    return money_in(minor, currency, language)


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
