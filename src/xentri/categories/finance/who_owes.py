"""Who owes the business money: open invoices by customer, with what is due and how late.

Open means sent or partially paid with something left to pay (the receivables aging report's
rule), read as it stands now; days overdue are counted on the org's calendar day, as the
invoice's own status is. Customers are listed by what they owe, largest first, per currency.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.copilot import (
    Language,
    join_words,
    money_text,
    number_text,
    translations,
)
from xentri.categories.finance.domain import OPEN_STATES, days_overdue
from xentri.categories.finance.tables import customers, invoices

MAX_CUSTOMERS = 10


@dataclass(frozen=True)
class OpenInvoice:
    invoice_id: uuid.UUID
    number: str
    due_date: date
    amount_due_minor: int
    days_overdue: int  # 0: not due yet


@dataclass(frozen=True)
class CustomerDebt:
    customer_id: uuid.UUID
    name: str
    currency: str
    invoices: tuple[OpenInvoice, ...]  # oldest due date first

    @property
    def amount_due_minor(self) -> int:
        return sum(i.amount_due_minor for i in self.invoices)

    @property
    def overdue_minor(self) -> int:
        return sum(i.amount_due_minor for i in self.invoices if i.days_overdue > 0)


async def who_owes(*, tx: AsyncSession, today: date) -> list[CustomerDebt]:
    balance = invoices.c.total_minor - invoices.c.paid_minor
    rows = await tx.execute(
        select(
            invoices.c.id,
            invoices.c.number_text,
            invoices.c.currency,
            invoices.c.due_date,
            balance.label("due"),
            customers.c.id.label("customer_id"),
            customers.c.name,
        )
        .join(customers, customers.c.id == invoices.c.customer_id)
        .where(invoices.c.state.in_([s.value for s in OPEN_STATES]), balance > 0)
        .order_by(invoices.c.due_date, invoices.c.number)
    )
    grouped: dict[tuple[str, uuid.UUID], list[OpenInvoice]] = {}
    names: dict[uuid.UUID, str] = {}
    for row in rows:
        names[row.customer_id] = row.name
        grouped.setdefault((row.currency, row.customer_id), []).append(
            OpenInvoice(
                invoice_id=row.id,
                number=row.number_text,
                due_date=row.due_date,
                amount_due_minor=int(row.due),
                days_overdue=days_overdue(due_date=row.due_date, today=today),
            )
        )
    debts = [
        CustomerDebt(
            customer_id=customer, name=names[customer], currency=currency, invoices=tuple(found)
        )
        for (currency, customer), found in grouped.items()
    ]
    debts.sort(key=lambda d: (d.currency, -d.amount_due_minor, d.name))
    return debts


def who_owes_text(debts: list[CustomerDebt], language: Language) -> str:
    t = translations(language)
    if not debts:
        return t.gettext("Nobody owes you money: every invoice you sent is paid.")
    totals: dict[str, tuple[int, int]] = {}
    for debt in debts:
        due, late = totals.get(debt.currency, (0, 0))
        totals[debt.currency] = (due + debt.amount_due_minor, late + debt.overdue_minor)
    people = len({debt.customer_id for debt in debts})
    open_count = sum(len(debt.invoices) for debt in debts)
    head = t.ngettext(
        "%(count)s customer owes you %(total)s on %(invoices)s.",
        "%(count)s customers owe you %(total)s on %(invoices)s.",
        people,
    ) % {
        "count": number_text(people, language),
        "total": join_words(
            [money_text(d, c, language) for c, (d, _o) in totals.items()], language
        ),
        "invoices": t.ngettext("%(count)s open invoice", "%(count)s open invoices", open_count)
        % {"count": number_text(open_count, language)},
    }
    overdue = [money_text(o, c, language) for c, (_d, o) in totals.items() if o]
    lines = [head]
    if overdue:
        lines[0] += " " + t.gettext("Overdue: %(overdue)s.") % {
            "overdue": join_words(overdue, language)
        }
    for debt in debts[:MAX_CUSTOMERS]:
        parts = [_invoice_text(invoice, debt.currency, language) for invoice in debt.invoices]
        lines.append(
            f"- {debt.name}: {money_text(debt.amount_due_minor, debt.currency, language)} "
            f"({'; '.join(parts)})"
        )
    if len(debts) > MAX_CUSTOMERS:
        lines.append(
            t.gettext("…and %(count)s more.")
            % {"count": number_text(len(debts) - MAX_CUSTOMERS, language)}
        )
    return "\n".join(lines)


def _invoice_text(invoice: OpenInvoice, currency: str, language: Language) -> str:
    t = translations(language)
    amount = money_text(invoice.amount_due_minor, currency, language)
    if invoice.days_overdue == 0:
        return t.gettext("%(number)s, %(amount)s, not due yet") % {
            "number": invoice.number,
            "amount": amount,
        }
    late = t.ngettext("%(count)s day overdue", "%(count)s days overdue", invoice.days_overdue) % {
        "count": number_text(invoice.days_overdue, language)
    }
    return f"{invoice.number}, {amount}, {late}"
