"""Extract typed facts from one free-text interview answer, in English or Spanish."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from xentri.ai.offline.analysis import Analysis
from xentri.ai.offline.dates import find_dates
from xentri.ai.offline.extract_audience import extract_audience, extract_tone
from xentri.ai.offline.extract_budget import extract_budgets
from xentri.ai.offline.extract_goals import extract_goals
from xentri.ai.offline.extract_identity import (
    bare_business_name,
    extract_business_names,
    extract_people,
    extract_team_size,
    extract_year_founded,
)
from xentri.ai.offline.extract_offerings import extract_offerings
from xentri.ai.offline.extract_places import extract_locations
from xentri.ai.offline.facts import Extraction, Fact, Language
from xentri.ai.offline.language import detect_language
from xentri.ai.offline.money import find_money
from xentri.ai.offline.numbers import find_number_mentions


class BriefSection(StrEnum):
    IDENTITY = "identity"
    OFFERINGS = "offerings"
    AUDIENCE = "audience"
    GOALS = "goals"
    BRAND_VOICE = "brand_voice"
    DIFFERENTIATORS = "differentiators"
    COMPETITORS = "competitors"
    CONSTRAINTS = "constraints"


def extract_facts(
    text: str,
    *,
    today: dt.date,
    language: Language | None = None,
    default_currency: str | None = None,
    expecting: BriefSection | None = None,
) -> Extraction:
    """Find the facts in an answer; ``expecting`` is the section the question asked about."""
    detected = detect_language(text, hint=language)
    numbers = find_number_mentions(text, language=detected)
    analysis = Analysis(
        text=text,
        language=detected,
        today=today,
        default_currency=default_currency,
        numbers=numbers,
        money=[],
        dates=find_dates(text, today=today, numbers=numbers),
    )
    people = extract_people(analysis)
    business = extract_business_names(analysis, people)
    locations = [
        place
        for place in extract_locations(analysis)
        if not any(b.span.start <= place.span.start < b.span.end for b in business)
    ]
    if expecting is BriefSection.IDENTITY and not (business or people or locations):
        business = bare_business_name(analysis)
    analysis.countries = [place.country for place in locations if place.country]
    analysis.money = find_money(
        text,
        language=detected,
        default_currency=default_currency,
        countries=analysis.countries,
        numbers=numbers,
    )
    analysis.claimed = [*business, *people, *locations]
    budgets, analysis.money = extract_budgets(
        analysis, expecting=expecting is BriefSection.CONSTRAINTS
    )
    goals = extract_goals(analysis, expecting_goal=expecting is BriefSection.GOALS)
    goal_spans = [(goal.span.start, goal.span.end) for goal in goals]
    facts: list[Fact] = [
        *business,
        *people,
        *locations,
        *extract_offerings(analysis, goals, expecting=expecting is BriefSection.OFFERINGS),
        *extract_audience(analysis, goal_spans, expecting=expecting is BriefSection.AUDIENCE),
        *goals,
        *extract_tone(analysis, expecting=expecting is BriefSection.BRAND_VOICE),
        *extract_team_size(analysis, goal_spans, expecting=expecting is BriefSection.CONSTRAINTS),
        *extract_year_founded(analysis),
        *budgets,
    ]
    facts.sort(key=lambda fact: (fact.span.start, fact.span.end))
    return Extraction(language=detected, facts=tuple(facts))
