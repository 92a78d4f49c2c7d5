"""Accounts receivable aging: what customers owe on issued invoices, by how late it is.

Buckets by days past the due date on the `as_of` day: current (not yet due), 1-30, 31-60,
61-90 and over 90. An invoice counts when it is open (sent or partially paid) and was issued
on or before `as_of`; its balance is its total less what has been paid (as it stands now:
the report ages today's balances, it does not replay payments). Per currency, never added
across currencies, with a row per customer, largest balance first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, and_, case, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from xentri.categories.finance.tables import customers, invoices

OPEN_STATES = ("sent", "partially_paid")
BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")
# (first day late, last day late) of each bucket; None: unbounded.
_RANGES: dict[str, tuple[int | None, int | None]] = {
    "current": (None, 0),
    "days_1_30": (1, 30),
    "days_31_60": (31, 60),
    "days_61_90": (61, 90),
    "days_over_90": (91, None),
}


def aging_bucket(days_late: int) -> str:
    """The bucket of a balance `days_late` days past its due date (0 or less: current)."""
    for bucket, (low, high) in _RANGES.items():
        if (low is None or days_late >= low) and (high is None or days_late <= high):
            return bucket
    raise AssertionError("the buckets cover every integer")  # pragma: no cover


@dataclass(frozen=True)
class Aging:
    current: int = 0
    days_1_30: int = 0
    days_31_60: int = 0
    days_61_90: int = 0
    days_over_90: int = 0

    @property
    def total(self) -> int:
        return sum(self.amounts())

    def amounts(self) -> tuple[int, ...]:
        return tuple(getattr(self, bucket) for bucket in BUCKETS)


@dataclass(frozen=True)
class CustomerAging:
    customer_id: uuid.UUID
    name: str
    invoices: int
    aging: Aging


@dataclass(frozen=True)
class CurrencyAging:
    currency: str
    customers: tuple[CustomerAging, ...]

    @property
    def aging(self) -> Aging:
        return Aging(
            *(sum(c.aging.amounts()[i] for c in self.customers) for i in range(len(BUCKETS)))
        )

    @property
    def invoices(self) -> int:
        return sum(c.invoices for c in self.customers)


async def receivables_aging(*, tx: AsyncSession, as_of: date) -> list[CurrencyAging]:
    balance = invoices.c.total_minor - invoices.c.paid_minor
    days_late = cast(literal(as_of) - invoices.c.due_date, Integer)
    sums = [
        func.coalesce(func.sum(case((_in_range(days_late, bucket), balance), else_=0)), 0).label(
            bucket
        )
        for bucket in BUCKETS
    ]
    rows = await tx.execute(
        select(
            invoices.c.currency,
            invoices.c.customer_id,
            customers.c.name,
            func.count().label("open_invoices"),
            *sums,
        )
        .join(customers, customers.c.id == invoices.c.customer_id)
        .where(
            invoices.c.state.in_(OPEN_STATES),
            invoices.c.issue_date <= as_of,
            balance > 0,
        )
        .group_by(invoices.c.currency, invoices.c.customer_id, customers.c.name)
        .order_by(invoices.c.currency, func.sum(balance).desc(), customers.c.name)
    )
    groups: dict[str, list[CustomerAging]] = {}
    for row in rows:
        groups.setdefault(row.currency, []).append(
            CustomerAging(
                customer_id=row.customer_id,
                name=row.name,
                invoices=int(row.open_invoices),
                aging=Aging(*(int(getattr(row, bucket)) for bucket in BUCKETS)),
            )
        )
    return [CurrencyAging(currency, tuple(found)) for currency, found in groups.items()]


def _in_range(days_late: ColumnElement[int], bucket: str) -> ColumnElement[bool]:
    low, high = _RANGES[bucket]
    conditions = []
    if low is not None:
        conditions.append(days_late >= low)
    if high is not None:
        conditions.append(days_late <= high)
    return and_(*conditions)
