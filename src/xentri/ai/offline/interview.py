"""Choose the next interview question: what is missing first, then what is vague.

One question at a time, never one whose answer is known, each asked at most twice (the second
time saying so), in the owner's language and with the reason it was chosen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from xentri.ai.offline.extract import BriefSection, extract_facts
from xentri.ai.offline.facts import Extraction, GoalFact, Language, OfferingFact, Price
from xentri.ai.offline.interview_texts import QUESTIONS, REASONS, RETRY_PREFIX, SECTION_LABELS
from xentri.ai.offline.known import KnownFacts, KnownGoal, KnownOffering
from xentri.ai.offline.text import fold

MAX_ASKS = 2
_GENERIC_AUDIENCE = frozenset(
    {"everyone", "everybody", "anyone", "people", "all", "todos", "todo el mundo", "gente",
     "cualquiera", "cualquier persona", "la gente", "todas las personas", "clientes", "customers"}
)  # fmt: skip


class Question(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # "identity.name", "offerings.price.0"...
    section: BriefSection
    kind: Literal["missing", "vague"]
    text: str
    reason: str
    language: Language


_Check = Callable[[KnownFacts], bool]
# In the order they are asked: each with the test that says its answer is still missing.
_MISSING: tuple[tuple[str, BriefSection, _Check], ...] = (
    ("identity.name", BriefSection.IDENTITY, lambda k: k.identity.name is None),
    ("offerings", BriefSection.OFFERINGS, lambda k: not k.offerings),
    ("audience", BriefSection.AUDIENCE, lambda k: not k.audience),
    ("identity.location", BriefSection.IDENTITY,
     lambda k: not (k.identity.city or k.identity.region or k.identity.country)),
    ("goals", BriefSection.GOALS, lambda k: not k.goals),
    ("brand_voice", BriefSection.BRAND_VOICE, lambda k: not k.tone_words),
    ("differentiators", BriefSection.DIFFERENTIATORS, lambda k: not k.differentiators),
    ("competitors", BriefSection.COMPETITORS, lambda k: not k.competitors),
    ("constraints.team_size", BriefSection.CONSTRAINTS, lambda k: k.constraints.team_size is None),
    ("constraints.budget", BriefSection.CONSTRAINTS, lambda k: k.constraints.budget is None),
)  # fmt: skip


def next_question(known: KnownFacts, *, language: Language | None = None) -> Question | None:
    """The most useful question now, or None when the Brief can be drafted."""
    lang = language or known.language
    for question_id, section, missing in _MISSING:
        if missing(known) and known.asked.count(question_id) < MAX_ASKS:
            return _question(
                known, question_id, section=section, kind="missing", language=lang, values={}
            )
    for question_id, section, values in _vague(known):
        if known.asked.count(question_id) < MAX_ASKS:
            return _question(
                known, question_id, section=section, kind="vague", language=lang, values=values
            )
    return None


def _vague(known: KnownFacts) -> list[tuple[str, BriefSection, dict[str, str]]]:
    found: list[tuple[str, BriefSection, dict[str, str]]] = []
    for index, offering in enumerate(known.offerings):
        if offering.price is None and offering.name:
            found.append(
                (f"offerings.price.{index}", BriefSection.OFFERINGS, {"offering": offering.name})
            )
    for index, goal in enumerate(known.goals):
        values = {"goal": _short(goal.statement)}
        if goal.target is None and goal.target_money is None:
            found.append((f"goals.target.{index}", BriefSection.GOALS, values))
        if goal.deadline is None:
            found.append((f"goals.deadline.{index}", BriefSection.GOALS, values))
    if known.audience and all(fold(a) in _GENERIC_AUDIENCE for a in known.audience):
        found.append(("audience.specific", BriefSection.AUDIENCE, {}))
    return found


def _question(
    known: KnownFacts,
    question_id: str,
    *,
    section: BriefSection,
    kind: Literal["missing", "vague"],
    language: Language,
    values: dict[str, str],
) -> Question:
    template_key = question_id.rsplit(".", 1)[0] if question_id[-1].isdigit() else question_id
    text = QUESTIONS[language][template_key].format(**values)
    if known.asked.count(question_id):
        text = RETRY_PREFIX[language] + text
    reason_key = "missing" if kind == "missing" else template_key
    reason = REASONS[language][reason_key].format(
        section=SECTION_LABELS[language][template_key], **values
    )
    return Question(
        id=question_id, section=section, kind=kind, text=text, reason=reason, language=language
    )


_INTENT_PREFIX = re.compile(
    r"^(?:(?:we|i)\s+(?:want|would\s+like|'d\s+like|hope|plan|need)\s+to|"
    r"(?:our|my)\s+(?:goal|aim|plan)\s+is\s+(?:to\s+)?|goal:\s*|"
    r"(?:queremos|quiero|quisiera|quisiéramos|esperamos|planeamos|buscamos)|"
    r"(?:nuestra|mi)\s+meta\s+es|meta:|objetivo:|(?:nuestro|mi)\s+objetivo\s+es)\s*",
    re.IGNORECASE,
)


def _short(statement: str) -> str:
    """The goal as a phrase to quote back: "abrir una segunda sucursal"."""
    words = _INTENT_PREFIX.sub("", statement.strip()).rstrip(".!").split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def apply_answer(
    known: KnownFacts,
    question: Question | None,
    answer: str,
    *,
    today: dt.date,
    default_currency: str | None = None,
) -> KnownFacts:
    """Record an answer to ``question``: follow-ups complete their item, the rest merges."""
    expecting = question.section if question else None
    extraction = extract_facts(
        answer,
        today=today,
        language=question.language if question else known.language,
        default_currency=default_currency,
        expecting=expecting,
    )
    updated = known.mark_asked(question.id) if question else known
    if question is not None and question.kind == "vague":
        updated, extraction = _complete(updated, question, extraction)
    updated = updated.merge(extraction)
    if question is not None and question.section in {
        BriefSection.DIFFERENTIATORS,
        BriefSection.COMPETITORS,
    }:
        updated = updated.record_free_text(question.section, answer)
    return updated


def _complete(
    known: KnownFacts, question: Question, extraction: Extraction
) -> tuple[KnownFacts, Extraction]:
    """Put a follow-up's answer on the item it was about, and take it out of the extraction."""
    kind, _, index_text = question.id.rpartition(".")
    if not index_text.isdigit():
        return known, extraction
    index = int(index_text)
    facts = list(extraction.facts)
    if kind == "offerings.price" and index < len(known.offerings):
        priced = next((f for f in facts if isinstance(f, OfferingFact) and f.price), None)
        if priced is not None and priced.price is not None:
            facts.remove(priced)
            offerings = list(known.offerings)
            offerings[index] = KnownOffering(
                name=offerings[index].name,
                price=Price(money=priced.price.money, unit=priced.price.unit),
            )
            known = known.model_copy(update={"offerings": tuple(offerings)})
    elif kind.startswith("goals.") and index < len(known.goals):
        detail = next((f for f in facts if isinstance(f, GoalFact)), None)
        if detail is not None:
            facts.remove(detail)
            goals = list(known.goals)
            goals[index] = _completed_goal(goals[index], detail)
            known = known.model_copy(update={"goals": tuple(goals)})
    return known, extraction.model_copy(update={"facts": tuple(facts)})


def _completed_goal(goal: KnownGoal, detail: GoalFact) -> KnownGoal:
    return goal.model_copy(
        update={
            "target": goal.target if goal.target is not None else detail.target,
            "target_money": goal.target_money or detail.target_money,
            "metric": goal.metric or detail.metric,
            "per": goal.per or detail.per,
            "deadline": goal.deadline or detail.deadline,
        }
    )
