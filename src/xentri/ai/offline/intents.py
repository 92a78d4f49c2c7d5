"""What a data question is about, as a name: the same cue words the data answers route by.

The engine does not know which tools exist: a caller maps these names to the tools its agent
holds (`xentri.ai.copilot.offline`), so the engine stays pure and the mapping stays data.
"""

from __future__ import annotations

import re
from typing import Literal

from xentri.ai.offline.answers import (
    _CREATIVE,
    _OPEN,
    _OUTSTANDING,
    _OVERDUE,
    _REVENUE,
    _TOP_CUSTOMER,
    _TREND,
    _cue,
)
from xentri.ai.offline.text import fold

Intent = Literal[
    "who_owes", "overdue_invoices", "outstanding", "revenue_trend", "top_customer", "revenue",
    "pricing",
]  # fmt: skip
INTENTS: tuple[Intent, ...] = (
    "who_owes", "overdue_invoices", "outstanding", "revenue_trend", "top_customer", "revenue",
    "pricing",
)  # fmt: skip

_WHO_OWES = _cue(
    r"\bwho (?:still )?owes?\b", r"\bowes? me (?:money|anything)\b",
    r"\bwho (?:hasn't|has not) paid\b",
    r"\bquien(?:es)? (?:todavia |aun )?me deben?\b", r"\bme deben? dinero\b",
    r"\bquien(?:es)? no (?:me )?ha(?:n)? pagado\b",
)  # fmt: skip
# Asking for the price check by name is a data question (list price against what was
# invoiced), checked before the open-question cues: "suggest" alone still means advice.
_PRICING = _cue(
    r"\bpric(?:e|es|ing) (?:suggestions?|check|review|comparison)\b",
    r"\bsuggest(?:ed)? prices\b", r"\bcompare (?:my )?prices\b",
    r"\bhow (?:are|do) my prices\b", r"\bmy prices (?:vs|versus|against)\b",
    r"\bsugerencias? de precios?\b", r"\bsugiere(?:me)? precios\b",
    r"\bcompara(?:r)? (?:mis )?precios\b", r"\brevisa(?:r)? (?:mis )?precios\b",
    r"\bcomo (?:estan|van) mis precios\b",
)  # fmt: skip


# Most specific first, as the data answers route: a trend before a plain revenue figure,
# "who owes me" before "overdue". Each entry: the subject, the cues that must all match.
_ROUTES: tuple[tuple[Intent, tuple[re.Pattern[str], ...]], ...] = (
    ("revenue_trend", (_TREND, _REVENUE)),
    ("who_owes", (_WHO_OWES,)),
    ("overdue_invoices", (_OVERDUE,)),
    ("outstanding", (_OUTSTANDING,)),
    ("top_customer", (_TOP_CUSTOMER,)),
    ("revenue", (_REVENUE,)),
)


def question_intent(question: str) -> Intent | None:
    """The data question's subject; None for advice, writing, or anything else (the data
    answers and their "needs a cloud model" explanation take those)."""
    folded = fold(question)
    if _PRICING.search(folded):
        return "pricing"
    if _CREATIVE.search(folded) or _OPEN.search(folded):
        return None
    for intent, cues in _ROUTES:
        if all(cue.search(folded) for cue in cues):
            return intent
    return None
