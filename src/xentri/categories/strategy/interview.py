"""The Strategy interview on the offline engine: one question at a time, each answer merged into
what is known, the Brief draft rebuilt from it. Pure: no I/O; the service persists the turn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from xentri.ai.offline import (
    KnownFacts,
    Language,
    Money,
    Question,
    apply_answer,
    format_money,
    next_question,
    summary,
)
from xentri.contracts.brief import (
    Audience,
    BrandVoice,
    Brief,
    Constraints,
    Goal,
    Identity,
    Location,
    Offering,
    Segment,
)

_READY = {
    "en": (
        "Thank you — I have what I need for a first draft of your Brief. Look at what I "
        "understood, and when it looks right, ask me to draft it."
    ),
    "es": (
        "Gracias, ya tengo lo necesario para un primer borrador de tu Brief. Revisa lo que "
        "entendí y, cuando te parezca bien, pídeme que lo redacte."
    ),
}
_AGAIN = {
    "en": "Sorry, I did not catch anything I could use there. ",
    "es": "Perdona, no encontré nada que pudiera usar en esa respuesta. ",
}


@dataclass(frozen=True)
class Turn:
    known: KnownFacts
    question: Question | None  # None: enough to draft
    reply: str
    understood: str


def opening(known: KnownFacts, *, language: Language) -> Turn:
    question = next_question(known, language=language)
    reply = question.text if question else _READY[language]
    return Turn(known, question, reply, summary(known, language=language))


def answer(
    known: KnownFacts,
    question: Question | None,
    text: str,
    *,
    language: Language,
    today: dt.date,
    default_currency: str | None,
) -> Turn:
    """Merge the owner's answer and choose what to ask next, in the owner's language."""
    updated = apply_answer(known, question, text, today=today, default_currency=default_currency)
    if _renamed_in_passing(known, updated, question):
        # A capitalised place in a later answer ("café de la Sierra Sur") reads like a business
        # name to the extractor; the name given when it was asked for stands (the owner can
        # still change it in the Brief editor).
        identity = updated.identity.model_copy(update={"name": known.identity.name})
        updated = updated.model_copy(update={"identity": identity})
    following = next_question(updated, language=language)
    if following is None:
        reply = _READY[language]
    elif _learned_nothing(known, updated) and question is not None:
        reply = _AGAIN[language] + following.text
    else:
        reply = following.text
    return Turn(updated, following, reply, summary(updated, language=language))


def brief_from(known: KnownFacts) -> Brief:
    """The draft Brief holding everything the interview established."""
    place = known.identity
    locations = (
        (Location(city=place.city, region=place.region, country=place.country),)
        if place.city or place.region or place.country
        else ()
    )
    return Brief(
        identity=Identity(
            name=place.name,
            locations=locations,
            languages=(known.language,),
            year_founded=place.year_founded,
        ),
        offerings=tuple(
            Offering(
                name=offering.name,
                price_minor=offering.price.money.minor_units if offering.price else None,
                currency=offering.price.money.currency if offering.price else None,
                unit=offering.price.unit if offering.price else None,
            )
            for offering in known.offerings
            if offering.name
        ),
        audience=Audience(segments=tuple(Segment(name=name) for name in known.audience)),
        goals=tuple(
            Goal(
                statement=goal.statement[:500],
                metric=goal.metric,
                target=_target(goal.target, goal.target_money, goal.per, known.language),
                deadline=goal.deadline,
            )
            for goal in known.goals
        ),
        brand_voice=BrandVoice(tone_words=known.tone_words),
        differentiators=known.differentiators,
        competitors=known.competitors,
        constraints=Constraints(
            team_size=known.constraints.team_size,
            budget=_budget(known),
        ),
    )


def _renamed_in_passing(before: KnownFacts, after: KnownFacts, question: Question | None) -> bool:
    return (
        before.identity.name is not None
        and after.identity.name != before.identity.name
        and question is not None
        and question.id != "identity.name"
    )


def _learned_nothing(before: KnownFacts, after: KnownFacts) -> bool:
    return before.model_copy(update={"asked": ()}) == after.model_copy(update={"asked": ()})


def _target(
    target: Decimal | None, money: Money | None, per: str | None, language: Language
) -> str | None:
    if money is not None:
        text = format_money(money, language=language)
    elif target is not None:
        text = str(target)
    else:
        return None
    return f"{text}/{per}" if per else text


def _budget(known: KnownFacts) -> str | None:
    budget = known.constraints.budget
    if budget is None:
        return None
    text = format_money(budget, language=known.language)
    return f"{text}/{known.constraints.budget_per}" if known.constraints.budget_per else text
