"""The offline engine: deterministic, pure-Python extraction, interviewing, writing and answers.

No I/O, no network, no model: what a Xentri user gets without an API key, and what tests run on.
"""

from xentri.ai.offline.answers import Answer, DataAnswer, NeedsCloudModel, answer_question
from xentri.ai.offline.currencies import minor_units
from xentri.ai.offline.data import CustomerRecord, DataContext, EventRecord, InvoiceRecord
from xentri.ai.offline.dates import find_dates
from xentri.ai.offline.extract import BriefSection, extract_facts
from xentri.ai.offline.facts import (
    AudienceFact,
    BudgetFact,
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
from xentri.ai.offline.formatting import format_money, join_list, locale_for
from xentri.ai.offline.intents import INTENTS, Intent, question_intent
from xentri.ai.offline.interview import Question, apply_answer, next_question
from xentri.ai.offline.known import Constraints, Identity, KnownFacts, KnownGoal, KnownOffering
from xentri.ai.offline.language import detect_language
from xentri.ai.offline.money import find_money, parse_money, to_amount, to_minor_units
from xentri.ai.offline.numbers import parse_decimal
from xentri.ai.offline.writer import about_us, mission, summary, tagline

__all__ = [
    "INTENTS",
    "Answer",
    "AudienceFact",
    "BriefSection",
    "BudgetFact",
    "BusinessNameFact",
    "Constraints",
    "CustomerRecord",
    "DataAnswer",
    "DataContext",
    "EventRecord",
    "Extraction",
    "Fact",
    "FactKind",
    "GoalFact",
    "Identity",
    "Intent",
    "InvoiceRecord",
    "KnownFacts",
    "KnownGoal",
    "KnownOffering",
    "Language",
    "LocationFact",
    "Money",
    "NeedsCloudModel",
    "OfferingFact",
    "PersonFact",
    "Price",
    "Question",
    "Span",
    "TeamSizeFact",
    "ToneFact",
    "YearFoundedFact",
    "about_us",
    "answer_question",
    "apply_answer",
    "detect_language",
    "extract_facts",
    "find_dates",
    "find_money",
    "format_money",
    "join_list",
    "locale_for",
    "minor_units",
    "mission",
    "next_question",
    "parse_decimal",
    "parse_money",
    "question_intent",
    "summary",
    "tagline",
    "to_amount",
    "to_minor_units",
]
