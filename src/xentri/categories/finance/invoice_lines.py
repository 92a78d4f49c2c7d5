"""Turning entered lines into priced ones (filling from the Brief's offerings) and storing
them with their computed totals."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.errors import InvalidFieldsError
from xentri.categories.finance.invoices_schemas import LineIn
from xentri.categories.finance.offerings import find
from xentri.categories.finance.tables import invoice_lines
from xentri.categories.finance.totals import InvoiceTotals, Line, invoice_totals
from xentri.contracts.brief import Offering


class PricedLine:
    def __init__(self, line_in: LineIn, description: str, unit_price_minor: int) -> None:
        self.description = description
        self.quantity = line_in.quantity
        self.unit_price_minor = unit_price_minor
        self.tax_rate = line_in.tax_rate
        self.tax_label = line_in.tax_label
        self.discount_percent = line_in.discount_percent

    def as_line(self) -> Line:
        return Line(
            quantity=self.quantity,
            unit_price_minor=self.unit_price_minor,
            tax_rate=self.tax_rate,
            discount_percent=self.discount_percent,
        )


def price_lines(
    lines_in: Sequence[LineIn], *, currency: str, offerings: Sequence[Offering]
) -> list[PricedLine]:
    """Every line with a description and a unit price, or a 422 naming the line's field."""
    priced: list[PricedLine] = []
    for index, line_in in enumerate(lines_in):
        where = f"body.lines.{index}"
        description, price = line_in.description, line_in.unit_price_minor
        if line_in.offering:
            offering = find(offerings, line_in.offering)
            if offering is None:
                raise InvalidFieldsError(
                    f"Line {index + 1}: the Brief has no offering called {line_in.offering!r}.",
                    field=f"{where}.offering",
                    message="no such offering in the approved Brief",
                    code="unknown-offering",
                )
            description = description or offering.name
            if price is None and offering.price_minor and offering.currency == currency:
                price = offering.price_minor
        if not description:
            raise InvalidFieldsError(
                f"Line {index + 1} needs a description.",
                field=f"{where}.description",
                message="Field required",
                code="missing",
            )
        if price is None:
            raise InvalidFieldsError(
                f"Line {index + 1} needs a unit price in {currency}.",
                field=f"{where}.unit_price_minor",
                message=f"Field required (a price in {currency})",
                code="missing",
            )
        priced.append(PricedLine(line_in, description, price))
    return priced


async def replace_lines(
    *, tx: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID, lines: Sequence[PricedLine]
) -> InvoiceTotals:
    totals = invoice_totals(line.as_line() for line in lines)
    await tx.execute(delete(invoice_lines).where(invoice_lines.c.invoice_id == invoice_id))
    if lines:
        await tx.execute(
            invoice_lines.insert(),
            [
                {
                    "id": uuid.uuid4(),
                    "org_id": org_id,
                    "invoice_id": invoice_id,
                    "position": position,
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price_minor": line.unit_price_minor,
                    "tax_rate": line.tax_rate,
                    "tax_label": line.tax_label,
                    "discount_percent": line.discount_percent,
                    "discount_minor": computed.discount_minor,
                    "net_minor": computed.net_minor,
                    "tax_minor": computed.tax_minor,
                    "total_minor": computed.total_minor,
                }
                for position, (line, computed) in enumerate(
                    zip(lines, totals.lines, strict=True), start=1
                )
            ],
        )
    return totals


async def stored_lines(*, tx: AsyncSession, invoice_id: uuid.UUID) -> list[Line]:
    rows = await tx.execute(
        select(invoice_lines)
        .where(invoice_lines.c.invoice_id == invoice_id)
        .order_by(invoice_lines.c.position)
    )
    return [
        Line(
            quantity=Decimal(row.quantity),
            unit_price_minor=row.unit_price_minor,
            tax_rate=row.tax_rate,
            discount_percent=row.discount_percent,
        )
        for row in rows
    ]
