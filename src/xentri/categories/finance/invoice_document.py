"""Everything an invoice document shows, read once in the org's transaction: the PDF, the public
page and the email are all written from this (so they can never disagree)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from babel import Locale
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance import document_settings
from xentri.categories.finance.customers import get_customer
from xentri.categories.finance.domain import InvoiceStatus
from xentri.categories.finance.invoice_format import document_locale
from xentri.categories.finance.invoices import get_invoice
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.totals import Line, invoice_totals
from xentri.identity.tables import organizations
from xentri.kernel.storage import ObjectStorage
from xentri.shell.logos import logo_key

log = structlog.get_logger("xentri.finance")


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: Decimal
    unit_price_minor: int
    discount_percent: Decimal
    tax_rate: Decimal | None  # None: exempt
    tax_label: str | None
    net_minor: int


@dataclass(frozen=True)
class DocumentTax:
    label: str | None  # the lines' own label ("IVA") when they agree
    rate: Decimal | None  # None: exempt
    base_minor: int
    tax_minor: int


@dataclass(frozen=True)
class InvoiceDocument:
    invoice_id: uuid.UUID
    org_name: str
    logo: bytes | None
    language: str
    number: str | None  # None: a draft
    status: InvoiceStatus
    currency: str
    issue_date: date
    due_date: date
    customer: dict[str, Any]  # name, tax_id, email, phone, billing_address
    lines: tuple[DocumentLine, ...]
    taxes: tuple[DocumentTax, ...]
    subtotal_minor: int
    discount_minor: int
    tax_minor: int
    total_minor: int
    paid_minor: int
    notes: str | None
    payment_instructions: str | None
    void_reason: str | None

    @property
    def amount_due_minor(self) -> int:
        if self.status is InvoiceStatus.VOID:
            return 0
        return self.total_minor - self.paid_minor

    @property
    def locale(self) -> Locale:
        return document_locale(self.language, self.currency)

    def filename(self, word: str) -> str:
        """`Invoice-INV-0001.pdf` (word translated by the caller)."""
        return f"{word}-{self.number or 'draft'}.pdf".replace("/", "-").replace(" ", "-")


async def load_document(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    invoice_id: uuid.UUID,
    storage: ObjectStorage | None,
) -> InvoiceDocument:
    """The invoice as its documents show it; NotFoundError when the org has no such invoice."""
    today = (await org_defaults(tx=tx, org_id=org_id)).today()
    view = await get_invoice(tx=tx, invoice_id=invoice_id, today=today)
    row = view.row
    language = await document_settings.invoice_language(tx=tx, org_id=org_id, invoice_id=invoice_id)
    org_name = await tx.scalar(select(organizations.c.name).where(organizations.c.id == org_id))
    # Issued invoices print the customer as they were when issued; a draft, as they are now.
    customer = row.customer_snapshot or _current(
        await get_customer(tx=tx, customer_id=row.customer_id)
    )
    lines = tuple(
        DocumentLine(
            description=line.description,
            quantity=Decimal(line.quantity),
            unit_price_minor=line.unit_price_minor,
            discount_percent=Decimal(line.discount_percent),
            tax_rate=None if line.tax_rate is None else Decimal(line.tax_rate),
            tax_label=line.tax_label,
            net_minor=line.net_minor,
        )
        for line in view.lines
    )
    return InvoiceDocument(
        invoice_id=invoice_id,
        org_name=str(org_name or ""),
        logo=await _logo(storage, org_id),
        language=language,
        number=row.number_text,
        status=view.status,
        currency=row.currency,
        issue_date=row.issue_date,
        due_date=row.due_date,
        customer=dict(customer),
        lines=lines,
        taxes=_taxes(lines),
        subtotal_minor=row.subtotal_minor,
        discount_minor=row.discount_minor,
        tax_minor=row.tax_minor,
        total_minor=row.total_minor,
        paid_minor=row.paid_minor,
        notes=row.notes,
        payment_instructions=await document_settings.payment_instructions(tx=tx),
        void_reason=row.void_reason,
    )


def _taxes(lines: tuple[DocumentLine, ...]) -> tuple[DocumentTax, ...]:
    # The same pure function that computed the stored totals, so the breakdown agrees with them.
    totals = invoice_totals(
        Line(
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            tax_rate=line.tax_rate,
            discount_percent=line.discount_percent,
        )
        for line in lines
    )
    labels: dict[Decimal | None, set[str | None]] = {}
    for line in lines:
        rate = line.tax_rate.normalize() if line.tax_rate is not None else None
        labels.setdefault(rate, set()).add(line.tax_label or None)
    return tuple(
        DocumentTax(
            label=next(iter(labels[bucket.rate])) if len(labels[bucket.rate]) == 1 else None,
            rate=bucket.rate,
            base_minor=bucket.base_minor,
            tax_minor=bucket.tax_minor,
        )
        for bucket in totals.taxes
    )


def _current(customer: Any) -> dict[str, Any]:
    return {
        "name": customer.name,
        "tax_id": customer.tax_id,
        "email": customer.email,
        "phone": customer.phone,
        "billing_address": customer.billing_address,
    }


async def _logo(storage: ObjectStorage | None, org_id: uuid.UUID) -> bytes | None:
    if storage is None:
        return None
    try:
        stored = await asyncio.to_thread(storage.get, logo_key(org_id))
    except Exception as exc:  # noqa: BLE001 - a store that is down costs the logo, not the invoice
        log.warning("invoice_logo_unavailable", org_id=str(org_id), error=str(exc))
        return None
    return stored.data if stored is not None else None
