"""What the Strategy Co-pilot recommends from the Brief, on the offline engine: which catalogue
modules to start with (each with the reason drawn from the Brief), and how to make each goal
SMART. A goal whose target and deadline are known but whose statement says neither gets a
rewrite built from its own parts; a goal without a target or a date gets a question, never a
number made up. (The configured model's version is in recommendations_model.)"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from babel.dates import format_date

from xentri.catalog import load_catalogue
from xentri.contracts.brief import Brief, Goal

MAX_MODULES = 6


@dataclass(frozen=True)
class ModuleRecommendation:
    module_id: str
    name: str
    status: str
    reason: str


@dataclass(frozen=True)
class GoalRewrite:
    """A SMART wording of a goal: what "Use this wording" puts in the Brief draft."""

    statement: str
    metric: str | None
    target: str | None
    deadline: dt.date | None


@dataclass(frozen=True)
class GoalRecommendation:
    index: int  # the goal's place in the Brief's goals (goals have no id of their own)
    statement: str  # the goal as the Brief states it
    missing: tuple[str, ...]  # "target", "deadline"
    advice: str
    rewrite: GoalRewrite | None = None
    source: str = "offline"  # "model" when the configured model wrote this one


# A thousands separator between digits ("8,000", "1.200", "10 000"), dropped before numbers
# are compared.
_THOUSANDS = re.compile(r"(?<=\d)[.,\u00a0 ](?=\d{3}(?!\d))")

_CUSTOMER_WORDS = ("customer", "client", "member", "student", "lead", "cliente", "socio", "alumno")

# (module, condition on the Brief, reason in en and es): checked in this order, the first six
# that apply are recommended.
_Rule = tuple[str, Callable[[Brief], bool], dict[str, Callable[[Brief], str]]]
_RULES: tuple[_Rule, ...] = (
    (
        "finance.invoicing",
        lambda b: any(o.price_minor is not None for o in b.offerings),
        {
            "en": lambda b: f"You sell {_first_priced(b)}: invoice it and get paid on time.",
            "es": lambda b: f"Vendes {_first_priced(b)}: factúralo y cobra a tiempo.",
        },
    ),
    (
        "sales.contacts",
        lambda b: (
            any(_mentions(g.statement, _CUSTOMER_WORDS) for g in b.goals)
            or bool(b.audience.segments)
        ),
        {
            "en": lambda b: (
                "Your goals and audience are about people: keep every customer in one place."
            ),
            "es": lambda b: (
                "Tus metas y tu público son personas: ten a cada cliente en un solo lugar."
            ),
        },
    ),
    (
        "strategy.goals_okrs",
        lambda b: bool(b.goals),
        {
            "en": lambda b: f"Track “{b.goals[0].statement}” with key results you update weekly.",
            "es": lambda b: (
                f"Da seguimiento a «{b.goals[0].statement}» con resultados clave semanales."
            ),
        },
    ),
    (
        "finance.financial_reports",
        lambda b: any(g.target and any(c.isdigit() for c in g.target) for g in b.goals),
        {
            "en": lambda b: "A goal has a number: see revenue month by month against it.",
            "es": lambda b: "Una meta tiene un número: compara tus ingresos mes a mes con ella.",
        },
    ),
    (
        "brand.business_listings",
        lambda b: any(loc.city for loc in b.identity.locations),
        {
            "en": lambda b: f"Be found by people searching in {_city(b)}.",
            "es": lambda b: f"Que te encuentren quienes buscan en {_city(b)}.",
        },
    ),
    (
        "brand.brand_voice",
        lambda b: bool(b.brand_voice.tone_words),
        {
            "en": lambda b: f"Keep every message {', '.join(b.brand_voice.tone_words[:3])}.",
            "es": lambda b: f"Que cada mensaje suene {', '.join(b.brand_voice.tone_words[:3])}.",
        },
    ),
    (
        "strategy.competitor_tracker",
        lambda b: bool(b.competitors),
        {
            "en": lambda b: f"Keep an eye on {b.competitors[0]}.",
            "es": lambda b: f"No pierdas de vista a {b.competitors[0]}.",
        },
    ),
    (
        "team.shift_planning",
        lambda b: (b.constraints.team_size or 0) > 2,
        {
            "en": lambda b: f"{b.constraints.team_size} people: plan who works when.",
            "es": lambda b: f"{b.constraints.team_size} personas: organiza quién trabaja y cuándo.",
        },
    ),
    (
        "finance.budgets",
        lambda b: bool(b.constraints.budget),
        {
            "en": lambda b: f"Your budget is {b.constraints.budget}: watch spending against it.",
            "es": lambda b: f"Tu presupuesto es {b.constraints.budget}: vigila el gasto contra él.",
        },
    ),
)


def recommend_modules(brief: Brief, *, language: str) -> list[ModuleRecommendation]:
    entries = {entry.module.id: entry for entry in load_catalogue().entries()}
    found: list[ModuleRecommendation] = []
    for module_id, applies, reasons in _RULES:
        if len(found) == MAX_MODULES:
            break
        entry = entries.get(module_id)
        if entry is None or not applies(brief):
            continue
        found.append(
            ModuleRecommendation(
                module_id=module_id,
                name=entry.module.name.in_language(language),
                status=entry.module.status,
                reason=reasons["es" if language == "es" else "en"](brief),
            )
        )
    return found


def recommend_goals(brief: Brief, *, language: str) -> list[GoalRecommendation]:
    """Advice for every goal that is not SMART yet, in the Brief's order."""
    return [
        _smart(index, goal, language) for index, goal in enumerate(brief.goals) if needs_work(goal)
    ]


