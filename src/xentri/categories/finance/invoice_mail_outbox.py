"""The invoice email outbox's sender: each ask is claimed (`sending`, committed) before its mail
leaves and marked `sent` in the transaction that sends it, as ADR 0017's notification emails
are. A mail server's refusal puts the ask back to `pending` with a doubling backoff, `failed`
after MAX_ATTEMPTS; a crash between the server's answer and the mark leaves it `sending`,
visible, rather than risk a second copy. With the dev mailbox (a table) it is exactly once.

The minutely job claims across orgs as the system role (it may only move `pending` rows to
`sending`); everything else (reading the invoice, rendering, sending, marking) happens in the
ask's own org transaction as the app role. A resend is claimed and sent right away.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.categories.finance.document_settings import translations
from xentri.categories.finance.documents_tables import invoice_emails
from xentri.categories.finance.domain import InvoiceStatus
from xentri.categories.finance.invoice_document import InvoiceDocument, load_document
from xentri.categories.finance.invoice_format import long_date, money
from xentri.categories.finance.invoice_links import issue_link
from xentri.categories.finance.invoice_pdf import PDF_FILENAME_WORD, render_pdf
from xentri.identity.mailer import Attachment, Mail, Mailer
from xentri.kernel.db.tenant import system_transaction, tenant_transaction
from xentri.kernel.storage import ObjectStorage

log = structlog.get_logger("xentri.finance")

MAX_ATTEMPTS = 3
RETRY_BASE = timedelta(minutes=1)
BATCH = 50


@dataclass(frozen=True)
class OutboxRun:
    sent: int
    retrying: int
    failed: int
    skipped: int


@dataclass(frozen=True)
class Delivery:
    """What the sender needs besides the ask: where mail goes out, the logos, the site."""

    mailer: Mailer
    storage: ObjectStorage | None
    base_url: str


async def send_pending_invoice_emails(
    *, system_engine: AsyncEngine, app_engine: AsyncEngine, delivery: Delivery, batch: int = BATCH
) -> OutboxRun:
    """Send every ask that is due now, each in its invoice's language."""
    claimed = await _claim_due(system_engine, batch)
    outcomes = [
        await deliver(engine=app_engine, org_id=org_id, email_id=email_id, delivery=delivery)
        for email_id, org_id in claimed
    ]
    return OutboxRun(
        sent=outcomes.count("sent"),
        retrying=outcomes.count("pending"),
        failed=outcomes.count("failed"),
        skipped=outcomes.count("skipped"),
    )


async def send_now(
    *, engine: AsyncEngine, org_id: uuid.UUID, email_id: uuid.UUID, delivery: Delivery
) -> str:
    """Claim one ask of the org and send it (a resend the owner is waiting for); its state."""
    async with tenant_transaction(engine, org_id) as tx:
        claimed = await tx.scalar(
            update(invoice_emails)
            .where(invoice_emails.c.id == email_id, invoice_emails.c.state == "pending")
            .values(state="sending", attempts=invoice_emails.c.attempts + 1, updated_at=func.now())
            .returning(invoice_emails.c.id)
        )
    if claimed is None:  # skipped, or another sender has it
        async with tenant_transaction(engine, org_id) as tx:
            return str(
                await tx.scalar(
                    select(invoice_emails.c.state).where(invoice_emails.c.id == email_id)
                )
            )
    return await deliver(engine=engine, org_id=org_id, email_id=email_id, delivery=delivery)


