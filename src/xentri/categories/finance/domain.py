"""The invoice's life as a pure state machine, and the rules that follow from amounts and dates.

draft → sent → partially_paid → paid; void (with a reason) from sent while nothing is paid.
Overdue is not stored: an open invoice (sent or partially paid) past its due date *is* overdue,
so it can never disagree with the calendar. Payments move the state by amounts, both ways (a
reversed payment takes a paid invoice back to partially paid or sent).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from xentri.kernel.errors import DomainError


class InvoiceState(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"


class InvoiceStatus(StrEnum):
    """What a person sees: the state, with open invoices past due shown as overdue."""

    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    OVERDUE = "overdue"
    PAID = "paid"
    VOID = "void"


class InvoiceAction(StrEnum):
    EDIT = "edit"
    DELETE = "delete"
    SEND = "send"
    RECORD_PAYMENT = "record_payment"
    REVERSE_PAYMENT = "reverse_payment"
    VOID = "void"


OPEN_STATES = frozenset({InvoiceState.SENT, InvoiceState.PARTIALLY_PAID})

# Which actions each state allows. Payments decide their target state by amounts
# (settled_state), so they are listed by where they may start from.
ALLOWED: dict[InvoiceState, frozenset[InvoiceAction]] = {
    InvoiceState.DRAFT: frozenset({InvoiceAction.EDIT, InvoiceAction.DELETE, InvoiceAction.SEND}),
    InvoiceState.SENT: frozenset(
        {InvoiceAction.RECORD_PAYMENT, InvoiceAction.VOID, InvoiceAction.REVERSE_PAYMENT}
    ),
    InvoiceState.PARTIALLY_PAID: frozenset(
        {InvoiceAction.RECORD_PAYMENT, InvoiceAction.REVERSE_PAYMENT}
    ),
    InvoiceState.PAID: frozenset({InvoiceAction.REVERSE_PAYMENT}),
    InvoiceState.VOID: frozenset(),
}


class IllegalTransitionError(DomainError):
    status = 409
    code = "illegal-transition"
    title = "Not possible in the invoice's current state"


_WHY = {
    (InvoiceState.VOID, None): "The invoice is void; nothing more can happen to it.",
    (InvoiceState.PAID, InvoiceAction.RECORD_PAYMENT): "The invoice is already paid in full.",
    (InvoiceState.PARTIALLY_PAID, InvoiceAction.VOID): (
        "The invoice has payments; reverse them before voiding it."
    ),
    (InvoiceState.PAID, InvoiceAction.VOID): (
        "The invoice has payments; reverse them before voiding it."
    ),
    (InvoiceState.DRAFT, InvoiceAction.VOID): (
        "A draft has no number yet: delete it instead of voiding it."
    ),
    (
        InvoiceState.DRAFT,
        InvoiceAction.RECORD_PAYMENT,
    ): "Send the invoice before recording payments.",
}


def require(state: InvoiceState, action: InvoiceAction) -> None:
    """Refuse `action` with a 409 problem naming the state and what it allows."""
    if action in ALLOWED[state]:
        return
    detail = _WHY.get((state, action)) or _WHY.get((state, None))
    if detail is None:
        state_words, action_words = state.value.replace("_", " "), action.value.replace("_", " ")
        detail = f"An invoice that is {state_words} cannot {action_words}."
    raise IllegalTransitionError(
        detail,
        state=state.value,
        action=action.value,
        allowed=sorted(a.value for a in ALLOWED[state]),
    )


def settled_state(*, total_minor: int, paid_minor: int) -> InvoiceState:
    """The state of a sent invoice given what has been paid of it."""
    if paid_minor < 0 or paid_minor > total_minor:
        raise ValueError("paid must be between 0 and the total")
    if paid_minor == 0:
        return InvoiceState.SENT
    if paid_minor < total_minor:
        return InvoiceState.PARTIALLY_PAID
    return InvoiceState.PAID


def status_on(*, state: InvoiceState, due_date: date, today: date) -> InvoiceStatus:
    if state in OPEN_STATES and due_date < today:
        return InvoiceStatus.OVERDUE
    return InvoiceStatus(state.value)


def due_date_for(*, issue_date: date, payment_terms_days: int) -> date:
    return issue_date + timedelta(days=payment_terms_days)


def days_overdue(*, due_date: date, today: date) -> int:
    return max((today - due_date).days, 0)
