"""A simple profit and loss for a period, per currency: revenue (issued invoices by issue
date, net of tax) less expenses (by the day spent, net of their tax), with the expenses by
category. Taxes are left out on both sides: collected tax is owed to the tax authority and
paid tax is usually credited against it. Amounts in different currencies are never added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.expenses_tables import expenses
from xentri.categories.finance.reports_revenue import ISSUED_STATES
from xentri.categories.finance.tables import invoices


@dataclass(frozen=True)
class ExpenseLine:
    category: str
    net_minor: int


@dataclass(frozen=True)
class ProfitAndLoss:
    currency: str
    invoices: int
    revenue_minor: int
    expense_lines: tuple[ExpenseLine, ...]  # largest first

    @property
    def expenses_minor(self) -> int:
        return sum(line.net_minor for line in self.expense_lines)

    @property
    def profit_minor(self) -> int:
        return self.revenue_minor - self.expenses_minor


async def profit_and_loss(*, tx: AsyncSession, start: date, end: date) -> list[ProfitAndLoss]:
    """Per currency (alphabetical) for the days from `start` to `end`, both included."""
    revenue = await tx.execute(
        select(
            invoices.c.currency,
            func.count().label("issued"),
            func.sum(invoices.c.total_minor - invoices.c.tax_minor).label("net_minor"),
        )
        .where(
            invoices.c.state.in_(ISSUED_STATES),
            invoices.c.issue_date >= start,
            invoices.c.issue_date <= end,
        )
        .group_by(invoices.c.currency)
    )
    net_expense = func.sum(expenses.c.amount_minor - expenses.c.tax_minor)
    spent = await tx.execute(
        select(expenses.c.currency, expenses.c.category, net_expense.label("net_minor"))
        .where(expenses.c.spent_on >= start, expenses.c.spent_on <= end)
        .group_by(expenses.c.currency, expenses.c.category)
        .order_by(net_expense.desc(), expenses.c.category)
    )
    earned = {row.currency: (int(row.issued), int(row.net_minor)) for row in revenue}
    lines: dict[str, list[ExpenseLine]] = {}
    for row in spent:
        lines.setdefault(row.currency, []).append(ExpenseLine(row.category, int(row.net_minor)))
    return [
        ProfitAndLoss(
            currency=currency,
            invoices=earned.get(currency, (0, 0))[0],
            revenue_minor=earned.get(currency, (0, 0))[1],
            expense_lines=tuple(lines.get(currency, ())),
        )
        for currency in sorted(earned.keys() | lines.keys())
    ]
