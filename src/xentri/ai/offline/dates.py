"""Deadlines in English and Spanish ("by June 2027", "antes de fin de año") resolved to dates.

A deadline naming a month means the last day of that month; a month without a year is its
next occurrence from ``today`` (this month included).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from text_to_num import text2num

from xentri.ai.offline.numbers import NumberMention
from xentri.ai.offline.text import fold

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12, "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5,
    "junio": 6, "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12,
}  # fmt: skip
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_UNITS: dict[str, str] = {
    "day": "day", "days": "day", "dia": "day", "dias": "day", "week": "week", "weeks": "week",
    "semana": "week", "semanas": "week", "month": "month", "months": "month", "mes": "month",
    "meses": "month", "year": "year", "years": "year", "ano": "year", "anos": "year",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateMention:
    value: dt.date
    start: int
    end: int


def end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH_ES = re.compile(
    rf"\b(\d{{1,2}})\s+de\s+({_MONTH_WORDS})\b(?:\s+(?:de|del)\s+(\d{{4}}))?"
)
_MONTH_DAY_EN = re.compile(
    rf"\b({_MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"
)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORDS})\b\.?(?:,?\s+(?:de\s+|del\s+|of\s+)?(\d{{4}}))?")
_QUARTER = re.compile(
    r"\b(?:q([1-4])|(?:el\s+)?(primer|segundo|tercer|cuarto)\s+trimestre)"
    r"(?:\s+(?:of\s+|de\s+|del\s+)?(\d{4}))?"
)
_END_OF_YEAR = re.compile(
    r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year|year[- ]end|"
    r"fin(?:al)?(?:es)?\s+de(?:l)?\s+(?:este\s+)?a[nñ]o|(?:por\s+)?navidad|christmas|"
    r"antes\s+de\s+que\s+(?:acabe|termine|se\s+acabe)\s+el\s+a[nñ]o|"
    r"before\s+the\s+year\s+(?:is\s+out|ends))\b"
)
_NEXT_YEAR = re.compile(
    r"\b(?:(?:by\s+|before\s+)?(?:the\s+end\s+of\s+)?next\s+year|"
    r"(?:fin(?:al)?(?:es)?\s+del?\s+)?(?:el\s+)?(?:a[nñ]o\s+que\s+viene|pr[oó]ximo\s+a[nñ]o|"
    r"a[nñ]o\s+pr[oó]ximo))\b"
)
_NEXT_MONTH = re.compile(r"\b(?:next\s+month|(?:el\s+)?(?:pr[oó]ximo\s+mes|mes\s+que\s+viene))\b")
_THIS_MONTH = re.compile(
    r"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+month|"
    r"fin(?:al)?\s+de(?:l)?\s+mes)\b"
)
_YEAR_ONLY = re.compile(
    r"\b(?:by|in|for|before|until|para|en|antes\s+de(?:l)?|hasta|(?:the\s+)?end\s+of|"
    r"(?:a\s+)?finales\s+de(?:l)?|(?:a\s+|al\s+)?fin(?:al)?\s+de(?:l)?)\s+(?:el\s+)?"
    r"(?:a[nñ]o\s+)?(\d{4})\b"
)
_WITHIN = re.compile(
    r"\b(?:en\s+los\s+pr[oó]ximos|en\s+las\s+pr[oó]ximas|over\s+the\s+next|within|dentro\s+de|in|en)"
    r"\s+(\S+(?:\s+(?:y|and)\s+\S+)?)\s+(days?|weeks?|months?|years?|d[ií]as|semanas?|mes(?:es)?|a[nñ]os?)\b"
)
_QUARTER_STEMS = {"primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4}


def _iso(match: re.Match[str], today: dt.date) -> dt.date | None:
    year, month, day = (int(group) for group in match.groups())
    return _valid_date(year, month, day)


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return dt.date(year, month, day)
    return None


def _day_of_month(*, day: int, month: int, year_text: str | None, today: dt.date) -> dt.date | None:
    year = int(year_text) if year_text else today.year
    if not year_text and (month, day) < (today.month, today.day):
        year += 1
    return _valid_date(year, month, day)


def _day_month_es(match: re.Match[str], today: dt.date) -> dt.date | None:
    return _day_of_month(day=int(match.group(1)), month=MONTHS[match.group(2)],
                         year_text=match.group(3), today=today)  # fmt: skip


def _month_day_en(match: re.Match[str], today: dt.date) -> dt.date | None:
    return _day_of_month(day=int(match.group(2)), month=MONTHS[match.group(1)],
                         year_text=match.group(3), today=today)  # fmt: skip


def _quarter(match: re.Match[str], today: dt.date) -> dt.date | None:
    quarter = int(match.group(1)) if match.group(1) else _QUARTER_STEMS[match.group(2)]
    year = int(match.group(3)) if match.group(3) else today.year
    if not match.group(3) and quarter * 3 < today.month:
        year += 1
    return end_of_month(year, quarter * 3)


def _month_year(match: re.Match[str], today: dt.date) -> dt.date | None:
    if _month_word_is_other_sense(match):
        return None
    month = MONTHS[match.group(1)]
    if match.group(2):
        return end_of_month(int(match.group(2)), month)
    return end_of_month(today.year if month >= today.month else today.year + 1, month)


def _next_year(match: re.Match[str], today: dt.date) -> dt.date | None:
    return dt.date(today.year + 1, 12, 31)


def _end_of_year(match: re.Match[str], today: dt.date) -> dt.date | None:
    christmas = "navidad" in match.group() or "christmas" in match.group()
    return dt.date(today.year, 12, 25 if christmas else 31)


def _next_month(match: re.Match[str], today: dt.date) -> dt.date | None:
    following = add_months(today.replace(day=1), 1)
    return end_of_month(following.year, following.month)


def _this_month(match: re.Match[str], today: dt.date) -> dt.date | None:
    return end_of_month(today.year, today.month)


def _year_only(match: re.Match[str], today: dt.date) -> dt.date | None:
    year = int(match.group(1))
    return dt.date(year, 12, 31) if today.year <= year <= today.year + 30 else None


# Most specific first: where two overlap, the earlier in this list wins.
_Resolver = Callable[[re.Match[str], dt.date], dt.date | None]
_RESOLVERS: tuple[tuple[re.Pattern[str], _Resolver], ...] = (
    (_ISO, _iso), (_DAY_MONTH_ES, _day_month_es), (_MONTH_DAY_EN, _month_day_en),
    (_QUARTER, _quarter), (_MONTH_YEAR, _month_year), (_NEXT_YEAR, _next_year),
    (_END_OF_YEAR, _end_of_year), (_NEXT_MONTH, _next_month), (_THIS_MONTH, _this_month),
)  # fmt: skip


def find_dates(
    text: str, *, today: dt.date, numbers: list[NumberMention] | None = None
) -> list[DateMention]:
    """Every deadline-like expression in the text, most specific first where they overlap."""
    lowered = text.lower()
    found: list[DateMention] = []

    def add(value: dt.date | None, match: re.Match[str]) -> None:
        overlaps = any(m.start < match.end() and match.start() < m.end for m in found)
        if value is not None and not overlaps:
            found.append(DateMention(value=value, start=match.start(), end=match.end()))

    for pattern, resolve in _RESOLVERS:
        for match in pattern.finditer(lowered):
            add(resolve(match, today), match)
    for match in _WITHIN.finditer(lowered):
        count = _count(match.group(1), match.start(1), numbers)
        unit = _UNITS.get(fold(match.group(2)))
        if count is not None and unit is not None:
            add(_shift(today, count, unit), match)
    for match in _YEAR_ONLY.finditer(lowered):
        add(_year_only(match, today), match)
    found.sort(key=lambda mention: mention.start)
    return found


def _month_word_is_other_sense(match: re.Match[str]) -> bool:
    """ "may" and "mar" are a verb and the sea far more often than months."""
    word = match.group(1)
    if word in {"may", "mar", "jan", "jun", "jul", "sep", "oct", "nov", "dec", "feb", "apr"}:
        return not match.group(2) and not re.search(
            r"(?:by|in|until|before|en|para)\s+$", match.string[: match.start()]
        )
    return False


_SMALL_COUNTS = {"a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "half": 0}


def _count(words: str, start: int, numbers: list[NumberMention] | None) -> int | None:
    first = words.split(maxsplit=1)[0]
    if first.isdigit():
        return int(first)
    if first in _SMALL_COUNTS:
        return _SMALL_COUNTS[first] or None
    for number in numbers or ():
        if number.start == start and number.value == number.value.to_integral_value():
            return int(number.value)
    for language in ("en", "es"):
        try:
            return int(text2num(first, language))
        except ValueError:
            continue
    return None


def _shift(today: dt.date, count: int, unit: str) -> dt.date:
    if unit == "day":
        return today + dt.timedelta(days=count)
    if unit == "week":
        return today + dt.timedelta(weeks=count)
    if unit == "month":
        return add_months(today, count)
    return add_months(today, 12 * count)
