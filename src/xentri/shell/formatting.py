"""Dates, numbers and money as the visitor's language writes them (Babel's CLDR data), in the
org's time zone and date format (its `Region`)."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, localedata
from babel.core import get_global
from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from babel.numbers import format_decimal, get_currency_precision, get_territory_currencies

from xentri.contracts.money import UnknownCurrencyError, exponent

# Babel (CLDR) patterns; "medium" is the language's own way of writing a date.
DATE_FORMATS = ("medium", "dd/MM/yyyy", "MM/dd/yyyy", "yyyy-MM-dd")
LANGUAGE_DATE_FORMAT = DATE_FORMATS[0]
DEFAULT_TIME_ZONE = "UTC"
DEFAULT_CURRENCY = "USD"
_Size = Literal["short", "medium", "long", "full"]
_SIZES = frozenset({"short", "medium", "long", "full"})
# The org's pattern replaces the language's compact forms; "long" and "full" are a template's
# explicit ask for the written-out day ("Saturday, March 14, 2026") and stay the language's.
_COMPACT = frozenset({"short", "medium"})


@dataclass(frozen=True)
class Region:
    """Where the org works: the clock its people read, how they write a day, their money."""

    time_zone: str = DEFAULT_TIME_ZONE
    date_format: str = LANGUAGE_DATE_FORMAT
    currency: str = DEFAULT_CURRENCY

    @property
    def zone(self) -> tzinfo:
        return zone_of(self.time_zone)


DEFAULT_REGION = Region()


def zone_of(name: str) -> tzinfo:
    """The IANA zone; a name this machine does not know (or garbage) reads as UTC, never a 500."""
    try:
        return ZoneInfo(name) if name and name != DEFAULT_TIME_ZONE else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_moment(value: datetime, region: Region) -> datetime:
    # A naive datetime is taken as UTC: the database stores timestamptz and hands back UTC.
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(region.zone)


def today_in(region: Region, *, now: datetime | None = None) -> date:
    """The org's calendar day (not the server's): near midnight they differ."""
    return local_moment(now or datetime.now(UTC), region).date()


def datetime_in(
    value: datetime | None, lang: str, fmt: str = "medium", region: Region = DEFAULT_REGION
) -> str:
    """A moment on the org's clock; the day written in the org's date format, the time as the
    language writes it (`fmt` is short/medium/long/full, or a Babel pattern used as given)."""
    if value is None:
        return ""
    local = local_moment(value, region)
    if fmt not in _SIZES:
        return format_datetime(local, fmt, tzinfo=local.tzinfo, locale=lang)
    day_pattern = _day_pattern(region.date_format, size=fmt)
    combined = str(get_datetime_format(cast(_Size, fmt), locale=lang))
    return combined.replace("{1}", format_date(local, day_pattern, locale=lang)).replace(
        "{0}", format_time(local, fmt, tzinfo=local.tzinfo, locale=lang)
    )


def date_in(
    value: date | None, lang: str, fmt: str = "medium", region: Region = DEFAULT_REGION
) -> str:
    """A calendar day in the org's date format (`fmt` short/medium/long/full as for datetimes).
    A datetime is first moved to the org's clock, so 23:30 in Bogotá stays on its own day."""
    if value is None:
        return ""
    day = local_moment(value, region).date() if isinstance(value, datetime) else value
    return format_date(day, _day_pattern(region.date_format, size=fmt), locale=lang)


def _day_pattern(date_format: str, *, size: str) -> str:
    # "medium" (or an unknown value) as the org's format means "as the language writes it".
    if size in _COMPACT and date_format in DATE_FORMATS and date_format != LANGUAGE_DATE_FORMAT:
        return date_format
    return size if size in _SIZES else "medium"


def number_in(value: int | float | Decimal | None, lang: str, currency: str | None = None) -> str:
    """A number as the org's country writes it (its currency says where: es with MXN writes
    1,234.5 as Mexico does, es with EUR 1234,5), so numbers agree with money on the page."""
    if value is None:
        return ""
    return format_decimal(value, locale=money_locale(lang, currency) if currency else lang)


def money_in(minor_units: int | None, currency: str, lang: str) -> str:
    """Money is stored in integer minor units (DESIGN §4): 1999 USD is $19.99. Every page, the
    invoice's PDF, its email and its public page write money through here, so they agree."""
    if minor_units is None:
        return ""
    return money_written(minor_units, currency, money_locale(lang, currency))


def money_written(minor_units: int, currency: str, locale: Locale) -> str:
    """Minor units as `locale` writes the currency, with ISO 4217's decimals."""
    digits = _digits(currency)
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    amount = Decimal(minor_units).scaleb(-digits)
    return str(pattern.apply(amount, locale, currency=currency, currency_digits=False))


@functools.cache
def money_locale(language: str, currency: str) -> Locale:
    """The locale that writes `currency` for a reader of `language`: the conventions of the
    country whose money it is when that language is spoken there.

    Spanish and MXN is es_MX ("$604.40", as a Mexican owner writes pesos, not "604,40 MXN"),
    Spanish and EUR es_ES ("604,40 €"), English and CAD en_CA ("$604.40"). When the currency is
    used by several countries speaking the language and none is the language's home (Spanish
    and USD: Ecuador, El Salvador, Puerto Rico...), the language's own conventions are used.
    """
    base = Locale.parse(language)
    home = _likely_territory(base.language)
    if home and currency in get_territory_currencies(home):
        return Locale.parse(f"{base.language}_{home}")
    spoken = [
        territory
        for territory in _territories_of(currency)
        if localedata.exists(f"{base.language}_{territory}")
    ]
    if len(spoken) == 1:
        return Locale.parse(f"{base.language}_{spoken[0]}")
    return base


def _digits(currency: str) -> int:
    # ISO 4217's decimals, never CLDR's (which differ for a few: IQD, LAK...), so what is
    # written matches what is stored; a code outside ISO's list falls back to CLDR's.
    try:
        return exponent(currency)
    except UnknownCurrencyError:
        return int(get_currency_precision(currency))


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
