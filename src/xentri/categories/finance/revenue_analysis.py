"""Revenue in words: this month against last, the trend over the last months, the top customers.

Every figure comes from the revenue report's own service (`reports_revenue.revenue_by_month`:
issued invoices by issue month, net of tax; payments collected by the day paid), so the words
and the report page can never disagree. The one slice the report does not have, revenue per
customer, applies the report's definition (its ISSUED_STATES, net of tax, by issue date) to the
same window, and the customers add up to the report's total (tested).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.copilot import (
    Language,
    join_words,
    money_text,
    month_text,
    number_text,
    translations,
)
from xentri.categories.finance.reports_revenue import (
    ISSUED_STATES,
    CurrencyRevenue,
    month_end,
    revenue_by_month,
)
from xentri.categories.finance.tables import customers, invoices

DEFAULT_MONTHS = 6
TOP_CUSTOMERS = 3


@dataclass(frozen=True)
class CustomerRevenue:
    customer_id: uuid.UUID
    name: str
    net_minor: int


@dataclass(frozen=True)
class CurrencyAnalysis:
    revenue: CurrencyRevenue  # the report's rows for the window, oldest month first
    top_customers: tuple[CustomerRevenue, ...]

    @property
    def currency(self) -> str:
        return self.revenue.currency

    @property
    def change_percent(self) -> Decimal | None:
        """This month against last, to one decimal; None when last month had nothing."""
        before, now = self.revenue.months[-2].net_minor, self.revenue.months[-1].net_minor
        if before == 0:
            return None
        change = Decimal(now - before) * 100 / Decimal(before)
        return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RevenueAnalysis:
    first_month: date
    this_month: date
    currencies: tuple[CurrencyAnalysis, ...]  # the org's currency first


def window(today: date, months: int) -> tuple[date, date]:
    """The first day of the month `months - 1` before today's, and today's month's first day."""
    this_month = today.replace(day=1)
    index = this_month.year * 12 + this_month.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1), this_month


async def analyse_revenue(
    *, tx: AsyncSession, today: date, org_currency: str, months: int = DEFAULT_MONTHS
) -> RevenueAnalysis:
    """The last `months` months up to today's (at least two, so there is a last month)."""
    months = max(2, min(months, 24))
    first, this_month = window(today, months)
    report = await revenue_by_month(tx=tx, first_month=first, last_month=this_month)
    by_customer = await revenue_by_customer(tx=tx, first_day=first, last_day=month_end(this_month))
    analyses = [
        CurrencyAnalysis(revenue=group, top_customers=by_customer.get(group.currency, ()))
        for group in report
        if group.net_minor or group.collected_minor
    ]
    analyses.sort(key=lambda a: (a.currency != org_currency, a.currency))
    return RevenueAnalysis(first_month=first, this_month=this_month, currencies=tuple(analyses))


async def revenue_by_customer(
    *, tx: AsyncSession, first_day: date, last_day: date
) -> dict[str, tuple[CustomerRevenue, ...]]:
    """Per currency, each customer's invoiced revenue (the report's definition), largest first."""
    net = func.sum(invoices.c.total_minor - invoices.c.tax_minor)
    rows = await tx.execute(
        select(invoices.c.currency, customers.c.id, customers.c.name, net.label("net_minor"))
        .join(customers, customers.c.id == invoices.c.customer_id)
        .where(
            invoices.c.state.in_(ISSUED_STATES),
            invoices.c.issue_date >= first_day,
            invoices.c.issue_date <= last_day,
        )
        .group_by(invoices.c.currency, customers.c.id, customers.c.name)
        .order_by(invoices.c.currency, net.desc(), customers.c.name)
    )
    found: dict[str, list[CustomerRevenue]] = {}
    for row in rows:
        found.setdefault(row.currency, []).append(
            CustomerRevenue(customer_id=row.id, name=row.name, net_minor=int(row.net_minor))
        )
    return {currency: tuple(group) for currency, group in found.items()}


