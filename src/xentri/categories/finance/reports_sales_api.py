"""JSON and CSV of revenue by month and accounts-receivable aging
(/api/v1/finance/reports/revenue-by-month, /receivables-aging)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xentri.categories.finance import reports_receivables, reports_revenue
from xentri.categories.finance.expenses_domain import InvalidExpenseError, amount_text
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.reports_common import CSV_RESPONSE, csv_response
from xentri.categories.finance.reports_csv import receivables_aging_csv, revenue_by_month_csv
from xentri.categories.finance.reports_receivables import Aging, CurrencyAging
from xentri.categories.finance.reports_revenue import CurrencyRevenue, MonthRevenue
from xentri.categories.finance.reports_schemas import (
    AgingRead,
    CurrencyAgingRead,
    CurrencyRevenueRead,
    CustomerAgingRead,
    ReceivablesAgingRead,
    RevenueByMonthRead,
    RevenueMonthRead,
)
from xentri.contracts.problem import FieldError
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/finance/reports", tags=["finance"])

_MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, Query(pattern=_MONTH, description="A month, YYYY-MM.")]
AsOf = Annotated[
    date | None, Query(description="The day balances are aged on; default: the org's today.")
]
MAX_MONTHS = 120


@router.get("/revenue-by-month", summary="Invoiced (net of tax) and collected, month by month")
async def revenue_by_month(
    request: Request, caller: CurrentCaller, start: Month, end: Month
) -> RevenueByMonthRead:
    groups = await _revenue(request, caller, start, end)
    return RevenueByMonthRead(start=start, end=end, currencies=[_currency(g) for g in groups])


@router.get(
    "/revenue-by-month.csv",
    summary="Revenue by month as CSV: a row per month and currency",
    response_class=Response,
    responses=CSV_RESPONSE,
)
async def revenue_by_month_as_csv(
    request: Request, caller: CurrentCaller, start: Month, end: Month
) -> Response:
    groups = await _revenue(request, caller, start, end)
    return csv_response(revenue_by_month_csv(groups), f"revenue-by-month-{start}-{end}.csv")


@router.get("/receivables-aging", summary="What customers owe, by how late it is, per currency")
async def receivables_aging(
    request: Request, caller: CurrentCaller, as_of: AsOf = None
) -> ReceivablesAgingRead:
    day, groups = await _aging(request, caller, as_of)
    return ReceivablesAgingRead(as_of=day, currencies=[_aging_group(g) for g in groups])


@router.get(
    "/receivables-aging.csv",
    summary="Receivables aging as CSV: a row per customer and currency",
    response_class=Response,
    responses=CSV_RESPONSE,
)
async def receivables_aging_as_csv(
    request: Request, caller: CurrentCaller, as_of: AsOf = None
) -> Response:
    day, groups = await _aging(request, caller, as_of)
    return csv_response(receivables_aging_csv(groups), f"receivables-aging-{day}.csv")


async def _revenue(
    request: Request, caller: CurrentCaller, start: str, end: str
) -> list[CurrencyRevenue]:
    first, last = _first_day(start), _first_day(end)
    months = len(reports_revenue.month_span(first, last))
    if last < first or months > MAX_MONTHS:
        message = (
            "must not be before start"
            if last < first
            else f"a report covers at most {MAX_MONTHS} months"
        )
        code = "date_order" if last < first else "period_too_long"
        raise InvalidExpenseError([FieldError(field="query.end", message=message, code=code)])
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return await reports_revenue.revenue_by_month(tx=tx, first_month=first, last_month=last)


async def _aging(
    request: Request, caller: CurrentCaller, as_of: date | None
) -> tuple[date, list[CurrencyAging]]:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        day = as_of or (await org_defaults(tx=tx, org_id=org_id)).today()
        return day, await reports_receivables.receivables_aging(tx=tx, as_of=day)


def _first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def _currency(group: CurrencyRevenue) -> CurrencyRevenueRead:
    c = group.currency
    return CurrencyRevenueRead(
        currency=c,
        invoices=group.invoices,
        net_minor=group.net_minor,
        tax_minor=group.tax_minor,
        total_minor=group.total_minor,
        collected_minor=group.collected_minor,
        net=amount_text(group.net_minor, c),
        tax=amount_text(group.tax_minor, c),
        total=amount_text(group.total_minor, c),
        collected=amount_text(group.collected_minor, c),
        months=[_month(month, c) for month in group.months],
    )


def _month(month: MonthRevenue, currency: str) -> RevenueMonthRead:
    return RevenueMonthRead(
        month=month.month.strftime("%Y-%m"),
        invoices=month.invoices,
        net_minor=month.net_minor,
        tax_minor=month.tax_minor,
        total_minor=month.total_minor,
        collected_minor=month.collected_minor,
        net=amount_text(month.net_minor, currency),
        tax=amount_text(month.tax_minor, currency),
        total=amount_text(month.total_minor, currency),
        collected=amount_text(month.collected_minor, currency),
    )


def _aging_group(group: CurrencyAging) -> CurrencyAgingRead:
    return CurrencyAgingRead(
        currency=group.currency,
        invoices=group.invoices,
        aging=_aging_read(group.aging, group.currency),
        customers=[
            CustomerAgingRead(
                customer_id=line.customer_id,
                name=line.name,
                invoices=line.invoices,
                aging=_aging_read(line.aging, group.currency),
            )
            for line in group.customers
        ],
    )


def _aging_read(aging: Aging, currency: str) -> AgingRead:
    minor = {f"{bucket}_minor": getattr(aging, bucket) for bucket in reports_receivables.BUCKETS}
    text = {
        bucket: amount_text(getattr(aging, bucket), currency)
        for bucket in reports_receivables.BUCKETS
    }
    return AgingRead(
        **minor, **text, total_minor=aging.total, total=amount_text(aging.total, currency)
    )
