"""Invoices and totals as the API shows them (service results → schemas)."""

from __future__ import annotations

from xentri.categories.finance.invoices import InvoiceView
from xentri.categories.finance.invoices_schemas import (
    InvoiceRead,
    InvoiceSummary,
    LineRead,
    TaxRead,
    TotalsRead,
)
from xentri.categories.finance.totals import InvoiceTotals, Line, invoice_totals


def summary(view: InvoiceView) -> InvoiceSummary:
    row = view.row
    return InvoiceSummary(
        id=row.id,
        number=row.number_text,
        state=row.state,
        status=view.status.value,
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        currency=row.currency,
        issue_date=row.issue_date,
        due_date=row.due_date,
        total_minor=row.total_minor,
        paid_minor=row.paid_minor,
        amount_due_minor=row.total_minor - row.paid_minor,
        created_at=row.created_at,
    )


def detail(view: InvoiceView) -> InvoiceRead:
    row = view.row
    lines = [
        LineRead(
            position=line.position,
            description=line.description,
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            tax_rate=line.tax_rate,
            tax_label=line.tax_label,
            discount_percent=line.discount_percent,
            discount_minor=line.discount_minor,
            net_minor=line.net_minor,
            tax_minor=line.tax_minor,
            total_minor=line.total_minor,
        )
        for line in view.lines
    ]
    # The per-rate breakdown is recomputed from the stored lines (the same pure function that
    # computed the stored totals, so it always agrees with them).
    totals = invoice_totals(
        Line(
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            tax_rate=line.tax_rate,
            discount_percent=line.discount_percent,
        )
        for line in view.lines
    )
    return InvoiceRead(
        **summary(view).model_dump(),
        payment_terms_days=row.payment_terms_days,
        notes=row.notes,
        lines=lines,
        subtotal_minor=row.subtotal_minor,
        discount_minor=row.discount_minor,
        tax_minor=row.tax_minor,
        taxes=_taxes(totals),
        sent_at=row.sent_at,
        paid_at=row.paid_at,
        voided_at=row.voided_at,
        void_reason=row.void_reason,
        allowed_actions=view.allowed_actions,
        updated_at=row.updated_at,
    )


def totals_read(
    currency: str, totals: InvoiceTotals, described: list[tuple[str, Line, str | None]]
) -> TotalsRead:
    return TotalsRead(
        currency=currency,
        lines=[
            LineRead(
                position=position,
                description=description,
                quantity=line.quantity,
                unit_price_minor=line.unit_price_minor,
                tax_rate=line.tax_rate,
                tax_label=label,
                discount_percent=line.discount_percent,
                discount_minor=computed.discount_minor,
                net_minor=computed.net_minor,
                tax_minor=computed.tax_minor,
                total_minor=computed.total_minor,
            )
            for position, ((description, line, label), computed) in enumerate(
                zip(described, totals.lines, strict=True), start=1
            )
        ],
        subtotal_minor=totals.subtotal_minor,
        discount_minor=totals.discount_minor,
        tax_minor=totals.tax_minor,
        total_minor=totals.total_minor,
        taxes=_taxes(totals),
    )


def _taxes(totals: InvoiceTotals) -> list[TaxRead]:
    return [
        TaxRead(rate=bucket.rate, base_minor=bucket.base_minor, tax_minor=bucket.tax_minor)
        for bucket in totals.taxes
    ]
