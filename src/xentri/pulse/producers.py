"""How agents decide what deserves a Pulse item: producers per event type, judges per scope.

Each category's co-pilot registers, in its own `pulse.py`, a producer for the event types it
cares about (an event in, a draft or None out: importance is decided there, in its context) and
optionally a judge that re-weighs items promoted into its scopes. The composition of the
subscribers (`xentri.subscriptions`) hands every registration one `PulseProducers`; this package
never imports a category (ADR 0020).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.contracts.events import SystemEvent
from xentri.contracts.pulse import STRATEGY_SCOPE, ScopeLevel

MAX_KEY_LENGTH = 200
# A value of `params`: plain text, or the same text by language (a module's catalogue names).
Param = str | Mapping[str, str]


@dataclass(frozen=True)
class PulseDraft:
    """What a producer proposes; the Pulse stores it as an item of the event's org.

    `title` and `summary` are message ids of the catalogs (marked with N_) whose `%(name)s`
    placeholders `params` fills, so each reader gets their own language; an agent's free text
    works as well (no placeholders, no params).
    """

    scope: str
    importance: int  # 1 (most important) to 5
    title: str
    summary: str = ""
    params: Mapping[str, Param] = field(default_factory=dict)
    action_required: bool = False
    action_url: str | None = None
    expires_at: datetime | None = None
    promote: bool = False  # ask the parent scope to judge it for its own Pulse
    # The producer's name for the fact ("finance.invoice_overdue:<id>"): one item per key and
    # scope, and what a withdrawer names when the fact is over (the item leaves every level).
    key: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.importance <= 5:
            raise ValueError("importance is 1 (highest) to 5")
        if self.key is not None and not 0 < len(self.key) <= MAX_KEY_LENGTH:
            raise ValueError(f"a pulse key is 1 to {MAX_KEY_LENGTH} characters")


@dataclass(frozen=True)
class Candidate:
    """An item a child scope marked for its parent, as the parent's judge sees it."""

    scope: str
    importance: int
    title: str
    params: Mapping[str, Param]
    action_required: bool


Producer = Callable[[SystemEvent, AsyncSession], Awaitable[PulseDraft | None]]
# The keys of the items an event ends (e.g. an invoice paid: its overdue item); none: nothing.
Withdrawer = Callable[[SystemEvent, AsyncSession], Awaitable[Sequence[str]]]
# The parent's importance for the candidate in its own context; None: not worth its Pulse.
Judge = Callable[[Candidate, str, AsyncSession], Awaitable[int | None]]

# How important an item must still be (1 = highest) to enter a parent's Pulse: the higher the
# level, the more it sees, so the stricter it is. The Strategy Pulse keeps what survived.
THRESHOLDS: dict[ScopeLevel, int] = {"subcategory": 4, "category": 3, "strategy": 2}


async def keep_importance(candidate: Candidate, parent: str, tx: AsyncSession) -> int | None:
    """The judge of a scope nobody registered one for: the child's weighing stands, except that
    something needing action is one step more important higher up, where fewer items compete."""
    if candidate.action_required:
        return (
            max(1, candidate.importance - 1) if parent == STRATEGY_SCOPE else candidate.importance
        )
    return candidate.importance


class PulseProducers:
    """The producers and judges of one process, filled by each category's registration."""

    def __init__(self) -> None:
        self._producers: dict[str, list[Producer]] = {}
        self._judges: dict[str, Judge] = {}
        self._withdrawers: dict[str, list[Withdrawer]] = {}

    def produce(self, event_type: str, producer: Producer) -> None:
        self._producers.setdefault(event_type, []).append(producer)

    def withdraw(self, event_type: str, withdrawer: Withdrawer) -> None:
        """On `event_type`, withdraw the items whose `key` the withdrawer names, at every level
        they reached (their promoted copies carry the same key)."""
        self._withdrawers.setdefault(event_type, []).append(withdrawer)

    def judge(self, owner: str, judge: Judge) -> None:
        """`owner`: a category's scope (`category.finance`: promotions into its sub-categories
        and itself) or `strategy` (the judgment for the CEO briefing)."""
        if owner in self._judges:
            raise ValueError(f"{owner} already has a pulse judge")
        self._judges[owner] = judge

    def event_types(self) -> list[str]:
        return sorted(set(self._producers) | set(self._withdrawers))

    def producers_for(self, event_type: str) -> tuple[Producer, ...]:
        return tuple(self._producers.get(event_type, ()))

    def withdrawers_for(self, event_type: str) -> tuple[Withdrawer, ...]:
        return tuple(self._withdrawers.get(event_type, ()))

    def judge_for(self, parent: str, category: str | None) -> Judge:
        owner = STRATEGY_SCOPE if parent == STRATEGY_SCOPE else f"category.{category}"
        return self._judges.get(owner, keep_importance)
