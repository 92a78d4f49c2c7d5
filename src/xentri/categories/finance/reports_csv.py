"""Reports as CSV: one row per figure, amounts written with their currency's decimals."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from xentri.categories.finance.expenses_domain import amount_text
from xentri.categories.finance.reports_expenses import CurrencyExpenses

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