async def deliver(
    *, engine: AsyncEngine, org_id: uuid.UUID, email_id: uuid.UUID, delivery: Delivery
) -> str:
    """Send a claimed ask; the state it ends in (sent, skipped, pending again, failed, or
    still sending when the mail left but its mark could not be written)."""
    handed_over = False
    try:
        async with tenant_transaction(engine, org_id) as tx:
            ask = (
                await tx.execute(select(invoice_emails).where(invoice_emails.c.id == email_id))
            ).one()
            document = await load_document(
                tx=tx, org_id=org_id, invoice_id=ask.invoice_id, storage=delivery.storage
            )
            if document.status is InvoiceStatus.VOID:
                await _finish(tx, email_id, state="skipped", error="void")
                return "skipped"
            link = await issue_link(
                tx=tx, org_id=org_id, invoice_id=ask.invoice_id, purpose="email", created_by=None
            )
            pdf = await asyncio.to_thread(render_pdf, document)
            mail = invoice_mail(
                document,
                to=ask.to_address,
                link=f"{delivery.base_url}{link.path}",
                pdf=pdf,
            )
            # The dev mailbox writes in this transaction, so there it is exactly once.
            await delivery.mailer.send(mail, tx=tx)
            handed_over = True
            await _finish(tx, email_id, state="sent")
            return "sent"
    except Exception as exc:  # noqa: BLE001 - the refusal is recorded and retried below
        error = f"{type(exc).__name__}: {exc}"[:300]
        if handed_over:
            # The server took the mail but `sent` was not written: the ask stays `sending`
            # (the claim committed), visible, rather than be retried into a second copy.
            log.error("invoice_email_unmarked", email_id=str(email_id), error=error)
            return "sending"
        log.warning("invoice_email_failed", email_id=str(email_id), error=error)
        async with tenant_transaction(engine, org_id) as tx:
            attempts = await tx.scalar(
                select(invoice_emails.c.attempts).where(invoice_emails.c.id == email_id)
            )
            if attempts is None or attempts >= MAX_ATTEMPTS:
                await _finish(tx, email_id, state="failed", error=error)
                return "failed"
            await tx.execute(
                update(invoice_emails)
                .where(invoice_emails.c.id == email_id)
                .values(
                    state="pending",
                    next_attempt_at=func.now() + RETRY_BASE * 2 ** (attempts - 1),
                    error=error,
                    updated_at=func.now(),
                )
            )
            return "pending"


def invoice_mail(document: InvoiceDocument, *, to: str, link: str, pdf: bytes) -> Mail:
    """The mail in the invoice's language: what is owed and by when, the link, the PDF."""
    _ = translations(document.language).gettext
    locale = document.locale
    facts = {
        "org": document.org_name,
        "number": document.number or "",
        "customer": str(document.customer.get("name") or ""),
        "total": money(document.total_minor, document.currency, locale),
        "due": money(document.amount_due_minor, document.currency, locale),
        "due_date": long_date(document.due_date, locale),
    }
    paragraphs = [
        _("Hello %(customer)s,") % facts,
        _("%(org)s sent you invoice %(number)s for %(total)s.") % facts,
        _("Amount due: %(due)s, by %(due_date)s.") % facts,
        _("View or download it here: %(link)s") % {"link": link},
        _("The invoice is attached to this email as a PDF."),
    ]
    if document.payment_instructions:
        paragraphs.append(_("How to pay:") + "\n" + document.payment_instructions)
    return Mail(
        to=to,
        subject=_("Invoice %(number)s from %(org)s") % facts,
        body="\n\n".join(paragraphs) + "\n",
        attachments=(
            Attachment(
                filename=document.filename(_(PDF_FILENAME_WORD)),
                content_type="application/pdf",
                data=pdf,
            ),
        ),
    )


async def _claim_due(system_engine: AsyncEngine, batch: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Due asks of every org, marked `sending` in a transaction of their own (SKIP LOCKED: any
    number of schedulers share the outbox without sending an ask twice)."""
    due = (
        select(invoice_emails.c.id)
        .where(
            invoice_emails.c.state == "pending",
            (invoice_emails.c.next_attempt_at.is_(None))
            | (invoice_emails.c.next_attempt_at <= func.now()),
        )
        .order_by(invoice_emails.c.created_at, invoice_emails.c.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    async with system_transaction(system_engine) as tx:
        rows = await tx.execute(
            update(invoice_emails)
            .where(invoice_emails.c.id.in_(due.scalar_subquery()))
            .values(state="sending", attempts=invoice_emails.c.attempts + 1, updated_at=func.now())
            .returning(invoice_emails.c.id, invoice_emails.c.org_id)
        )
        return [(row.id, row.org_id) for row in rows]


async def _finish(tx: AsyncSession, email_id: uuid.UUID, *, state: str, error: Any = None) -> None:
    await tx.execute(
        update(invoice_emails)
        .where(invoice_emails.c.id == email_id)
        .values(
            state=state,
            sent_at=func.now() if state == "sent" else None,
            error=error,
            updated_at=func.now(),
        )
    )
