"""Expenses by category for a period, one group per currency (amounts in two currencies are
never added: a report in MXN and USD has an MXN group and a USD group)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.expenses_tables import expenses


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    count: int
    total_minor: int
    tax_minor: int


@dataclass(frozen=True)
class CurrencyExpenses:
    currency: str
    categories: tuple[CategoryTotal, ...]  # largest total first

    @property
    def count(self) -> int:
        return sum(c.count for c in self.categories)

    @property
    def total_minor(self) -> int:
        return sum(c.total_minor for c in self.categories)

    @property
    def tax_minor(self) -> int:
        return sum(c.tax_minor for c in self.categories)


async def expenses_by_category(
    *, tx: AsyncSession, start: date, end: date
) -> list[CurrencyExpenses]:
    """Totals per category of the expenses spent from `start` to `end` (both included), per
    currency in alphabetical order."""
    rows = await tx.execute(
        select(
            expenses.c.currency,
            expenses.c.category,
            func.count().label("expenses"),
            func.sum(expenses.c.amount_minor).label("total_minor"),
            func.sum(expenses.c.tax_minor).label("tax_minor"),
        )
        .where(expenses.c.spent_on >= start, expenses.c.spent_on <= end)
        .group_by(expenses.c.currency, expenses.c.category)
        .order_by(
            expenses.c.currency, func.sum(expenses.c.amount_minor).desc(), expenses.c.category
        )
    )
    groups: dict[str, list[CategoryTotal]] = {}
    for row in rows:
        groups.setdefault(row.currency, []).append(
            CategoryTotal(
                category=row.category,
                count=int(row.expenses),
                total_minor=int(row.total_minor),
                tax_minor=int(row.tax_minor),
            )
        )
    return [CurrencyExpenses(currency, tuple(totals)) for currency, totals in groups.items()]
