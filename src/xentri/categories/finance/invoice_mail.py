"""Emailing invoices: issuing one (its `xentri.invoice.sent.v1`) asks for a mail with the PDF and
a public link, and so does an explicit resend. The ask is a row in the invoice email outbox,
written in the asking transaction; the mail leaves afterwards (invoice_mail_outbox.py), at most
once per ask, so issuing never waits on or fails with a mail server (ADR 0018, ADR 0022).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.document_settings import N_, invoice_language
from xentri.categories.finance.documents_tables import invoice_emails
from xentri.categories.finance.domain import InvoiceState
from xentri.categories.finance.errors import NotFoundError
from xentri.categories.finance.events import InvoiceSent
from xentri.categories.finance.invoice_links import NotIssuedError
from xentri.categories.finance.tables import customers, invoices
from xentri.contracts.events import SystemEvent
from xentri.kernel.events.consumer import Subscription

CONSUMER = "finance.documents"

# Why an ask was not mailed, as the org reads it (translated where shown).
SKIP_REASONS = {
    "no-email": N_("The customer has no email address."),
    "void": N_("The invoice was voided before the mail left."),
}


@dataclass(frozen=True)
class EmailRecord:
    id: uuid.UUID
    to_address: str | None
    language: str
    state: str  # pending | sending | sent | failed | skipped
    error: str | None
    requested_by: uuid.UUID | None
    created_at: datetime
    sent_at: datetime | None


async def on_invoice_sent(event: SystemEvent, tx: AsyncSession) -> None:
    """An invoice was issued: ask for its mail. The dedupe key is the invoice, not the event,
    so a second delivery, a replay or another consumer group asks for nothing more."""
    sent = InvoiceSent.model_validate(event.payload)
    await request_email(
        tx=tx,
        org_id=event.org_id,
        invoice_id=sent.invoice_id,
        dedupe_key=f"issued:{sent.invoice_id}",
        requested_by=None,
    )


def subscription() -> Subscription:
    return Subscription(name=CONSUMER, handlers={InvoiceSent.event_type: on_invoice_sent})


async def request_email(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    invoice_id: uuid.UUID,
    dedupe_key: str,
    requested_by: uuid.UUID | None,
) -> EmailRecord | None:
    """Write the ask (pending, or skipped when there is nobody to mail); None if this
    dedupe key already asked."""
    invoice = (
        await tx.execute(
            select(invoices.c.state, invoices.c.customer_snapshot, customers.c.email)
            .join(customers, customers.c.id == invoices.c.customer_id)
            .where(invoices.c.id == invoice_id)
        )
    ).first()
    if invoice is None:
        raise NotFoundError("No such invoice.")
    if invoice.state == InvoiceState.DRAFT.value:
        raise NotIssuedError("A draft has no number yet: send it before emailing it.")
    # The customer's address of today (one added after issuing is used by a resend), else the
    # one they had when the invoice was issued.
    snapshot = invoice.customer_snapshot or {}
    address = invoice.email or snapshot.get("email") or None
    skipped = None
    if address is None:
        skipped = "no-email"
    elif invoice.state == InvoiceState.VOID.value:
        skipped = "void"
    language = await invoice_language(tx=tx, org_id=org_id, invoice_id=invoice_id)
    created = (
        await tx.execute(
            insert(invoice_emails)
            .values(
                id=uuid.uuid4(),
                org_id=org_id,
                invoice_id=invoice_id,
                dedupe_key=dedupe_key,
                to_address=address,
                language=language,
                state="skipped" if skipped else "pending",
                error=skipped,
                requested_by=requested_by,
            )
            .on_conflict_do_nothing(constraint="uq_finance_invoice_emails_org_id_dedupe_key")
            .returning(*invoice_emails.c)
        )
    ).first()
    return None if created is None else _record(created)


async def email_history(*, tx: AsyncSession, invoice_id: uuid.UUID) -> list[EmailRecord]:
    rows = await tx.execute(
        select(invoice_emails)
        .where(invoice_emails.c.invoice_id == invoice_id)
        .order_by(invoice_emails.c.created_at.desc(), invoice_emails.c.id)
    )
    return [_record(row) for row in rows]


async def email_record(*, tx: AsyncSession, email_id: uuid.UUID) -> EmailRecord:
    row = (await tx.execute(select(invoice_emails).where(invoice_emails.c.id == email_id))).first()
    if row is None:
        raise NotFoundError("No such email.")
    return _record(row)


def _record(row: Any) -> EmailRecord:
    return EmailRecord(
        id=row.id,
        to_address=row.to_address,
        language=row.language,
        state=row.state,
        error=row.error,
        requested_by=row.requested_by,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )
