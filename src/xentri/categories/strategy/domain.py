"""The Brief generation flow (seed §10) as a pure state machine, and the Brief diff."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from xentri.contracts.brief import Brief, BriefSection
from xentri.kernel.errors import DomainError


class FlowState(StrEnum):
    INITIATED = "initiated"
    CONVERSING = "conversing"
    DRAFTING = "drafting"
    REVIEW_PENDING = "review_pending"
    EDITING = "editing"
    APPROVED = "approved"


class FlowAction(StrEnum):
    ANSWER = "answer"  # the owner answers; the co-pilot refines
    READY = "ready"  # the owner says: draft it
    DRAFTED = "drafted"  # the draft is generated
    REQUEST_CHANGES = "request_changes"  # in words or by editing fields
    RESUBMIT = "resubmit"  # edits done: back to review
    APPROVE = "approve"
    REVISE = "revise"  # after approval: start a new version


# What an owner may ask for through the API; `answer` comes with the interview and `drafted`
# from the drafting step.
OWNER_ACTIONS = (
    FlowAction.READY,
    FlowAction.REQUEST_CHANGES,
    FlowAction.RESUBMIT,
    FlowAction.APPROVE,
    FlowAction.REVISE,
)

# From the seed's diagram; `revise` starts the next version's flow from an approved Brief, and
# an owner still answering may keep answering once the draft is out (back to conversing).
TRANSITIONS: dict[tuple[FlowState, FlowAction], FlowState] = {
    (FlowState.INITIATED, FlowAction.ANSWER): FlowState.CONVERSING,
    (FlowState.CONVERSING, FlowAction.ANSWER): FlowState.CONVERSING,
    (FlowState.CONVERSING, FlowAction.READY): FlowState.DRAFTING,
    (FlowState.DRAFTING, FlowAction.DRAFTED): FlowState.REVIEW_PENDING,
    (FlowState.REVIEW_PENDING, FlowAction.REQUEST_CHANGES): FlowState.EDITING,
    (FlowState.EDITING, FlowAction.RESUBMIT): FlowState.REVIEW_PENDING,
    (FlowState.REVIEW_PENDING, FlowAction.APPROVE): FlowState.APPROVED,
    (FlowState.APPROVED, FlowAction.REVISE): FlowState.EDITING,
}


class IllegalTransitionError(DomainError):
    status = 409
    code = "illegal-transition"
    title = "Not possible in the Brief's current state"


def next_state(state: FlowState, action: FlowAction) -> FlowState:
    """The state after `action`, or a 409 naming what is possible now."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        allowed = sorted(a.value for (s, a) in TRANSITIONS if s == state)
        raise IllegalTransitionError(
            f"Cannot {action.value.replace('_', ' ')} while the Brief is "
            f"{state.value.replace('_', ' ')}.",
            state=state.value,
            allowed=allowed,
        ) from None


@dataclass(frozen=True)
class FieldChange:
    path: str  # "identity.name", "offerings[1].price_minor"
    before: Any
    after: Any


def diff(before: Brief, after: Brief) -> tuple[FieldChange, ...]:
    """Every leaf that differs between two versions, in document order."""
    changes: list[FieldChange] = []
    _walk("", before.model_dump(mode="json"), after.model_dump(mode="json"), changes)
    return tuple(changes)


def changed_sections(before: Brief | None, after: Brief) -> tuple[BriefSection, ...]:
    if before is None:
        return tuple(BriefSection)
    return after.changed_sections(before)


def _walk(path: str, before: Any, after: Any, out: list[FieldChange]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in list(before) + [k for k in after if k not in before]:
            child = f"{path}.{key}" if path else key
            _walk(child, before.get(key), after.get(key), out)
        return
    if isinstance(before, list) and isinstance(after, list):
        for index in range(max(len(before), len(after))):
            _walk(
                f"{path}[{index}]",
                before[index] if index < len(before) else None,
                after[index] if index < len(after) else None,
                out,
            )
        return
    if before != after:
        out.append(FieldChange(path=path, before=before, after=after))
