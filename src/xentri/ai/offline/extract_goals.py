"""Goals: a target number or amount, what it measures, and a deadline resolved to a date."""

from __future__ import annotations

import re
from decimal import Decimal

from xentri.ai.offline.analysis import Analysis, span
from xentri.ai.offline.dates import DateMention
from xentri.ai.offline.facts import GoalFact
from xentri.ai.offline.text import clean_phrase, fold, sentence_bounds

_PART_SPLIT = re.compile(
    r",?\s+(?:and\s+(?:also\s+)?|y\s+(?:también\s+)?|e\s+|plus\s+|además\s+de\s+)|;\s*",
    re.IGNORECASE,
)
_PER_PERIOD = re.compile(
    r"^\s*(?:/\s*|per\s+|a\s+|an\s+|al\s+|por\s+|cada\s+|each\s+|every\s+)?"
    r"(month|mes|year|año|week|semana|day|día|mo)\b|^\s*(monthly|mensuales|mensual|yearly|"
    r"annually|anuales|anual|weekly|semanales|daily|diarios|diarias|diario)\b",
    re.IGNORECASE,
)
_PERIODS = {
    "month": "month", "mes": "month", "mo": "month", "monthly": "month", "mensuales": "month",
    "mensual": "month", "year": "year", "año": "year", "yearly": "year", "annually": "year",
    "anuales": "year", "anual": "year", "week": "week", "semana": "week", "weekly": "week",
    "semanales": "week", "day": "day", "día": "day", "daily": "day", "diario": "day",
    "diarios": "day", "diarias": "day",
}  # fmt: skip


_LEADING_JOIN = re.compile(r"^(?:and|y|e|also|también|plus)\s+", re.IGNORECASE)


def _mentions(part: str, cues: tuple[str, ...]) -> bool:
    folded = fold(part)
    return any(re.search(rf"(?<!\w){re.escape(fold(cue))}(?!\w)", folded) for cue in cues)


def extract_goals(analysis: Analysis, *, expecting_goal: bool = False) -> list[GoalFact]:
    text, lexicon = analysis.text, analysis.lexicon
    goals: list[GoalFact] = []
    masked = text
    for fact in analysis.claimed:
        masked = (
            masked[: fact.span.start]
            + " " * (fact.span.end - fact.span.start)
            + masked[fact.span.end :]
        )
    for sentence_start, sentence_end in sentence_bounds(text):
        sentence_dates = [
            d
            for d in analysis.dates
            if sentence_start <= d.start < sentence_end and d.value >= analysis.today
        ]
        previous_was_goal = False
        for part_start, part_end in _parts(text, sentence_start, sentence_end, analysis):
            # Names are not intentions: "Sí Quiero Eventos" wants nothing.
            part = masked[part_start:part_end]
            intends = expecting_goal or _mentions(part, lexicon.goal_cues)
            grows = _mentions(part, lexicon.growth_verbs)
            # "Open since 2014" is history, "open a second shop in March" a goal: a growth verb
            # alone needs a future date, or to continue a goal begun earlier in the sentence.
            continues = previous_was_goal and (
                grows or _has_quantity(analysis, part_start, part_end)
            )
            if not (intends or continues or (grows and sentence_dates)):
                previous_was_goal = False
                continue
            goal = _goal_in(analysis, part_start, part_end, sentence_dates)
            previous_was_goal = goal is not None
            if goal is not None:
                goals.append(goal)
    return goals


def _parts(text: str, start: int, end: int, analysis: Analysis) -> list[tuple[int, int]]:
    """Split a sentence where each side carries its own number ("50 clients and 2 shops")."""
    cuts = [start]
    for match in _PART_SPLIT.finditer(text, start, end):
        cuts.append(match.start())
    cuts.append(end)
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
    merged: list[tuple[int, int]] = []
    for piece in pieces:
        if (merged and not _has_quantity(analysis, *piece)) or (
            merged and not _has_quantity(analysis, *merged[-1])
        ):
            merged[-1] = (merged[-1][0], piece[1])
        else:
            merged.append(piece)
    return merged


def _has_quantity(analysis: Analysis, start: int, end: int) -> bool:
    return any(
        start <= n.start < end and not n.article and not n.is_year for n in analysis.numbers
    ) or any(start <= m.start < end for m in analysis.money)


def _goal_in(
    analysis: Analysis, start: int, end: int, sentence_dates: list[DateMention]
) -> GoalFact | None:
    text, lexicon = analysis.text, analysis.lexicon
    part = text[start:end]
    dates = [d for d in analysis.dates if start <= d.start < end and d.value >= analysis.today]
    money = [m for m in analysis.money if start <= m.start < end]
    in_dates = [(d.start, d.end) for d in analysis.dates]
    numbers = [
        n
        for n in analysis.numbers
        if start <= n.start < end
        and not n.article
        and not n.is_year
        and not any(s <= n.start < e for s, e in in_dates)
        and not any(m.start <= n.start < m.end for m in money)
    ]
    metric, metric_at = _metric(part, lexicon.metrics)
    target: Decimal | None = None
    if numbers:
        near_metric = [n for n in numbers if metric_at is not None and n.start - start <= metric_at]
        chosen = near_metric[-1] if near_metric else numbers[0]
        target = chosen.value
        if target == target.to_integral_value():
            target = Decimal(int(target))
    deadline = dates[0].value if dates else None
    if deadline is None and sentence_dates:
        deadline = sentence_dates[0].value
    if target is None and not money and not (deadline or metric):
        return None
    target_money = money[0].money if money else None
    per = period_after(text[:end], money[0].end)[0] if money else None
    if target_money is not None and metric is None:
        metric = "revenue"
    return GoalFact(
        statement=_LEADING_JOIN.sub("", clean_phrase(part)),
        metric=metric,
        target=target,
        target_money=target_money,
        per=per,
        deadline=deadline,
        span=span(start, end),
        text=part,
        confidence=0.8 if (target is not None or target_money is not None) else 0.6,
    )


def period_after(text: str, position: int) -> tuple[str | None, int | None]:
    """The period an amount is counted over, right after it: "/month", "al mes", "anuales"."""
    period = _PER_PERIOD.match(text[position:])
    if not period:
        return None, None
    word = (period.group(1) or period.group(2)).lower()
    return _PERIODS.get(word), position + period.end()


def _metric(part: str, metrics: dict[str, str]) -> tuple[str | None, int | None]:
    for match in re.finditer(r"[^\W\d_]+", part):
        key = metrics.get(fold(match.group()))
        if key is not None:
            return key, match.start()
    return None, None