def needs_work(goal: Goal) -> bool:
    """A goal needs work when its target or deadline is unknown, or when its statement does not
    say the target's number ("More customers" with a target of 50)."""
    return bool(missing_parts(goal)) or not numbers_in(goal.target or "") <= numbers_in(
        goal.statement
    )


def missing_parts(goal: Goal) -> tuple[str, ...]:
    return tuple(
        part
        for part, absent in (
            ("target", not goal.target),
            ("deadline", goal.deadline is None),
        )
        if absent
    )


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, as plain digit strings: "8,000.00" and "8000" both hold
    "8000"; leading zeros do not count ("06" is "6")."""
    joined = _THOUSANDS.sub("", text)
    return {run.lstrip("0") or "0" for run in re.findall(r"\d+", joined)}


def day_text(day: dt.date, language: str) -> str:
    """ "30 June 2027" / "30 de junio de 2027"."""
    if language == "es":
        return str(format_date(day, "d 'de' MMMM 'de' y", locale="es_MX"))
    return str(format_date(day, "d MMMM y", locale="en_GB"))


def asking(missing: tuple[str, ...], statement: str, language: str) -> str:
    """The question for what a goal still lacks (no number in it but the owner's own)."""
    es = language == "es"
    asks = {
        "target": "¿cuánto exactamente?" if es else "how much, exactly?",
        "deadline": "¿para cuándo?" if es else "by when?",
    }
    questions = " ".join(asks[part] for part in missing)
    return (
        f"Para que «{statement}» sea medible, dime {questions}"
        if es
        else f"To make “{statement}” measurable, tell me {questions}"
    )


def _smart(index: int, goal: Goal, language: str) -> GoalRecommendation:
    if not goal.target or goal.deadline is None:
        missing = missing_parts(goal)
        return GoalRecommendation(
            index=index,
            statement=goal.statement,
            missing=missing,
            advice=asking(missing, goal.statement, language),
        )
    rewrite = GoalRewrite(
        statement=_worded(goal.target, goal.metric, goal.deadline, language),
        metric=goal.metric,
        target=goal.target,
        deadline=goal.deadline,
    )
    advice = (
        f"Di la meta con su número y su fecha: «{rewrite.statement}»."
        if language == "es"
        else f"Say the goal with its number and date: “{rewrite.statement}”."
    )
    return GoalRecommendation(
        index=index, statement=goal.statement, missing=(), advice=advice, rewrite=rewrite
    )


def _worded(target: str, metric: str | None, deadline: dt.date, language: str) -> str:
    # A bare number ("50") takes the metric's words ("50 customers"); a target that has its
    # own words ("10000 MXN/month") is said as it is.
    amount = target.strip()
    if metric and not any(c.isalpha() for c in amount):
        amount = f"{amount} {metric.strip()}"
    day = day_text(deadline, language)
    return f"Llegar a {amount} para el {day}" if language == "es" else f"Reach {amount} by {day}"


def _first_priced(brief: Brief) -> str:
    return next(o.name for o in brief.offerings if o.price_minor is not None)


def _city(brief: Brief) -> str:
    return next(loc.city for loc in brief.identity.locations if loc.city)


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    return any(word in folded for word in words)
