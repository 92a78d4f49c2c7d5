"""Pricing suggestions: the Brief's offerings at their list price, against what was invoiced.

What was invoiced for an offering: the lines of issued invoices (sent, partially paid, paid)
in the offering's currency whose description is the offering's name (case and surrounding
spaces aside, as invoice lines picked from the Brief are written). Its average unit price is
the lines' net (after the line discount, before tax) divided by their quantity, rounded half
up to the currency's minor unit: what a unit actually brought in.

The rules are fixed, so the same data always gives the same advice:
- within 5% of the list price either way: it matches, nothing to say;
- below by more: the list price is not what customers pay (discounts, an old price);
- above by more: the Brief's price looks out of date;
- never invoiced, or no list price in the Brief: said so.
Without a Brief (or one without offerings) there are no list prices, and the answer says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.copilot import Language, money_text, number_text, translations
from xentri.categories.finance.reports_revenue import ISSUED_STATES
from xentri.categories.finance.tables import invoice_lines, invoices
from xentri.contracts.brief import Offering

TOLERANCE = Decimal("0.05")
Verdict = Literal["below", "above", "matches", "not_invoiced", "no_list_price"]


@dataclass(frozen=True)
class Invoiced:
    net_minor: int
    quantity: Decimal
    invoices: int

    @property
    def average_minor(self) -> int:
        return int((Decimal(self.net_minor) / self.quantity).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class PriceFinding:
    offering: str
    currency: str | None
    list_price_minor: int | None
    invoiced: Invoiced | None
    verdict: Verdict

    @property
    def difference_percent(self) -> Decimal | None:
        if self.invoiced is None or not self.list_price_minor:
            return None
        change = (
            Decimal(self.invoiced.average_minor - self.list_price_minor)
            * 100
            / Decimal(self.list_price_minor)
        )
        return change.quantize(Decimal("0.1"), ROUND_HALF_UP)


def key(description: str) -> str:
    return " ".join(description.split()).casefold()


async def invoiced_by_description(*, tx: AsyncSession) -> dict[tuple[str, str], Invoiced]:
    """(description key, currency) → what issued invoices' lines with it brought in."""
    description = func.lower(func.btrim(invoice_lines.c.description))
    rows = await tx.execute(
        select(
            description.label("description"),
            invoices.c.currency,
            func.sum(invoice_lines.c.net_minor).label("net_minor"),
            func.sum(invoice_lines.c.quantity).label("quantity"),
            func.count(func.distinct(invoices.c.id)).label("invoices"),
        )
        .join(invoices, invoices.c.id == invoice_lines.c.invoice_id)
        .where(invoices.c.state.in_(ISSUED_STATES), invoice_lines.c.quantity > 0)
        .group_by(description, invoices.c.currency)
    )
    found: dict[tuple[str, str], Invoiced] = {}
    for row in rows:
        # PostgreSQL's lower() and Python's casefold() agree on what owners type; the key is
        # recomputed here so both sides of the match use the same one.
        slot = (key(row.description), row.currency)
        previous = found.get(slot)
        invoiced = Invoiced(
            net_minor=int(row.net_minor), quantity=Decimal(row.quantity), invoices=int(row.invoices)
        )
        if previous is not None:
            invoiced = Invoiced(
                net_minor=previous.net_minor + invoiced.net_minor,
                quantity=previous.quantity + invoiced.quantity,
                invoices=previous.invoices + invoiced.invoices,
            )
        found[slot] = invoiced
    return found


def compare(
    offerings: Sequence[Offering],
    invoiced: dict[tuple[str, str], Invoiced],
    *,
    org_currency: str,
) -> list[PriceFinding]:
    findings = []
    for offering in offerings:
        currency = offering.currency or org_currency
        seen = invoiced.get((key(offering.name), currency))
        price = offering.price_minor
        if seen is None:
            verdict: Verdict = "not_invoiced"
        elif not price:
            verdict = "no_list_price"
        else:
            ratio = (Decimal(seen.average_minor) - price) / price
            verdict = "below" if ratio < -TOLERANCE else "above" if ratio > TOLERANCE else "matches"
        findings.append(
            PriceFinding(
                offering=offering.name,
                currency=currency,
                list_price_minor=price,
                invoiced=seen,
                verdict=verdict,
            )
        )
    order = {"below": 0, "above": 1, "no_list_price": 2, "not_invoiced": 3, "matches": 4}
    return sorted(findings, key=lambda f: (order[f.verdict], f.offering.casefold()))


def pricing_text(
    findings: Sequence[PriceFinding], *, has_offerings: bool, language: Language
) -> str:
    t = translations(language)
    if not has_offerings:
        return t.gettext(
            "Your Brief lists no offerings with prices yet, so there is nothing to compare what "
            "you invoiced with. Add your offerings and prices in the Strategy Brief."
        )
    lines = [_finding_text(finding, language) for finding in findings]
    if all(f.verdict == "matches" for f in findings):
        lines.insert(0, t.gettext("Your invoices match the prices in your Brief."))
    return "\n".join(f"- {line}" for line in lines)


def _plain(quantity: Decimal) -> Decimal:
    """12.000 → 12, 2.500 → 2.5 (normalize alone writes 10 as 1E+1)."""
    whole = quantity.to_integral_value()
    return whole if quantity == whole else quantity.normalize()


def _finding_text(finding: PriceFinding, language: Language) -> str:
    t = translations(language)
    currency = finding.currency or ""
    values: dict[str, str] = {"offering": finding.offering}
    if finding.list_price_minor is not None:
        values["list"] = money_text(finding.list_price_minor, currency, language)
    seen = finding.invoiced
    if seen is not None:
        values |= {
            "average": money_text(seen.average_minor, currency, language),
            "invoices": t.ngettext("%(count)s invoice", "%(count)s invoices", seen.invoices)
            % {"count": number_text(seen.invoices, language)},
            "quantity": number_text(_plain(seen.quantity), language),
        }
    if finding.difference_percent is not None:
        values["percent"] = number_text(abs(finding.difference_percent), language)
    texts = {
        "below": t.gettext(
            "You list %(offering)s at %(list)s but invoiced it at %(average)s on average over "
            "%(invoices)s (%(quantity)s units), %(percent)s%% less. Check the discounts you "
            "give, or update the price in your Brief if this is the real price."
        ),
        "above": t.gettext(
            "You list %(offering)s at %(list)s but invoiced it at %(average)s on average over "
            "%(invoices)s (%(quantity)s units), %(percent)s%% more. Your Brief's price looks "
            "out of date: consider updating it."
        ),
        "matches": t.gettext(
            "%(offering)s: invoiced at %(average)s on average over %(invoices)s, in line with "
            "its list price of %(list)s."
        ),
        "not_invoiced": t.gettext("%(offering)s has not been invoiced yet."),
        "no_list_price": t.gettext(
            "%(offering)s has no price in your Brief; you invoiced it at %(average)s on "
            "average over %(invoices)s. Add that price to your Brief."
        ),
    }
    return texts[finding.verdict] % values
