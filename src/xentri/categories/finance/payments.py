"""Payments against invoices: record (never more than is due) and reverse (with a reason).
The invoice's state follows its paid amount both ways."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.domain import (
    InvoiceAction,
    InvoiceState,
    InvoiceStatus,
    require,
    settled_state,
    status_on,
)
from xentri.categories.finance.errors import InvalidFieldsError, NotFoundError
from xentri.categories.finance.events import InvoicePaid, PaymentRecorded, PaymentReversed
from xentri.categories.finance.invoices import SOURCE, locked_invoice
from xentri.categories.finance.money import to_major
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.payments_schemas import PaymentCreate
from xentri.categories.finance.tables import invoices, payments
from xentri.contracts.events import Actor
from xentri.kernel.errors import DomainError
from xentri.kernel.events.outbox import emit, new_event


class AlreadyReversedError(DomainError):
    status = 409
    code = "payment-already-reversed"
    title = "This payment was already reversed"


@dataclass(frozen=True)
class PaymentResult:
    payment: Any
    state: InvoiceState
    status: InvoiceStatus
    paid_minor: int
    amount_due_minor: int


async def record_payment(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    invoice_id: uuid.UUID,
    payment_in: PaymentCreate,
    actor: Actor,
) -> PaymentResult:
    invoice = await locked_invoice(tx, invoice_id)
    require(InvoiceState(invoice.state), InvoiceAction.RECORD_PAYMENT)
    due = invoice.total_minor - invoice.paid_minor
    if payment_in.amount_minor > due:
        shown = f"{to_major(due, invoice.currency)} {invoice.currency}"
        raise InvalidFieldsError(
            f"The payment is larger than the amount due ({shown}).",
            field="body.amount_minor",
            message=f"at most {due} (the amount due)",
            code="overpayment",
        )
    defaults = await org_defaults(tx=tx, org_id=org_id)
    today = defaults.today()
    paid_on = payment_in.paid_on or today
    payment_id = uuid.uuid4()
    await tx.execute(
        payments.insert().values(
            id=payment_id,
            org_id=org_id,
            invoice_id=invoice_id,
            amount_minor=payment_in.amount_minor,
            currency=invoice.currency,
            paid_on=paid_on,
            method=payment_in.method.value,
            reference=payment_in.reference or None,
            recorded_by=uuid.UUID(actor.id) if actor.type == "user" else uuid.UUID(int=0),
        )
    )
    paid = invoice.paid_minor + payment_in.amount_minor
    state = await _settle(tx, invoice, paid)
    await emit(
        tx,
        new_event(
            PaymentRecorded(
                payment_id=payment_id,
                invoice_id=invoice_id,
                amount_minor=payment_in.amount_minor,
                currency=invoice.currency,
                paid_on=paid_on,
                method=payment_in.method.value,
                invoice_state=state.value,
                amount_due_minor=invoice.total_minor - paid,
            ),
            org_id=org_id,
            actor=actor,
            source=SOURCE,
        ),
    )
    if state is InvoiceState.PAID:
        paid_event = InvoicePaid(
            invoice_id=invoice_id,
            number=invoice.number_text,
            customer_id=invoice.customer_id,
            currency=invoice.currency,
            total_minor=invoice.total_minor,
            paid_on=paid_on,
        )
        await emit(tx, new_event(paid_event, org_id=org_id, actor=actor, source=SOURCE))
    return await _result(
        tx, payment_id=payment_id, invoice=invoice, paid=paid, state=state, today=today
    )


async def reverse_payment(
    *, tx: AsyncSession, org_id: uuid.UUID, payment_id: uuid.UUID, reason: str, actor: Actor
) -> PaymentResult:
    found = (await tx.execute(select(payments).where(payments.c.id == payment_id))).first()
    if found is None:
        raise NotFoundError("No such payment.")
    # Lock order as everywhere: the invoice first, then (re-read under it) the payment.
    invoice = await locked_invoice(tx, found.invoice_id)
    payment = (
        await tx.execute(select(payments).where(payments.c.id == payment_id).with_for_update())
    ).one()
    if payment.reversed_at is not None:
        raise AlreadyReversedError("This payment was already reversed.")
    require(InvoiceState(invoice.state), InvoiceAction.REVERSE_PAYMENT)
    await tx.execute(
        update(payments)
        .where(payments.c.id == payment_id)
        .values(
            reversed_at=func.now(),
            reversal_reason=reason,
            reversed_by=uuid.UUID(actor.id) if actor.type == "user" else None,
            updated_at=func.now(),
        )
    )
    paid = invoice.paid_minor - payment.amount_minor
    state = await _settle(tx, invoice, paid)
    await emit(
        tx,
        new_event(
            PaymentReversed(
                payment_id=payment_id,
                invoice_id=invoice.id,
                amount_minor=payment.amount_minor,
                currency=payment.currency,
                reason=reason,
                invoice_state=state.value,
                amount_due_minor=invoice.total_minor - paid,
            ),
            org_id=org_id,
            actor=actor,
            source=SOURCE,
        ),
    )
    today = (await org_defaults(tx=tx, org_id=org_id)).today()
    return await _result(
        tx, payment_id=payment_id, invoice=invoice, paid=paid, state=state, today=today
    )


async def list_payments(*, tx: AsyncSession, invoice_id: uuid.UUID) -> list[Any]:
    exists = await tx.scalar(select(invoices.c.id).where(invoices.c.id == invoice_id))
    if exists is None:
        raise NotFoundError("No such invoice.")
    rows = await tx.execute(
        select(payments)
        .where(payments.c.invoice_id == invoice_id)
        .order_by(payments.c.paid_on, payments.c.created_at)
    )
    return list(rows.all())


async def _settle(tx: AsyncSession, invoice: Any, paid: int) -> InvoiceState:
    state = settled_state(total_minor=invoice.total_minor, paid_minor=paid)
    await tx.execute(
        update(invoices)
        .where(invoices.c.id == invoice.id)
        .values(
            paid_minor=paid,
            state=state.value,
            paid_at=func.now() if state is InvoiceState.PAID else None,
            updated_at=func.now(),
        )
    )
    return state


async def _result(
    tx: AsyncSession,
    *,
    payment_id: uuid.UUID,
    invoice: Any,
    paid: int,
    state: InvoiceState,
    today: date,
) -> PaymentResult:
    payment = (await tx.execute(select(payments).where(payments.c.id == payment_id))).one()
    return PaymentResult(
        payment=payment,
        state=state,
        status=status_on(state=state, due_date=invoice.due_date, today=today),
        paid_minor=paid,
        amount_due_minor=invoice.total_minor - paid,
    )
