"""JSON and CSV of Finance's reports: /api/v1/finance/reports/..."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xentri.categories.finance import reports_expenses
from xentri.categories.finance.expenses_domain import (
    InvalidExpenseError,
    amount_text,
    category_label,
)
from xentri.categories.finance.expenses_schemas import (
    CategoryTotalRead,
    CurrencyExpensesRead,
    ExpensesByCategoryRead,
)
from xentri.categories.finance.reports_csv import expenses_by_category_csv
from xentri.contracts.problem import FieldError
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission
from xentri.kernel.i18n import negotiate

router = APIRouter(prefix="/api/v1/finance/reports", tags=["finance"])

Start = Annotated[date, Query(description="First day included.")]
End = Annotated[date, Query(description="Last day included.")]
MAX_PERIOD_DAYS = 3660  # ten years: a longer period is a mistake, not a report


@router.get("/expenses-by-category", summary="Expenses per category and currency in a period")
async def expenses_by_category(
    request: Request, caller: CurrentCaller, start: Start, end: End
) -> ExpensesByCategoryRead:
    groups = await _expenses_by_category(request, caller, start, end)
    label = _labeller(request)
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
    summary="The same as CSV: a row per category and currency",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def expenses_by_category_as_csv(
    request: Request, caller: CurrentCaller, start: Start, end: End
) -> Response:
    groups = await _expenses_by_category(request, caller, start, end)
    return _csv(
        expenses_by_category_csv(groups, label=_labeller(request)),
        f"expenses-by-category-{start}-{end}.csv",
    )


async def _expenses_by_category(
    request: Request, caller: CurrentCaller, start: date, end: date
) -> list[reports_expenses.CurrencyExpenses]:
    check_period(start, end)
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return await reports_expenses.expenses_by_category(tx=tx, start=start, end=end)


def check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidExpenseError(
            [FieldError(field="query.end", message="must not be before start", code="date_order")]
        )
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidExpenseError(
            [
                FieldError(
                    field="query.end",
                    message=f"a report covers at most {MAX_PERIOD_DAYS} days",
                    code="period_too_long",
                )
            ]
        )


def _labeller(request: Request) -> Callable[[str], str]:
    # The shell loads the catalogs once at start-up; categories translate with the same ones.
    language = negotiate(choice=None, accept_language=request.headers.get("accept-language"))
    gettext = request.app.state.shell.catalogs.get(language).gettext
    return lambda category: category_label(category, gettext)


def _csv(text: str, filename: str) -> Response:
    # A byte-order mark so spreadsheet programs read the accents as UTF-8.
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


routers = (router,)
