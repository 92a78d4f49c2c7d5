"""Typed facts the offline engine extracts from free text, each tied to its source span."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "es"]


class FactKind(StrEnum):
    BUSINESS_NAME = "business_name"
    PERSON = "person"
    OFFERING = "offering"
    AUDIENCE = "audience"
    LOCATION = "location"
    GOAL = "goal"
    TONE = "tone"
    TEAM_SIZE = "team_size"
    BUDGET = "budget"
    YEAR_FOUNDED = "year_founded"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """Character offsets into the analysed text: ``text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Money(_Frozen):
    """An amount in the currency's minor units (cents, centavos); never a float."""

    minor_units: int
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Price(_Frozen):
    money: Money
    unit: str | None = None  # normalised English key: "hour", "month", "session", "item"...


class _FactBase(_Frozen):
    span: Span
    text: str
    confidence: float = Field(ge=0.0, le=1.0)


class BusinessNameFact(_FactBase):
    kind: Literal[FactKind.BUSINESS_NAME] = FactKind.BUSINESS_NAME
    name: str


class PersonFact(_FactBase):
    kind: Literal[FactKind.PERSON] = FactKind.PERSON
    name: str
    role: str | None = None  # "owner" for the speaker, "partner", "family"...


class OfferingFact(_FactBase):
    kind: Literal[FactKind.OFFERING] = FactKind.OFFERING
    name: str | None
    price: Price | None = None


class AudienceFact(_FactBase):
    kind: Literal[FactKind.AUDIENCE] = FactKind.AUDIENCE
    segment: str


class LocationFact(_FactBase):
    kind: Literal[FactKind.LOCATION] = FactKind.LOCATION
    city: str | None = None
    region: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2


class GoalFact(_FactBase):
    kind: Literal[FactKind.GOAL] = FactKind.GOAL
    statement: str
    metric: str | None = None  # "revenue", "customers", "locations"...
    target: Decimal | None = None
    target_money: Money | None = None
    per: str | None = None  # the period a target is measured over: "month", "year"
    deadline: dt.date | None = None


class ToneFact(_FactBase):
    kind: Literal[FactKind.TONE] = FactKind.TONE
    word: str


class TeamSizeFact(_FactBase):
    kind: Literal[FactKind.TEAM_SIZE] = FactKind.TEAM_SIZE
    people: int = Field(ge=1)


class BudgetFact(_FactBase):
    kind: Literal[FactKind.BUDGET] = FactKind.BUDGET
    money: Money
    per: str | None = None  # "month", "year"
    purpose: str | None = None  # "marketing"


class YearFoundedFact(_FactBase):
    kind: Literal[FactKind.YEAR_FOUNDED] = FactKind.YEAR_FOUNDED
    year: int


Fact = Annotated[
    BusinessNameFact
    | PersonFact
    | OfferingFact
    | AudienceFact
    | LocationFact
    | GoalFact
    | ToneFact
    | TeamSizeFact
    | BudgetFact
    | YearFoundedFact,
    Field(discriminator="kind"),
]


class Extraction(_Frozen):
    """Everything found in one answer, in the order it appears in the text."""

    language: Language
    facts: tuple[Fact, ...] = ()

    def of_kind(self, kind: FactKind) -> tuple[Fact, ...]:
        return tuple(fact for fact in self.facts if fact.kind == kind)
