"""The Brief generation flow: every legal transition, every illegal one refused with a 409."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.categories.strategy.domain import (
    TRANSITIONS,
    FieldChange,
    FlowAction,
    FlowState,
    IllegalTransitionError,
    changed_sections,
    diff,
    next_state,
)
from xentri.contracts.brief import Brief, BriefSection, Goal, Identity, Offering

LEGAL = [
    (FlowState.INITIATED, FlowAction.ANSWER, FlowState.CONVERSING),
    (FlowState.CONVERSING, FlowAction.ANSWER, FlowState.CONVERSING),
    (FlowState.CONVERSING, FlowAction.READY, FlowState.DRAFTING),
    (FlowState.DRAFTING, FlowAction.DRAFTED, FlowState.REVIEW_PENDING),
    (FlowState.REVIEW_PENDING, FlowAction.REQUEST_CHANGES, FlowState.EDITING),
    (FlowState.EDITING, FlowAction.RESUBMIT, FlowState.REVIEW_PENDING),
    (FlowState.REVIEW_PENDING, FlowAction.APPROVE, FlowState.APPROVED),
    (FlowState.APPROVED, FlowAction.REVISE, FlowState.EDITING),
]


@pytest.mark.parametrize(("state", "action", "after"), LEGAL)
def test_legal_transitions(state, action, after):
    assert next_state(state, action) is after


def test_the_table_is_exactly_the_legal_list():
    assert {(s, a): t for s, a, t in LEGAL} == TRANSITIONS


ILLEGAL = [
    (state, action)
    for state, action in itertools.product(FlowState, FlowAction)
    if (state, action) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_transitions_are_409_naming_what_is_allowed(state, action):
    with pytest.raises(IllegalTransitionError) as refused:
        next_state(state, action)

    assert refused.value.status == 409
    assert refused.value.extensions["state"] == state.value
    assert refused.value.extensions["allowed"] == sorted(
        a.value for (s, a) in TRANSITIONS if s is state
    )


def test_approving_twice_is_illegal():
    with pytest.raises(IllegalTransitionError):
        next_state(FlowState.APPROVED, FlowAction.APPROVE)


def test_diff_lists_changed_leaves_in_document_order():
    before = Brief(
        identity=Identity(name="Café Luna", year_founded=2019),
        offerings=(Offering(name="Latte", price_minor=4500, currency="MXN"),),
    )
    after = Brief(
        identity=Identity(name="Café Luna", year_founded=2018),
        offerings=(
            Offering(name="Latte", price_minor=5000, currency="MXN"),
            Offering(name="Pan de muerto", price_minor=3500, currency="MXN"),
        ),
        goals=(Goal(statement="Open a second shop", deadline=date(2027, 3, 1)),),
    )

    changes = diff(before, after)

    assert changes[:2] == (
        FieldChange("identity.year_founded", 2019, 2018),
        FieldChange("offerings[0].price_minor", 4500, 5000),
    )
    assert changes[2].path == "offerings[1]"
    assert changes[2].after["name"] == "Pan de muerto"
    assert changes[3] == FieldChange(
        "goals[0]",
        None,
        {
            "statement": "Open a second shop",
            "metric": None,
            "target": None,
            "deadline": "2027-03-01",
        },
    )
    assert changed_sections(before, after) == (
        BriefSection.IDENTITY,
        BriefSection.OFFERINGS,
        BriefSection.GOALS,
    )


def test_a_first_version_changes_every_section():
    assert changed_sections(None, Brief()) == tuple(BriefSection)


names = st.text(min_size=1, max_size=40)


@given(a=names, b=names)
def test_diff_is_empty_exactly_when_the_briefs_are_equal(a, b):
    first, second = Brief(identity=Identity(name=a)), Brief(identity=Identity(name=b))

    assert (diff(first, second) == ()) == (first == second)
