"""The Finance Co-pilot's typed tools (tools.yaml: finance.who_owes_me, finance.revenue_analysis,
finance.top_customers, finance.pricing_suggestions), read-only, each in the tenant transaction
of the org the agent answers for.

Each returns exact figures (integer minor units) and an `answer` in the asker's language, with
the same figures written out: the offline model quotes the answer, a cloud model may use
either. `TOOL_INTENTS` says which tool answers which kind of data question for the offline
model (the subjects of `xentri.ai.offline.question_intent`); the composition root hands it on.
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel
from pydantic_ai import RunContext, Tool

from xentri.ai.tools import ToolContext
from xentri.categories.finance import pricing, revenue_analysis, who_owes
from xentri.categories.finance.copilot import Language
from xentri.categories.finance.offerings import OfferingSource
from xentri.categories.finance.org_defaults import org_defaults

# Model APIs accept letters, digits, '_' and '-' in tool names: the registry's dot becomes '_'.
WHO_OWES_ME = "finance_who_owes_me"
REVENUE_ANALYSIS = "finance_revenue_analysis"
TOP_CUSTOMERS = "finance_top_customers"
PRICING_SUGGESTIONS = "finance_pricing_suggestions"

TOOL_INTENTS: dict[str, tuple[str, ...]] = {
    "who_owes": (WHO_OWES_ME,),
    "overdue_invoices": (WHO_OWES_ME,),
    "outstanding": (WHO_OWES_ME,),
    "revenue": (REVENUE_ANALYSIS,),
    "revenue_trend": (REVENUE_ANALYSIS,),
    "top_customer": (TOP_CUSTOMERS,),
    "pricing": (PRICING_SUGGESTIONS,),
}


class OpenInvoiceOut(BaseModel):
    invoice_id: uuid.UUID
    number: str
    due_date: date
    amount_due_minor: int
    days_overdue: int


class CustomerDebtOut(BaseModel):
    customer: str
    currency: str
    amount_due_minor: int
    overdue_minor: int
    invoices: list[OpenInvoiceOut]


class WhoOwesMe(BaseModel):
    answer: str
    customers: list[CustomerDebtOut]


class MonthOut(BaseModel):
    month: date
    invoices: int
    net_minor: int
    collected_minor: int


class CustomerRevenueOut(BaseModel):
    customer: str
    net_minor: int


class CurrencyRevenueOut(BaseModel):
    currency: str
    months: list[MonthOut]
    change_percent: str | None  # this month against last, one decimal; None: nothing last month
    top_customers: list[CustomerRevenueOut]


class RevenueAnalysisOut(BaseModel):
    answer: str
    first_month: date
    this_month: date
    currencies: list[CurrencyRevenueOut]


class PricingFindingOut(BaseModel):
    offering: str
    currency: str | None
    verdict: pricing.Verdict
    list_price_minor: int | None
    average_invoiced_minor: int | None
    invoices: int
    quantity: str


class PricingOut(BaseModel):
    answer: str
    has_brief_offerings: bool
    findings: list[PricingFindingOut]


def finance_tools(*, offerings: OfferingSource) -> dict[str, Tool[ToolContext]]:
    """The tools by their registry names; `offerings` reads the approved Brief's offerings."""

    async def finance_who_owes_me(
        ctx: RunContext[ToolContext], language: Language = "en"
    ) -> WhoOwesMe:
        """Who owes the business money: open invoices by customer with amount due and days
        overdue, largest debt first.

        Args:
            language: the language of the answer's words, en or es.
        """
        async with ctx.deps.transaction() as tx:
            today = (await org_defaults(tx=tx, org_id=ctx.deps.org_id)).today()
            debts = await who_owes.who_owes(tx=tx, today=today)
        return WhoOwesMe(
            answer=who_owes.who_owes_text(debts, language),
            customers=[
                CustomerDebtOut(
                    customer=debt.name,
                    currency=debt.currency,
                    amount_due_minor=debt.amount_due_minor,
                    overdue_minor=debt.overdue_minor,
                    invoices=[OpenInvoiceOut(**vars(invoice)) for invoice in debt.invoices],
                )
                for debt in debts
            ],
        )

    async def finance_revenue_analysis(
        ctx: RunContext[ToolContext],
        language: Language = "en",
        months: int = revenue_analysis.DEFAULT_MONTHS,
    ) -> RevenueAnalysisOut:
        """Revenue this month against last, the trend over the last months and the top
        customers, with the revenue report's exact figures (net of tax, by issue month).

        Args:
            language: the language of the answer's words, en or es.
            months: how many months back, this one included (2 to 24).
        """
        analysis = await _analysis(ctx, months)
        return _revenue_out(analysis, revenue_analysis.analysis_text(analysis, language))

    async def finance_top_customers(
        ctx: RunContext[ToolContext],
        language: Language = "en",
        months: int = revenue_analysis.DEFAULT_MONTHS,
    ) -> RevenueAnalysisOut:
        """The customers who brought in the most revenue over the last months (net of tax).

        Args:
            language: the language of the answer's words, en or es.
            months: how many months back, this one included (2 to 24).
        """
        analysis = await _analysis(ctx, months)
        words = [
            revenue_analysis.top_customers_sentence(found, analysis, language)
            for found in analysis.currencies
        ] or [revenue_analysis.analysis_text(analysis, language)]
        return _revenue_out(analysis, "\n".join(words))

    async def finance_pricing_suggestions(
        ctx: RunContext[ToolContext], language: Language = "en"
    ) -> PricingOut:
        """Compare the Brief's offerings and list prices with what was actually invoiced
        (average unit price net of discounts, number of invoices, units), with suggestions.

        Args:
            language: the language of the answer's words, en or es.
        """
        async with ctx.deps.transaction() as tx:
            currency = (await org_defaults(tx=tx, org_id=ctx.deps.org_id)).currency
            listed = await offerings.offerings(tx=tx)
            invoiced = await pricing.invoiced_by_description(tx=tx)
        findings = pricing.compare(listed, invoiced, org_currency=currency)
        return PricingOut(
            answer=pricing.pricing_text(findings, has_offerings=bool(listed), language=language),
            has_brief_offerings=bool(listed),
            findings=[
                PricingFindingOut(
                    offering=f.offering,
                    currency=f.currency,
                    verdict=f.verdict,
                    list_price_minor=f.list_price_minor,
                    average_invoiced_minor=f.invoiced.average_minor if f.invoiced else None,
                    invoices=f.invoiced.invoices if f.invoiced else 0,
                    quantity=str(f.invoiced.quantity) if f.invoiced else "0",
                )
                for f in findings
            ],
        )

    async def _analysis(
        ctx: RunContext[ToolContext], months: int
    ) -> revenue_analysis.RevenueAnalysis:
        async with ctx.deps.transaction() as tx:
            defaults = await org_defaults(tx=tx, org_id=ctx.deps.org_id)
            return await revenue_analysis.analyse_revenue(
                tx=tx, today=defaults.today(), org_currency=defaults.currency, months=months
            )

    return {
        "finance.who_owes_me": Tool(finance_who_owes_me, name=WHO_OWES_ME, takes_ctx=True),
        "finance.revenue_analysis": Tool(
            finance_revenue_analysis, name=REVENUE_ANALYSIS, takes_ctx=True
        ),
        "finance.top_customers": Tool(finance_top_customers, name=TOP_CUSTOMERS, takes_ctx=True),
        "finance.pricing_suggestions": Tool(
            finance_pricing_suggestions, name=PRICING_SUGGESTIONS, takes_ctx=True
        ),
    }


def _revenue_out(analysis: revenue_analysis.RevenueAnalysis, answer: str) -> RevenueAnalysisOut:
    return RevenueAnalysisOut(
        answer=answer,
        first_month=analysis.first_month,
        this_month=analysis.this_month,
        currencies=[
            CurrencyRevenueOut(
                currency=found.currency,
                months=[
                    MonthOut(
                        month=m.month,
                        invoices=m.invoices,
                        net_minor=m.net_minor,
                        collected_minor=m.collected_minor,
                    )
                    for m in found.revenue.months
                ],
                change_percent=(
                    str(found.change_percent) if found.change_percent is not None else None
                ),
                top_customers=[
                    CustomerRevenueOut(customer=c.name, net_minor=c.net_minor)
                    for c in found.top_customers
                ],
            )
            for found in analysis.currencies
        ],
    )
