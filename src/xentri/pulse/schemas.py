"""API models of the Pulse."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xentri.contracts.pulse import PULSE_SCOPE_PATTERN, PulseItem
from xentri.pulse import scopes


def _known(value: str) -> str:
    if scopes.find(value) is None:
        raise ValueError("not a scope of the catalogue")
    return value


class PulseRead(BaseModel):
    scope: str = Field(examples=["category.finance"])
    summary: list[str] = Field(
        description="The Strategy Pulse's synthesized summary (empty at other levels)."
    )
    items: list[PulseItem]
    origins: dict[str, str] = Field(
        description="Promoted item id → the scope of the item it came from (drill-down)."
    )


class LastScopeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: str = Field(pattern=PULSE_SCOPE_PATTERN, max_length=120)

    _exists = field_validator("scope")(_known)


class MemberScopesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scopes: list[str] = Field(
        max_length=7, description="Category scopes (`category.finance`); empty: every category."
    )

    @field_validator("scopes")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        for scope in value:
            if scope not in scopes.category_scopes():
                raise ValueError(f"{scope!r} is not a category scope")
        return value


class MemberScopesRead(BaseModel):
    user_id: uuid.UUID
    scopes: list[str]
