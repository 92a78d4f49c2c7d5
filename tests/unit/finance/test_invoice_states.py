"""The invoice state machine: legal moves, refused ones (409), and states that follow amounts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.categories.finance.domain import (
    ALLOWED,
    IllegalTransitionError,
    InvoiceAction,
    InvoiceState,
    InvoiceStatus,
    due_date_for,
    require,
    settled_state,
    status_on,
)


def test_only_drafts_are_edited_deleted_or_sent():
    for state in InvoiceState:
        for action in (InvoiceAction.EDIT, InvoiceAction.DELETE, InvoiceAction.SEND):
            assert (action in ALLOWED[state]) == (state is InvoiceState.DRAFT)


def test_void_is_final():
    assert ALLOWED[InvoiceState.VOID] == frozenset()


@pytest.mark.parametrize(
    ("state", "action", "words"),
    [
        (InvoiceState.PAID, InvoiceAction.RECORD_PAYMENT, "already paid"),
        (InvoiceState.PARTIALLY_PAID, InvoiceAction.VOID, "reverse them"),
        (InvoiceState.DRAFT, InvoiceAction.VOID, "delete it"),
        (InvoiceState.VOID, InvoiceAction.SEND, "void"),
        (InvoiceState.SENT, InvoiceAction.SEND, "cannot send"),
    ],
)
def test_illegal_moves_are_a_409_that_says_why(state, action, words):
    with pytest.raises(IllegalTransitionError) as refused:
        require(state, action)
    assert refused.value.status == 409
    assert words in refused.value.detail
    assert refused.value.extensions["state"] == state.value
    assert refused.value.extensions["allowed"] == sorted(a.value for a in ALLOWED[state])


@given(st.integers(min_value=1, max_value=10**12), st.data())
def test_the_state_follows_what_was_paid(total, data):
    paid = data.draw(st.integers(min_value=0, max_value=total))
    state = settled_state(total_minor=total, paid_minor=paid)
    expected = (
        InvoiceState.SENT
        if paid == 0
        else InvoiceState.PAID
        if paid == total
        else InvoiceState.PARTIALLY_PAID
    )
    assert state is expected
    assert InvoiceAction.REVERSE_PAYMENT in ALLOWED[state] or paid == 0


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_paying_more_than_the_total_is_impossible(total, extra):
    with pytest.raises(ValueError, match="between"):
        settled_state(total_minor=total, paid_minor=total + extra)


@given(
    st.sampled_from(list(InvoiceState)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=-400, max_value=400),
)
def test_overdue_is_an_open_invoice_past_its_due_date(state, due, offset):
    today = due + timedelta(days=offset)
    status = status_on(state=state, due_date=due, today=today)
    open_state = state in {InvoiceState.SENT, InvoiceState.PARTIALLY_PAID}
    assert (status is InvoiceStatus.OVERDUE) == (open_state and offset > 0)
    if status is not InvoiceStatus.OVERDUE:
        assert status.value == state.value


def test_due_date_counts_payment_terms_from_the_issue_date():
    assert due_date_for(issue_date=date(2026, 12, 15), payment_terms_days=30) == date(2027, 1, 14)
    assert due_date_for(issue_date=date(2026, 2, 27), payment_terms_days=0) == date(2026, 2, 27)
