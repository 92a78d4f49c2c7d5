"""Periods a data question names: "this month", "el mes pasado", "last 30 days"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import format_date

from xentri.ai.offline.dates import end_of_month
from xentri.ai.offline.facts import Language

_LABELS: dict[str, dict[Language, str]] = {
    "today": {"en": "today", "es": "hoy"},
    "this_week": {"en": "this week", "es": "esta semana"},
    "last_week": {"en": "last week", "es": "la semana pasada"},
    "this_month": {"en": "this month", "es": "este mes"},
    "last_month": {"en": "last month", "es": "el mes pasado"},
    "this_year": {"en": "this year", "es": "este año"},
    "last_year": {"en": "last year", "es": "el año pasado"},
    "last_days": {"en": "in the last {days} days", "es": "en los últimos {days} días"},
}


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    key: str
    days: int = 0

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def label(self, language: Language) -> str:
        if self.key == "month":
            pattern = "MMMM y" if language == "en" else "MMMM 'de' y"
            return ("in " if language == "en" else "en ") + str(
                format_date(self.start, pattern, locale=language)
            )
        return _LABELS[self.key][language].format(days=self.days)


def month_of(day: dt.date, *, today: dt.date) -> Period:
    start = day.replace(day=1)
    key = "this_month" if (start.year, start.month) == (today.year, today.month) else "month"
    previous = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if start == previous:
        key = "last_month"
    return Period(start=start, end=end_of_month(start.year, start.month), key=key)


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("last_days", re.compile(r"\b(?:last|past|ultimos)\s+(\d+)\s+(?:days|dias)\b")),
    ("today", re.compile(r"\b(?:today|hoy)\b")),
    ("last_week", re.compile(r"\b(?:last week|semana pasada)\b")),
    ("this_week", re.compile(r"\b(?:this week|esta semana)\b")),
    ("last_month", re.compile(r"\b(?:last month|mes pasado|mes anterior)\b")),
    ("this_month", re.compile(r"\b(?:this month|este mes|en el mes)\b")),
    ("last_year", re.compile(r"\b(?:last year|ano pasado)\b")),
    ("this_year", re.compile(r"\b(?:this year|este ano|en el ano)\b")),
)


def find_period(folded_question: str, *, today: dt.date) -> Period | None:
    """The period a folded (lower-case, accent-free) question names, if any."""
    for key, pattern in _PATTERNS:
        match = pattern.search(folded_question)
        if match is None:
            continue
        if key == "last_days":
            days = int(match.group(1))
            return Period(start=today - dt.timedelta(days=days - 1), end=today, key=key, days=days)
        if key == "today":
            return Period(start=today, end=today, key=key)
        if key in {"this_week", "last_week"}:
            monday = today - dt.timedelta(days=today.weekday())
            if key == "last_week":
                monday -= dt.timedelta(days=7)
            return Period(start=monday, end=monday + dt.timedelta(days=6), key=key)
        if key in {"this_month", "last_month"}:
            day = today if key == "this_month" else today.replace(day=1) - dt.timedelta(days=1)
            return month_of(day, today=today)
        year = today.year if key == "this_year" else today.year - 1
        return Period(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), key=key)
    return None
