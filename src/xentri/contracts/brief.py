"""The Universal Brief (seed ADR-001): what every agent knows about the business.

A typed document stored as JSONB, one version per approval. Every field is optional — a Brief
grows through the Strategy interview — and bounded, so a pasted novel cannot become a prompt.
Money is integer minor units with an ISO 4217 code, never a float.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class BriefSection(StrEnum):
    IDENTITY = "identity"
    OFFERINGS = "offerings"
    AUDIENCE = "audience"
    GOALS = "goals"
    BRAND_VOICE = "brand_voice"
    DIFFERENTIATORS = "differentiators"
    COMPETITORS = "competitors"
    CONSTRAINTS = "constraints"


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_Part):
    city: str | None = Field(default=None, max_length=120)
    region: str | None = Field(default=None, max_length=120)
    country: str | None = Field(default=None, max_length=120)


class Identity(_Part):
    name: str | None = Field(default=None, max_length=200)
    legal_name: str | None = Field(default=None, max_length=200)
    tagline: str | None = Field(default=None, max_length=300)
    mission: str | None = Field(default=None, max_length=2000)
    story: str | None = Field(default=None, max_length=5000)
    locations: tuple[Location, ...] = Field(default=(), max_length=20)
    languages: tuple[str, ...] = Field(default=(), max_length=10)  # BCP 47: "es", "en"
    year_founded: int | None = Field(default=None, ge=1800, le=2100)


class Offering(_Part):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    price_minor: int | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    unit: str | None = Field(default=None, max_length=60)  # "per hour", "por corte"
    for_whom: str | None = Field(default=None, max_length=500)


class Segment(_Part):
    name: str = Field(min_length=1, max_length=200)
    pains: tuple[str, ...] = Field(default=(), max_length=20)
    where: str | None = Field(default=None, max_length=500)  # where they are, where to reach them
    budget: str | None = Field(default=None, max_length=200)


class Audience(_Part):
    segments: tuple[Segment, ...] = Field(default=(), max_length=20)
    ideal_customer: str | None = Field(default=None, max_length=2000)


class Goal(_Part):
    statement: str = Field(min_length=1, max_length=500)
    metric: str | None = Field(default=None, max_length=200)
    target: str | None = Field(default=None, max_length=100)  # "10000 MXN/month", "50 clients"
    deadline: date | None = None


class BrandVoice(_Part):
    tone_words: tuple[str, ...] = Field(default=(), max_length=20)
    do: tuple[str, ...] = Field(default=(), max_length=20)
    dont: tuple[str, ...] = Field(default=(), max_length=20)
    sample_phrases: tuple[str, ...] = Field(default=(), max_length=20)


class Constraints(_Part):
    budget: str | None = Field(default=None, max_length=300)
    time: str | None = Field(default=None, max_length=300)
    team_size: int | None = Field(default=None, ge=1, le=100_000)


class Brief(_Part):
    """One version of an org's Universal Brief."""

    identity: Identity = Identity()
    offerings: tuple[Offering, ...] = Field(default=(), max_length=100)
    audience: Audience = Audience()
    goals: tuple[Goal, ...] = Field(default=(), max_length=50)
    brand_voice: BrandVoice = BrandVoice()
    differentiators: tuple[str, ...] = Field(default=(), max_length=30)
    competitors: tuple[str, ...] = Field(default=(), max_length=30)
    constraints: Constraints = Constraints()

    def changed_sections(self, other: Brief) -> tuple[BriefSection, ...]:
        """Sections whose content differs from `other`, in document order."""
        mine, theirs = self.model_dump(mode="json"), other.model_dump(mode="json")
        return tuple(name for name in BriefSection if mine[name.value] != theirs[name.value])
