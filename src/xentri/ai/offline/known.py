"""What the interview knows so far, grouped by the Universal Brief's sections."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from xentri.ai.offline.extract import BriefSection
from xentri.ai.offline.facts import (
    AudienceFact,
    BudgetFact,
    BusinessNameFact,
    Extraction,
    GoalFact,
    Language,
    LocationFact,
    Money,
    OfferingFact,
    PersonFact,
    Price,
    TeamSizeFact,
    ToneFact,
    YearFoundedFact,
)
from xentri.ai.offline.text import clean_phrase, fold


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KnownOffering(_Frozen):
    name: str | None
    price: Price | None = None


class KnownGoal(_Frozen):
    statement: str
    metric: str | None = None
    target: Decimal | None = None
    target_money: Money | None = None
    per: str | None = None
    deadline: dt.date | None = None


class Identity(_Frozen):
    name: str | None = None
    owner: str | None = None
    people: tuple[str, ...] = ()
    city: str | None = None
    region: str | None = None
    country: str | None = None
    year_founded: int | None = None


class Constraints(_Frozen):
    team_size: int | None = None
    budget: Money | None = None
    budget_per: str | None = None  # "month", "year"
    notes: tuple[str, ...] = ()


class KnownFacts(_Frozen):
    """The Brief as far as the interview got; every update returns a new value."""

    language: Language = "en"
    identity: Identity = Identity()
    offerings: tuple[KnownOffering, ...] = ()
    audience: tuple[str, ...] = ()
    goals: tuple[KnownGoal, ...] = ()
    tone_words: tuple[str, ...] = ()
    differentiators: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    constraints: Constraints = Constraints()
    asked: tuple[str, ...] = ()  # question ids already put to the owner

    def merge(self, extraction: Extraction) -> KnownFacts:
        """Add what an answer said; a later statement of the same thing replaces the earlier."""
        identity = self.identity
        offerings = list(self.offerings)
        audience = list(self.audience)
        goals = list(self.goals)
        tones = list(self.tone_words)
        team_size = self.constraints.team_size
        budget = (self.constraints.budget, self.constraints.budget_per)
        for fact in extraction.facts:
            if isinstance(fact, BusinessNameFact) and (
                identity.name is None or fact.confidence >= 0.7
            ):
                identity = identity.model_copy(update={"name": fact.name})
            elif isinstance(fact, PersonFact):
                update: dict[str, object] = {"people": _add(identity.people, fact.name)}
                if fact.role == "owner" or (identity.owner is None and fact.role is None):
                    update["owner"] = fact.name
                identity = identity.model_copy(update=update)
            elif isinstance(fact, LocationFact) and identity.city is None:
                identity = identity.model_copy(
                    update={"city": fact.city, "region": fact.region, "country": fact.country}
                )
            elif isinstance(fact, YearFoundedFact):
                identity = identity.model_copy(update={"year_founded": fact.year})
            elif isinstance(fact, OfferingFact):
                offerings = _merge_offering(offerings, fact)
            elif isinstance(fact, AudienceFact):
                audience = list(_add(tuple(audience), fact.segment))
            elif isinstance(fact, GoalFact):
                goals.append(_known_goal(fact))
            elif isinstance(fact, ToneFact):
                tones = list(_add(tuple(tones), fact.word))
            elif isinstance(fact, TeamSizeFact):
                team_size = fact.people
            elif isinstance(fact, BudgetFact):
                budget = (fact.money, fact.per)
        return self.model_copy(
            update={
                "language": extraction.language,
                "identity": identity,
                "offerings": tuple(offerings),
                "audience": tuple(audience),
                "goals": tuple(goals),
                "tone_words": tuple(tones),
                "constraints": self.constraints.model_copy(
                    update={"team_size": team_size, "budget": budget[0], "budget_per": budget[1]}
                ),
            }
        )

    def record_free_text(self, section: BriefSection, answer: str) -> KnownFacts:
        """Keep an answer whose facts are phrases, not values: differentiators, competitors."""
        phrase = clean_phrase(answer)[:500].rstrip(".")
        if not phrase:
            return self
        if section is BriefSection.DIFFERENTIATORS:
            return self.model_copy(update={"differentiators": _add(self.differentiators, phrase)})
        if section is BriefSection.COMPETITORS:
            names = [clean_phrase(p) for p in re.split(r",|;|\s+(?:and|y|e|or|o)\s+", phrase)]
            competitors = self.competitors
            for name in names:
                if name:
                    competitors = _add(competitors, name)
            return self.model_copy(update={"competitors": competitors})
        if section is BriefSection.CONSTRAINTS:
            notes = _add(self.constraints.notes, phrase)
            return self.model_copy(
                update={"constraints": self.constraints.model_copy(update={"notes": notes})}
            )
        return self

    def mark_asked(self, question_id: str) -> KnownFacts:
        """Count one more asking; repeats are kept, since a question may be asked twice."""
        return self.model_copy(update={"asked": (*self.asked, question_id)})


def _add(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    if any(fold(existing) == fold(value) for existing in values):
        return values
    return (*values, value)


def _merge_offering(offerings: list[KnownOffering], fact: OfferingFact) -> list[KnownOffering]:
    for index, known in enumerate(offerings):
        same_name = fact.name and known.name and fold(fact.name) == fold(known.name)
        # A price answered on its own ("$25 an hour") completes the first offering without one.
        completes = fact.name is None and fact.price is not None and known.price is None
        if same_name or completes:
            offerings[index] = KnownOffering(
                name=known.name or fact.name, price=fact.price or known.price
            )
            return offerings
    offerings.append(KnownOffering(name=fact.name, price=fact.price))
    return offerings


def _known_goal(fact: GoalFact) -> KnownGoal:
    return KnownGoal(
        statement=fact.statement,
        metric=fact.metric,
        target=fact.target,
        target_money=fact.target_money,
        per=fact.per,
        deadline=fact.deadline,
    )
