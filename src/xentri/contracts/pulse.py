"""The Pulse item (seed ADR-011): one thing worth knowing, at one level of the hierarchy.

Scopes name a level and, below the top, a catalogue id: `strategy` (the CEO briefing),
`category.finance`, `subcategory.finance.billing`, `module.finance.invoicing`. The prefix keeps
the Strategy *category* (`category.strategy`) apart from the top level (`strategy`), which the
bare catalogue ids could not.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PULSE_SCOPE_PATTERN = (
    r"^(strategy"
    r"|category\.[a-z]+"
    r"|subcategory\.[a-z]+\.[a-z][a-z0-9_]*"
    r"|module\.[a-z]+\.[a-z][a-z0-9_]*)$"
)
_SCOPE = re.compile(PULSE_SCOPE_PATTERN)

ScopeLevel = Literal["strategy", "category", "subcategory", "module"]
# From the top down: the order the hierarchy is walked in.
SCOPE_LEVELS: tuple[ScopeLevel, ...] = ("strategy", "category", "subcategory", "module")
STRATEGY_SCOPE = "strategy"


def is_scope_shaped(value: str) -> bool:
    """Whether `value` has the grammar of a scope (the catalogue decides if it exists)."""
    return bool(_SCOPE.match(value))


def scope_level(scope: str) -> ScopeLevel:
    level = scope.split(".", 1)[0]
    if level not in SCOPE_LEVELS or not is_scope_shaped(scope):
        raise ValueError(f"{scope!r} is not a pulse scope")
    return level


class PulseItem(BaseModel):
    """What the API returns for one item; title and summary in the reader's language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: uuid.UUID
    scope: str = Field(pattern=PULSE_SCOPE_PATTERN, examples=["module.finance.invoicing"])
    source_event_id: uuid.UUID = Field(description="The event this item was produced from.")
    importance: int = Field(ge=1, le=5, description="1 is the most important.")
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(max_length=2000)
    action_required: bool
    action_url: str | None = Field(default=None, max_length=500)
    expires_at: datetime | None = Field(
        default=None, description="After this the item is no longer shown."
    )
    created_at: datetime
    promoted_from: uuid.UUID | None = Field(
        default=None, description="The child-scope item this one was promoted from."
    )
