"""Events Finance emits about invoices and payments. Amounts are integer minor units of
`currency`; payloads carry facts for other parts (the Pulse, the mailer, agents), no PII beyond
the customer's id."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from xentri.contracts.events import EventPayload
from xentri.kernel.events.registry import registry

_CURRENCY = Field(pattern=r"^[A-Z]{3}$")
_STATE = Field(pattern=r"^(draft|sent|partially_paid|paid|void)$")


class InvoiceCreated(
    EventPayload, event_type="xentri.invoice.created.v1", schema="invoice.created@1.0"
):
    """A draft invoice was created (it has no number until it is sent)."""

    invoice_id: uuid.UUID
    customer_id: uuid.UUID
    currency: str = _CURRENCY
    total_minor: int = Field(ge=0)
    issue_date: date
    due_date: date


class InvoiceSent(EventPayload, event_type="xentri.invoice.sent.v1", schema="invoice.sent@1.0"):
    """An invoice was issued: it got its number and is now owed. Delivery (mail, PDF) follows
    this event rather than preceding it, so a failing mail server never blocks issuing."""

    invoice_id: uuid.UUID
    number: str = Field(min_length=1, max_length=40)
    customer_id: uuid.UUID
    currency: str = _CURRENCY
    total_minor: int = Field(ge=0)
    issue_date: date
    due_date: date


class InvoicePaid(EventPayload, event_type="xentri.invoice.paid.v1", schema="invoice.paid@1.0"):
    """An invoice's payments now cover its total."""

    invoice_id: uuid.UUID
    number: str = Field(min_length=1, max_length=40)
    customer_id: uuid.UUID
    currency: str = _CURRENCY
    total_minor: int = Field(ge=0)
    paid_on: date  # the date of the payment that completed it


class InvoiceOverdue(
    EventPayload, event_type="xentri.invoice.overdue.v1", schema="invoice.overdue@1.0"
):
    """An open invoice passed its due date (flagged once per invoice by the daily job)."""

    invoice_id: uuid.UUID
    number: str = Field(min_length=1, max_length=40)
    customer_id: uuid.UUID
    currency: str = _CURRENCY
    total_minor: int = Field(ge=0)
    amount_due_minor: int = Field(ge=0)
    due_date: date
    days_overdue: int = Field(ge=1)


class InvoiceVoided(
    EventPayload, event_type="xentri.invoice.voided.v1", schema="invoice.voided@1.0"
):
    """An issued invoice was cancelled; it keeps its number."""

    invoice_id: uuid.UUID
    number: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=1, max_length=500)


class PaymentRecorded(
    EventPayload, event_type="xentri.payment.recorded.v1", schema="payment.recorded@1.0"
):
    """A payment against an invoice was recorded; `invoice_state` is the state it led to."""

    payment_id: uuid.UUID
    invoice_id: uuid.UUID
    amount_minor: int = Field(ge=1)
    currency: str = _CURRENCY
    paid_on: date
    method: str = Field(min_length=1, max_length=20)
    invoice_state: str = _STATE
    amount_due_minor: int = Field(ge=0)


class PaymentReversed(
    EventPayload, event_type="xentri.payment.reversed.v1", schema="payment.reversed@1.0"
):
    """A recorded payment was reversed (a bounced transfer, a mistake); the invoice owes it
    again."""

    payment_id: uuid.UUID
    invoice_id: uuid.UUID
    amount_minor: int = Field(ge=1)
    currency: str = _CURRENCY
    reason: str = Field(min_length=1, max_length=500)
    invoice_state: str = _STATE
    amount_due_minor: int = Field(ge=0)


registry.register(
    InvoiceCreated,
    InvoiceSent,
    InvoicePaid,
    InvoiceOverdue,
    InvoiceVoided,
    PaymentRecorded,
    PaymentReversed,
)
