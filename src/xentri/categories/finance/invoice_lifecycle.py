"""Issuing and cancelling invoices: send (the number is given here) and void (it is kept)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance import numbering
from xentri.categories.finance.customers import get_customer
from xentri.categories.finance.domain import InvoiceAction, InvoiceState, require
from xentri.categories.finance.errors import InvalidFieldsError
from xentri.categories.finance.events import InvoiceSent, InvoiceVoided
from xentri.categories.finance.invoices import SOURCE, InvoiceView, get_invoice, locked_invoice
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.tables import invoices
from xentri.contracts.events import Actor
from xentri.kernel.events.outbox import emit, new_event


async def send_invoice(
    *, tx: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID, actor: Actor
) -> InvoiceView:
    """Issue a draft: it takes the org's next number and becomes owed.

    Delivery is not done here: `xentri.invoice.sent.v1` is emitted in this transaction and the
    mail with the PDF is a subscriber's work, so issuing never waits on (or fails with) SMTP.
    """
    # Lock order: the invoice row, then the org's counter row (numbering.take_next_number).
    current = await locked_invoice(tx, invoice_id)
    require(InvoiceState(current.state), InvoiceAction.SEND)
    if current.total_minor <= 0:
        raise InvalidFieldsError(
            "An invoice needs at least one line with an amount before it can be sent.",
            field="lines",
            message="nothing to charge",
            code="empty-invoice",
        )
    customer = await get_customer(tx=tx, customer_id=current.customer_id)
    number, number_text = await numbering.take_next_number(tx=tx, org_id=org_id)
    await tx.execute(
        update(invoices)
        .where(invoices.c.id == invoice_id)
        .values(
            state=InvoiceState.SENT.value,
            number=number,
            number_text=number_text,
            customer_snapshot={
                "name": customer.name,
                "tax_id": customer.tax_id,
                "email": customer.email,
                "phone": customer.phone,
                "billing_address": customer.billing_address,
            },
            sent_at=func.now(),
            updated_at=func.now(),
        )
    )
    payload = InvoiceSent(
        invoice_id=invoice_id,
        number=number_text,
        customer_id=current.customer_id,
        currency=current.currency,
        total_minor=current.total_minor,
        issue_date=current.issue_date,
        due_date=current.due_date,
    )
    await emit(tx, new_event(payload, org_id=org_id, actor=actor, source=SOURCE))
    defaults = await org_defaults(tx=tx, org_id=org_id)
    return await get_invoice(tx=tx, invoice_id=invoice_id, today=defaults.today())


async def void_invoice(
    *, tx: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID, reason: str, actor: Actor
) -> InvoiceView:
    """Cancel an issued invoice nothing has been paid on; its number stays taken (and shown),
    so the sequence keeps no gap."""
    current = await locked_invoice(tx, invoice_id)
    require(InvoiceState(current.state), InvoiceAction.VOID)
    await tx.execute(
        update(invoices)
        .where(invoices.c.id == invoice_id)
        .values(
            state=InvoiceState.VOID.value,
            void_reason=reason,
            voided_at=func.now(),
            updated_at=func.now(),
        )
    )
    payload = InvoiceVoided(invoice_id=invoice_id, number=current.number_text, reason=reason)
    await emit(tx, new_event(payload, org_id=org_id, actor=actor, source=SOURCE))
    defaults = await org_defaults(tx=tx, org_id=org_id)
    return await get_invoice(tx=tx, invoice_id=invoice_id, today=defaults.today())