def analysis_text(analysis: RevenueAnalysis, language: Language) -> str:
    if not analysis.currencies:
        _ = translations(language).gettext
        return _("No invoices were issued from %(first)s to %(last)s, so there is no revenue.") % {
            "first": month_text(analysis.first_month, language),
            "last": month_text(analysis.this_month, language),
        }
    return "\n\n".join(
        "\n".join(
            (
                month_sentence(found, language),
                trend_sentence(found, language),
                top_customers_sentence(found, analysis, language),
            )
        )
        for found in analysis.currencies
    )


def month_sentence(found: CurrencyAnalysis, language: Language) -> str:
    t = translations(language)
    before, now = found.revenue.months[-2], found.revenue.months[-1]
    values = {
        "month": month_text(now.month, language),
        "amount": money_text(now.net_minor, found.currency, language),
        "invoices": t.ngettext("%(count)s invoice", "%(count)s invoices", now.invoices)
        % {"count": number_text(now.invoices, language)},
        "last_month": month_text(before.month, language),
        "last_amount": money_text(before.net_minor, found.currency, language),
        "collected": money_text(now.collected_minor, found.currency, language),
    }
    change = found.change_percent
    if change is None:
        comparison = t.gettext("%(last_month)s had no revenue to compare with.") % values
    elif change > 0:
        comparison = t.gettext("up %(change)s%% on %(last_month)s (%(last_amount)s).") % {
            **values,
            "change": number_text(change, language),
        }
    elif change < 0:
        comparison = t.gettext("down %(change)s%% on %(last_month)s (%(last_amount)s).") % {
            **values,
            "change": number_text(-change, language),
        }
    else:
        comparison = t.gettext("the same as %(last_month)s.") % values
    head = t.gettext("Revenue in %(month)s: %(amount)s from %(invoices)s, net of tax;") % values
    collected = t.gettext("Collected in %(month)s: %(collected)s.") % values
    return f"{head} {comparison} {collected}"


def trend_sentence(found: CurrencyAnalysis, language: Language) -> str:
    """The months in order, which way they go (the later half against the earlier), the best."""
    t = translations(language)
    months = found.revenue.months
    half = len(months) // 2
    earlier = sum(m.net_minor for m in months[: len(months) - half])
    later = sum(m.net_minor for m in months[len(months) - half :])
    best = max(months, key=lambda m: (m.net_minor, m.month))
    listed = join_words(
        [
            f"{month_text(m.month, language)} {money_text(m.net_minor, found.currency, language)}"
            for m in months
        ],
        language,
    )
    values = {
        "count": number_text(len(months), language),
        "months": listed,
        "best": month_text(best.month, language),
        "best_amount": money_text(best.net_minor, found.currency, language),
    }
    if later > earlier:
        text = t.gettext("Over the last %(count)s months revenue is rising: %(months)s.")
    elif later < earlier:
        text = t.gettext("Over the last %(count)s months revenue is falling: %(months)s.")
    else:
        text = t.gettext("Over the last %(count)s months revenue is steady: %(months)s.")
    best_text = t.gettext("The best month was %(best)s (%(best_amount)s).")
    return f"{text % values} {best_text % values}"


def top_customers_sentence(
    found: CurrencyAnalysis, analysis: RevenueAnalysis, language: Language
) -> str:
    t = translations(language)
    top = found.top_customers[:TOP_CUSTOMERS]
    values = {
        "first": month_text(analysis.first_month, language),
        "last": month_text(analysis.this_month, language),
        "currency": found.currency,
    }
    if not top:
        return (
            t.gettext("No %(currency)s invoices were issued from %(first)s to %(last)s.") % values
        )
    listed = join_words(
        [f"{c.name} ({money_text(c.net_minor, found.currency, language)})" for c in top], language
    )
    return t.gettext("Top customers from %(first)s to %(last)s: %(customers)s.") % {
        **values,
        "customers": listed,
    }
