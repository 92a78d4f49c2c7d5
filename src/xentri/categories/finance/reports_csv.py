"""Reports as CSV: one row per figure, amounts written with their currency's decimals."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from xentri.categories.finance.expenses_domain import amount_text
from xentri.categories.finance.reports_expenses import CurrencyExpenses
from xentri.categories.finance.reports_profit import ProfitAndLoss
from xentri.categories.finance.reports_receivables import BUCKETS, CurrencyAging
from xentri.categories.finance.reports_revenue import CurrencyRevenue

# A cell starting with one of these is a formula to a spreadsheet: a vendor or category typed
# as "=HYPERLINK(...)" must stay text (OWASP's CSV injection advice: prefix a quote).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def expenses_by_category_csv(
    groups: Sequence[CurrencyExpenses], *, label: Callable[[str], str]
) -> str:
    """currency, category, label, expenses, total, tax: a row per category and currency."""
    return csv_text(
        ("currency", "category", "label", "expenses", "total", "tax"),
        (
            (
                group.currency,
                line.category,
                label(line.category),
                line.count,
                amount_text(line.total_minor, group.currency),
                amount_text(line.tax_minor, group.currency),
            )
            for group in groups
            for line in group.categories
        ),
    )


def revenue_by_month_csv(groups: Sequence[CurrencyRevenue]) -> str:
    """currency, month, invoices, net, tax, total, collected: a row per month and currency."""
    return csv_text(
        ("currency", "month", "invoices", "net", "tax", "total", "collected"),
        (
            (
                group.currency,
                month.month.strftime("%Y-%m"),
                month.invoices,
                amount_text(month.net_minor, group.currency),
                amount_text(month.tax_minor, group.currency),
                amount_text(month.total_minor, group.currency),
                amount_text(month.collected_minor, group.currency),
            )
            for group in groups
            for month in group.months
        ),
    )


def receivables_aging_csv(groups: Sequence[CurrencyAging]) -> str:
    """A row per customer and currency: the balance in each bucket and in all."""
    return csv_text(
        ("currency", "customer_id", "customer", "invoices", *BUCKETS, "total"),
        (
            (
                group.currency,
                line.customer_id,
                line.name,
                line.invoices,
                *(amount_text(amount, group.currency) for amount in line.aging.amounts()),
                amount_text(line.aging.total, group.currency),
            )
            for group in groups
            for line in group.customers
        ),
    )


def profit_and_loss_csv(groups: Sequence[ProfitAndLoss], *, label: Callable[[str], str]) -> str:
    """currency, line (revenue, expense, profit), category, label, amount."""
    rows: list[tuple[object, ...]] = []
    for group in groups:
        currency = group.currency
        rows.append((currency, "revenue", "", "", amount_text(group.revenue_minor, currency)))
        rows.extend(
            (
                currency,
                "expense",
                line.category,
                label(line.category),
                amount_text(line.net_minor, currency),
            )
            for line in group.expense_lines
        )
        rows.append((currency, "profit", "", "", amount_text(group.profit_minor, currency)))
    return csv_text(("currency", "line", "category", "label", "amount"), rows)
