"""The reports as pages: revenue by month, receivables aging, expenses by category, profit and
loss. Each is per currency (never summed across currencies), with a chart drawn on the server,
the figures in a table beside it, and the same report as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from xentri.categories.finance import (
    reports_expenses,
    reports_profit,
    reports_receivables,
    reports_revenue,
)
from xentri.categories.finance.expenses_domain import category_label
from xentri.categories.finance.reports_charts import bar_chart, column_chart
from xentri.categories.finance.reports_common import MAX_PERIOD_DAYS, csv_response
from xentri.categories.finance.reports_csv import (
    expenses_by_category_csv,
    profit_and_loss_csv,
    receivables_aging_csv,
    revenue_by_month_csv,
)
from xentri.categories.finance.views_common import BASE, blank_form, not_found, page
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.shell.formatting import date_in, money_in, today_in
from xentri.shell.forms import Form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.i18n import N_
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/reports"
MAX_MONTHS = 120
REPORTS = {
    "revenue": (
        N_("Revenue by month"),
        N_("What you invoiced each month, and what you collected."),
    ),
    "aging": (
        N_("Receivables aging"),
        N_("Who owes you, and how late: current, 1-30, 31-60, 61-90 and over 90 days."),
    ),
    "expenses": (N_("Expenses by category"), N_("Where the money went in a period.")),
    "profit": (N_("Profit and loss"), N_("Revenue less expenses for a period, both before tax.")),
}
BUCKET_NAMES = {
    "current": N_("Current"),
    "days_1_30": N_("1-30 days"),
    "days_31_60": N_("31-60 days"),
    "days_61_90": N_("61-90 days"),
    "days_over_90": N_("Over 90 days"),
}


@router.get(HERE)
async def reports_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    context = {"reports": REPORTS}
    return page(request, visitor, frame, "reports", "finance/reports.html", context)


@router.get(HERE + "/{name}")
async def report_page(request: Request, visitor: SignedInVisitor, name: str) -> Response:
    csv = name.endswith(".csv")
    name = name.removesuffix(".csv")
    if name not in REPORTS:
        raise not_found()
    frame = await load_frame(request, visitor)
    form = _period_form(request, frame, name)
    context: dict[str, Any] = {"report": name, "reports": REPORTS, "form": form, "groups": []}
    period = _period(visitor, form, name)
    if frame.current is not None and period is not None:
        groups = await _run(request, visitor, frame, name, period)
        if csv:
            return _csv(request, visitor, name, groups, period)
        context["groups"] = _shown(visitor, name, groups)
        context["csv_url"] = f"{HERE}/{name}.csv?{request.url.query}"
    status = 200 if form.ok else 422
    return page(request, visitor, frame, "reports", "finance/report.html", context, status=status)


def _period_form(request: Request, frame: Frame, name: str) -> Form:
    today = today_in(frame.region)
    params = request.query_params
    if name == "revenue":
        first = (
            dt.date(today.year - 1, today.month, 1)
            if today.month < 12
            else today.replace(month=1, day=1)
        )
        defaults = {"start": first.strftime("%Y-%m"), "end": today.strftime("%Y-%m")}
    elif name == "aging":
        defaults = {"as_of": today.isoformat()}
    else:
        defaults = {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}
    return blank_form(defaults, **{k: params.get(k, "").strip() or v for k, v in defaults.items()})


def _period(visitor: Visitor, form: Form, name: str) -> tuple[dt.date, dt.date] | None:
    """The days (or months' first days) the report covers, or None with the field's error."""
    _ = visitor.gettext
    if name == "aging":
        day = _parse(form, "as_of", visitor)
        return (day, day) if day else None
    start, end = _parse(form, "start", visitor), _parse(form, "end", visitor)
    if start is None or end is None:
        return None
    if end < start:
        form.errors["end"] = _("The end cannot be before the start.")
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if (name == "revenue" and months > MAX_MONTHS) or (end - start).days > MAX_PERIOD_DAYS:
        form.errors["end"] = _("A report covers at most ten years.")
        return None
    return start, end


def _parse(form: Form, field: str, visitor: Visitor) -> dt.date | None:
    text = form.values[field]
    try:
        if len(text) == 7:  # a month, YYYY-MM
            return dt.date.fromisoformat(text + "-01")
        return dt.date.fromisoformat(text)
    except ValueError:
        form.errors[field] = visitor.gettext("Enter a date, like 2027-06-30.")
        return None


async def _run(
    request: Request, visitor: Visitor, frame: Frame, name: str, period: tuple[dt.date, dt.date]
) -> list[Any]:
    assert frame.current is not None
    start, end = period
    async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        if name == "revenue":
            return list(
                await reports_revenue.revenue_by_month(tx=tx, first_month=start, last_month=end)
            )
        if name == "aging":
            return list(await reports_receivables.receivables_aging(tx=tx, as_of=start))
        if name == "expenses":
            return list(await reports_expenses.expenses_by_category(tx=tx, start=start, end=end))
        return list(await reports_profit.profit_and_loss(tx=tx, start=start, end=end))


def _csv(
    request: Request, visitor: Visitor, name: str, groups: list[Any], period: tuple[dt.date, ...]
) -> Response:
    label = _labeller(visitor)
    start, end = period
    if name == "revenue":
        text = revenue_by_month_csv(groups)
        filename = f"revenue-by-month-{start:%Y-%m}-{end:%Y-%m}.csv"
    elif name == "aging":
        text, filename = receivables_aging_csv(groups), f"receivables-aging-{start}.csv"
    elif name == "expenses":
        text = expenses_by_category_csv(groups, label=label)
        filename = f"expenses-by-category-{start}-{end}.csv"
    else:
        text = profit_and_loss_csv(groups, label=label)
        filename = f"profit-and-loss-{start}-{end}.csv"
    return csv_response(text, filename)


def _labeller(visitor: Visitor) -> Callable[[str], str]:
    return lambda category: category_label(category, visitor.gettext)


def _shown(visitor: Visitor, name: str, groups: list[Any]) -> list[dict[str, Any]]:
    """Each currency's figures and its chart, written for the reader."""
    _ = visitor.gettext
    shown = []
    for group in groups:
        currency = group.currency

        def money(minor: int, currency: str = currency) -> str:
            return money_in(minor, currency, visitor.lang)

        if name == "revenue":
            labels = [date_in(m.month, visitor.lang, "MMM yyyy") for m in group.months]
            chart = column_chart(
                title=_("Revenue by month in %(currency)s", currency=currency),
                labels=labels,
                values=[m.net_minor for m in group.months],
                value_text=money,
            )
            rows = list(zip(labels, group.months, strict=True))
        elif name == "aging":
            buckets = reports_receivables.BUCKETS
            chart = bar_chart(
                title=_("Receivables by age in %(currency)s", currency=currency),
                labels=[_(BUCKET_NAMES[b]) for b in buckets],
                values=[getattr(group.aging, b) for b in buckets],
                value_text=money,
            )
            rows = [(_(BUCKET_NAMES[b]), getattr(group.aging, b)) for b in buckets]
        elif name == "expenses":
            chart = bar_chart(
                title=_("Expenses by category in %(currency)s", currency=currency),
                labels=[category_label(c.category, _) for c in group.categories],
                values=[c.total_minor for c in group.categories],
                value_text=money,
            )
            rows = [(category_label(c.category, _), c) for c in group.categories]
        else:
            # Columns, so a loss hangs below the zero line instead of being drawn as zero.
            loss = group.profit_minor < 0
            chart = column_chart(
                title=_("Profit and loss in %(currency)s", currency=currency),
                labels=[_("Revenue"), _("Expenses"), _("Loss") if loss else _("Profit")],
                values=[group.revenue_minor, group.expenses_minor, group.profit_minor],
                value_text=money,
            )
            rows = [(category_label(line.category, _), line) for line in group.expense_lines]
        shown.append({"group": group, "currency": currency, "chart": chart, "rows": rows})
    return shown
