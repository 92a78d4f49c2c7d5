"""Invoice arithmetic: every amount an integer of minor units, rounded once per line.

Each line is rounded on its own (gross, then its discount, then its tax) and the invoice's
figures are the exact sums of its lines, so the document always adds up as printed. Rounding is
half-up (away from zero; amounts here are never negative), as tax authorities such as Mexico's
SAT prescribe; per-rate totals therefore differ from "rate x base" by at most half a minor unit
per line (docs/adr/0018-invoices-money-and-numbering.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)

# Limits that keep any invoice's sum inside a bigint (100 lines x 1e6 x 1e10 x 2 < 9.2e18).
MAX_LINES = 100
MAX_QUANTITY = Decimal(1_000_000)
QUANTITY_DECIMALS = 3
MAX_UNIT_PRICE_MINOR = 10_000_000_000
RATE_DECIMALS = 4


@dataclass(frozen=True)
class Line:
    """A line as entered: `tax_rate` None is exempt (different from a 0 % rate on paper)."""

    quantity: Decimal
    unit_price_minor: int
    tax_rate: Decimal | None = None  # percent, 16 for IVA 16 %
    discount_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class LineTotals:
    gross_minor: int  # quantity x unit price
    discount_minor: int
    net_minor: int  # what the tax applies to
    tax_minor: int
    total_minor: int


@dataclass(frozen=True)
class TaxBucket:
    rate: Decimal | None  # None: exempt
    base_minor: int
    tax_minor: int


@dataclass(frozen=True)
class InvoiceTotals:
    lines: tuple[LineTotals, ...]
    subtotal_minor: int  # sum of gross amounts
    discount_minor: int
    net_minor: int
    tax_minor: int
    total_minor: int
    taxes: tuple[TaxBucket, ...]  # one per rate, exempt last


def round_minor(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_totals(line: Line) -> LineTotals:
    gross = round_minor(line.quantity * line.unit_price_minor)
    discount = round_minor(gross * line.discount_percent / HUNDRED)
    net = gross - discount
    tax = round_minor(net * line.tax_rate / HUNDRED) if line.tax_rate is not None else 0
    return LineTotals(
        gross_minor=gross,
        discount_minor=discount,
        net_minor=net,
        tax_minor=tax,
        total_minor=net + tax,
    )


def invoice_totals(lines: Iterable[Line]) -> InvoiceTotals:
    entered = tuple(lines)
    computed = tuple(line_totals(line) for line in entered)
    buckets: dict[Decimal | None, tuple[int, int]] = {}
    for line, totals in zip(entered, computed, strict=True):
        # Decimal("16") and Decimal("16.00") are one rate: normalise the key.
        rate = line.tax_rate.normalize() if line.tax_rate is not None else None
        base, tax = buckets.get(rate, (0, 0))
        buckets[rate] = (base + totals.net_minor, tax + totals.tax_minor)
    taxes = tuple(
        TaxBucket(rate=rate, base_minor=base, tax_minor=tax)
        for rate, (base, tax) in sorted(
            buckets.items(), key=lambda item: (item[0] is None, item[0] or Decimal(0))
        )
    )
    return InvoiceTotals(
        lines=computed,
        subtotal_minor=sum(t.gross_minor for t in computed),
        discount_minor=sum(t.discount_minor for t in computed),
        net_minor=sum(t.net_minor for t in computed),
        tax_minor=sum(t.tax_minor for t in computed),
        total_minor=sum(t.total_minor for t in computed),
        taxes=taxes,
    )
