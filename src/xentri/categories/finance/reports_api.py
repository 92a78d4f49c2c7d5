"""JSON and CSV of Finance's reports over a period of days: expenses by category and profit
and loss (/api/v1/finance/reports/...). Revenue and receivables are in reports_sales_api."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xentri.categories.finance import reports_expenses, reports_profit, reports_sales_api
from xentri.categories.finance.expenses_domain import amount_text
from xentri.categories.finance.expenses_schemas import (
    CategoryTotalRead,
    CurrencyExpensesRead,
    ExpensesByCategoryRead,
)
from xentri.categories.finance.reports_common import (
    CSV_RESPONSE,
    check_period,
    csv_response,
    labeller,
)
from xentri.categories.finance.reports_csv import (
    expenses_by_category_csv,
    profit_and_loss_csv,
)
from xentri.categories.finance.reports_schemas import (
    CurrencyProfitRead,
    ExpenseLineRead,
    ProfitAndLossRead,
)
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/finance/reports", tags=["finance"])

Start = Annotated[date, Query(description="First day included.")]
End = Annotated[date, Query(description="Last day included.")]


@router.get("/expenses-by-category", summary="Expenses per category and currency in a period")
async def expenses_by_category(
    request: Request, caller: CurrentCaller, start: Start, end: End
) -> ExpensesByCategoryRead:
    groups = await _expenses_by_category(request, caller, start, end)
    label = labeller(request)
    return ExpensesByCategoryRead(
        start=start,
        end=end,
        currencies=[
            CurrencyExpensesRead(
                currency=group.currency,
                count=group.count,
                total_minor=group.total_minor,
                tax_minor=group.tax_minor,
                total=amount_text(group.total_minor, group.currency),
                tax=amount_text(group.tax_minor, group.currency),
                categories=[
                    CategoryTotalRead(
                        category=line.category,
                        label=label(line.category),
                        count=line.count,
                        total_minor=line.total_minor,
                        tax_minor=line.tax_minor,
                        total=amount_text(line.total_minor, group.currency),
                        tax=amount_text(line.tax_minor, group.currency),
                    )
                    for line in group.categories
                ],
            )
            for group in groups
        ],
    )


@router.get(
    "/expenses-by-category.csv",
    summary="Expenses by category as CSV: a row per category and currency",
    response_class=Response,
    responses=CSV_RESPONSE,
)
async def expenses_by_category_as_csv(
    request: Request, caller: CurrentCaller, start: Start, end: End
) -> Response:
    groups = await _expenses_by_category(request, caller, start, end)
    return csv_response(
        expenses_by_category_csv(groups, label=labeller(request)),
        f"expenses-by-category-{start}-{end}.csv",
    )


@router.get("/profit-and-loss", summary="Revenue less expenses in a period, per currency")
async def profit_and_loss(
    request: Request, caller: CurrentCaller, start: Start, end: End
) -> ProfitAndLossRead:
    groups = await _profit_and_loss(request, caller, start, end)
    return ProfitAndLossRead(
        start=start, end=end, currencies=[_profit(g, labeller(request)) for g in groups]
    )


@router.get(
    "/profit-and-loss.csv",
    summary="Profit and loss as CSV: revenue, each expense category, profit",
    response_class=Response,
    responses=CSV_RESPONSE,
)
async def profit_and_loss_as_csv(
    request: Request, caller: CurrentCaller, start: Start, end: End
) -> Response:
    groups = await _profit_and_loss(request, caller, start, end)
    return csv_response(
        profit_and_loss_csv(groups, label=labeller(request)),
        f"profit-and-loss-{start}-{end}.csv",
    )


async def _expenses_by_category(
    request: Request, caller: CurrentCaller, start: date, end: date
) -> list[reports_expenses.CurrencyExpenses]:
    check_period(start, end)
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return await reports_expenses.expenses_by_category(tx=tx, start=start, end=end)


async def _profit_and_loss(
    request: Request, caller: CurrentCaller, start: date, end: date
) -> list[reports_profit.ProfitAndLoss]:
    check_period(start, end)
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return await reports_profit.profit_and_loss(tx=tx, start=start, end=end)


def _profit(group: reports_profit.ProfitAndLoss, label: Callable[[str], str]) -> CurrencyProfitRead:
    currency = group.currency
    return CurrencyProfitRead(
        currency=currency,
        invoices=group.invoices,
        revenue_minor=group.revenue_minor,
        expenses_minor=group.expenses_minor,
        profit_minor=group.profit_minor,
        revenue=amount_text(group.revenue_minor, currency),
        expenses=amount_text(group.expenses_minor, currency),
        profit=amount_text(group.profit_minor, currency),
        expense_lines=[
            ExpenseLineRead(
                category=line.category,
                label=label(line.category),
                net_minor=line.net_minor,
                net=amount_text(line.net_minor, currency),
            )
            for line in group.expense_lines
        ],
    )


routers = (router, reports_sales_api.router)
