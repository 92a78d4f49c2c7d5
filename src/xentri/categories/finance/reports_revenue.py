"""Revenue by month, per currency: what was invoiced (net of tax, by issue date) and what was
collected (payments not reversed, by the day paid).

Invoiced revenue counts issued invoices (sent, partially paid, paid) on the month of their
issue date, net of tax (tax collected is owed to the tax authority, not earned); drafts are not
revenue yet and void invoices never were. Every month of the period is listed, zeros included,
so a chart has no holes. Amounts in different currencies are never added together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.tables import invoices, payments

ISSUED_STATES = ("sent", "partially_paid", "paid")


@dataclass(frozen=True)
class MonthRevenue:
    month: date  # its first day
    invoices: int
    net_minor: int
    tax_minor: int
    total_minor: int
    collected_minor: int


@dataclass(frozen=True)
class CurrencyRevenue:
    currency: str
    months: tuple[MonthRevenue, ...]

    @property
    def net_minor(self) -> int:
        return sum(m.net_minor for m in self.months)

    @property
    def tax_minor(self) -> int:
        return sum(m.tax_minor for m in self.months)

    @property
    def total_minor(self) -> int:
        return sum(m.total_minor for m in self.months)

    @property
    def collected_minor(self) -> int:
        return sum(m.collected_minor for m in self.months)

    @property
    def invoices(self) -> int:
        return sum(m.invoices for m in self.months)


def month_span(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    months: list[date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_end(month: date) -> date:
    following = (
        date(month.year + 1, 1, 1)
        if month.month == 12
        else month.replace(month=month.month + 1, day=1)
    )
    return following - timedelta(days=1)


async def revenue_by_month(
    *, tx: AsyncSession, first_month: date, last_month: date
) -> list[CurrencyRevenue]:
    """Per currency (alphabetical), one row per month from `first_month` to `last_month`."""
    months = month_span(first_month, last_month)
    start, end = months[0], month_end(months[-1])
    issued_month = cast(func.date_trunc("month", invoices.c.issue_date), Date)
    invoiced = await tx.execute(
        select(
            invoices.c.currency,
            issued_month.label("month"),
            func.count().label("issued"),
            func.sum(invoices.c.total_minor - invoices.c.tax_minor).label("net_minor"),
            func.sum(invoices.c.tax_minor).label("tax_minor"),
            func.sum(invoices.c.total_minor).label("total_minor"),
        )
        .where(
            invoices.c.state.in_(ISSUED_STATES),
            invoices.c.issue_date >= start,
            invoices.c.issue_date <= end,
        )
        .group_by(invoices.c.currency, issued_month)
    )
    paid_month = cast(func.date_trunc("month", payments.c.paid_on), Date)
    collected = await tx.execute(
        select(
            payments.c.currency,
            paid_month.label("month"),
            func.sum(payments.c.amount_minor).label("collected_minor"),
        )
        .where(
            payments.c.reversed_at.is_(None),
            payments.c.paid_on >= start,
            payments.c.paid_on <= end,
        )
        .group_by(payments.c.currency, paid_month)
    )
    figures: dict[tuple[str, date], dict[str, int]] = {}
    for row in invoiced:
        figures.setdefault((row.currency, row.month), {}).update(
            issued=int(row.issued),
            net_minor=int(row.net_minor),
            tax_minor=int(row.tax_minor),
            total_minor=int(row.total_minor),
        )
    for row in collected:
        figures.setdefault((row.currency, row.month), {})["collected_minor"] = int(
            row.collected_minor
        )
    currencies = sorted({currency for currency, _month in figures})
    return [
        CurrencyRevenue(
            currency=currency,
            months=tuple(_month(month, figures.get((currency, month), {})) for month in months),
        )
        for currency in currencies
    ]


def _month(month: date, found: dict[str, int]) -> MonthRevenue:
    return MonthRevenue(
        month=month,
        invoices=found.get("issued", 0),
        net_minor=found.get("net_minor", 0),
        tax_minor=found.get("tax_minor", 0),
        total_minor=found.get("total_minor", 0),
        collected_minor=found.get("collected_minor", 0),
    )
