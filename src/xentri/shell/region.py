"""Choices for organization and region forms: industries, sizes, time zones, currencies, date
formats; and sensible defaults (the currency of the place a time zone or language points to)."""

from __future__ import annotations

import functools
from datetime import date
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import get_currency_name, get_territory_currencies

from xentri.shell.formatting import (
    DATE_FORMATS,
    DEFAULT_CURRENCY,
    DEFAULT_TIME_ZONE,
    Region,
    date_in,
)
from xentri.shell.i18n import LANGUAGE_NAMES, N_
from xentri.shell.visitor import Visitor

INDUSTRIES = {
    "retail": N_("Retail and shops"),
    "food": N_("Food and drink"),
    "services": N_("Professional services"),
    "construction": N_("Construction and trades"),
    "health": N_("Health and wellness"),
    "beauty": N_("Beauty and personal care"),
    "education": N_("Education and training"),
    "technology": N_("Technology"),
    "manufacturing": N_("Manufacturing"),
    "transport": N_("Transport and logistics"),
    "agriculture": N_("Agriculture"),
    "tourism": N_("Tourism and hospitality"),
    "nonprofit": N_("Non-profit"),
    "other": N_("Other"),
}
SIZES = {"solo": N_("Just me"), "2-10": "2-10", "11-50": "11-50", "51+": "51+"}

# The currencies of the first markets (Latin America) and the ones they trade in most.
CURRENCIES = (
    "USD", "MXN", "COP", "CLP", "ARS", "PEN", "BRL", "GTQ", "CRC", "DOP", "UYU", "BOB", "PYG",
    "HNL", "NIO", "PAB", "VES", "CAD", "EUR", "GBP",
)  # fmt: skip
_SAMPLE_DAY = date(2026, 3, 14)
_ZONE_AREAS = (
    "Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
    "Indian/", "Pacific/",
)  # fmt: skip


@functools.cache
def time_zones() -> tuple[str, ...]:
    """IANA zones people pick from: the areas' cities, plus UTC (no legacy aliases)."""
    zones = sorted(zone for zone in available_timezones() if zone.startswith(_ZONE_AREAS))
    return (DEFAULT_TIME_ZONE, *zones)


def known_time_zone(value: str) -> str | None:
    return value if value in time_zones() else None


def currency_choices(lang: str) -> list[tuple[str, str]]:
    return [(code, f"{code} · {get_currency_name(code, locale=lang)}") for code in CURRENCIES]


def date_format_choices(lang: str) -> list[tuple[str, str]]:
    return [(fmt, format_date(_SAMPLE_DAY, fmt, locale=lang)) for fmt in DATE_FORMATS]


def format_day(value: date, date_format: str, lang: str) -> str:
    return date_in(value, lang, region=Region(date_format=date_format))


def currency_for(*, time_zone: str | None, accept_language: str | None) -> str:
    """The currency where the person seems to be: the time zone's country, else the region of
    their browser's first language (es-MX), else US dollars."""
    territory = None
    if time_zone:
        territory = get_global("zone_territories").get(time_zone)
    if territory is None and accept_language:
        first = accept_language.split(",")[0].split(";")[0].strip().replace("-", "_")
        try:
            territory = Locale.parse(first).territory if first else None
        except (ValueError, UnknownLocaleError):
            territory = None
    if territory:
        for code in get_territory_currencies(territory, tender=True):
            if code in CURRENCIES:
                return code
    return DEFAULT_CURRENCY


def choices(visitor: Visitor) -> dict[str, list[tuple[str, str]]]:
    """Every option list of the org and region forms, worded in the visitor's language."""
    _ = visitor.gettext
    return {
        "industry_options": [(key, _(label)) for key, label in INDUSTRIES.items()],
        "size_options": [(key, _(label)) for key, label in SIZES.items()],
        "language_options": list(LANGUAGE_NAMES.items()),
        "zone_options": [(zone, zone.replace("_", " ")) for zone in time_zones()],
        "currency_options": currency_choices(visitor.lang),
        "date_format_options": date_format_choices(visitor.lang),
    }
