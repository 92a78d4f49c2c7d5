"""The offline engine: deterministic, pure-Python extraction, interviewing, writing and answers.

No I/O, no network, no model: what a Xentri user gets without an API key, and what tests run on.
"""

from xentri.ai.offline.currencies import minor_units
from xentri.ai.offline.dates import find_dates
from xentri.ai.offline.extract import BriefSection, extract_facts
from xentri.ai.offline.facts import (
    AudienceFact,
    BusinessNameFact,
    Extraction,
    Fact,
    FactKind,
    GoalFact,
    Language,
    LocationFact,
    Money,
    OfferingFact,
    PersonFact,
    Price,
    Span,
    TeamSizeFact,
    ToneFact,
    YearFoundedFact,
)
from xentri.ai.offline.language import detect_language
from xentri.ai.offline.money import find_money, parse_money, to_amount, to_minor_units
from xentri.ai.offline.numbers import parse_decimal

__all__ = [
    "AudienceFact",
    "BriefSection",
    "BusinessNameFact",
    "Extraction",
    "Fact",
    "FactKind",
    "GoalFact",
    "Language",
    "LocationFact",
    "Money",
    "OfferingFact",
    "PersonFact",
    "Price",
    "Span",
    "TeamSizeFact",
    "ToneFact",
    "YearFoundedFact",
    "detect_language",
    "extract_facts",
    "find_dates",
    "find_money",
    "minor_units",
    "parse_decimal",
    "parse_money",
    "to_amount",
    "to_minor_units",
]
