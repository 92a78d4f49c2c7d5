"""What the Finance Co-pilot puts in the Pulse: overdue invoices, weighed by amount and age, and
paid invoices as quiet good news. An overdue item is withdrawn, at every level it reached, when
its invoice is paid or voided (its key is the invoice's).

Registered with the Pulse by the composition of the subscribers (`xentri.subscriptions`); the
Pulse never imports this category (ADR 0020). Both items belong to the payment-tracking module,
whose page shows what each customer still owes.

How important an overdue invoice is (1 = most), docs/adr/0024-finance-copilot.md:
- Amount, relative to the org's typical invoice in the same currency (the median total of the
  invoices it issued in the year before the due date): under half of it 0 points, half or
  more 1, twice or more 2, five times or more 3. Relative, because 5,000 is a lot for a barber
  in USD and nothing in CLP or for a builder; with no history the invoice is its own typical
  one (1 point).
- Age, in days past due when flagged (usually 1; more when the job catches up on invoices that
  were already late): under 15 days 0 points, under 45 1, under 90 2, 90 or more 3.
- Importance = 5 - amount points - age points, at least 1. A typical invoice just overdue is a
  4 (its module and sub-category see it); twice the typical one is a 3, which the Finance
  Pulse keeps and the CEO briefing lifts to 2 because it needs the owner (ADR 0020's rules).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.copilot import Language, money_text, number_text, translations
from xentri.categories.finance.events import InvoiceOverdue, InvoicePaid, InvoiceVoided
from xentri.categories.finance.tables import customers, invoices
from xentri.contracts.events import SystemEvent
from xentri.pulse import N_, PulseDraft, PulseProducers

PAYMENT_TRACKING = "module.finance.payment_tracking"
ISSUED_STATES = ("sent", "partially_paid", "paid")
TYPICAL_WINDOW_DAYS = 365
_LANGUAGES: tuple[Language, ...] = ("en", "es")
# (smallest ratio to the typical invoice, points), largest first.
_AMOUNT_POINTS: tuple[tuple[Decimal, int], ...] = (
    (Decimal(5), 3),
    (Decimal(2), 2),
    (Decimal("0.5"), 1),
)
# (fewest days past due, points), largest first.
_AGE_POINTS: tuple[tuple[int, int], ...] = ((90, 3), (45, 2), (15, 1))


def register(producers: PulseProducers) -> None:
    producers.produce(InvoiceOverdue.event_type, invoice_overdue)
    producers.produce(InvoicePaid.event_type, invoice_paid)
    # Paid or voided, an overdue invoice no longer needs anyone: its item leaves every level.
    producers.withdraw(InvoicePaid.event_type, overdue_is_over)
    producers.withdraw(InvoiceVoided.event_type, overdue_is_over)


def amount_points(*, amount_due_minor: int, typical_minor: int) -> int:
    if typical_minor <= 0:
        return 1 if amount_due_minor > 0 else 0
    ratio = Decimal(amount_due_minor) / Decimal(typical_minor)
    return next((points for least, points in _AMOUNT_POINTS if ratio >= least), 0)


def age_points(days_overdue: int) -> int:
    return next((points for least, points in _AGE_POINTS if days_overdue >= least), 0)


def overdue_importance(*, amount_due_minor: int, typical_minor: int, days_overdue: int) -> int:
    points = amount_points(amount_due_minor=amount_due_minor, typical_minor=typical_minor)
    return max(1, 5 - points - age_points(days_overdue))


async def typical_invoice(
    *, tx: AsyncSession, currency: str, before: date, fallback_minor: int
) -> int:
    """The median total of the invoices issued in `currency` in the year before `before`."""
    median = await tx.scalar(
        select(func.percentile_cont(0.5).within_group(invoices.c.total_minor)).where(
            invoices.c.currency == currency,
            invoices.c.state.in_(ISSUED_STATES),
            invoices.c.issue_date > before - timedelta(days=TYPICAL_WINDOW_DAYS),
            invoices.c.issue_date <= before,
        )
    )
    return fallback_minor if median is None else int(Decimal(str(median)).to_integral_value())


async def invoice_overdue(event: SystemEvent, tx: AsyncSession) -> PulseDraft | None:
    overdue = InvoiceOverdue.model_validate(event.payload)
    if overdue.amount_due_minor == 0:  # paid between the job's read and now: nothing to chase
        return None
    typical = await typical_invoice(
        tx=tx,
        currency=overdue.currency,
        before=overdue.due_date,
        fallback_minor=overdue.total_minor,
    )
    importance = overdue_importance(
        amount_due_minor=overdue.amount_due_minor,
        typical_minor=typical,
        days_overdue=overdue.days_overdue,
    )
    return PulseDraft(
        scope=PAYMENT_TRACKING,
        importance=importance,
        title=N_("Invoice %(number)s is overdue"),
        summary=N_("%(customer)s owes %(amount)s, %(late)s past due."),
        params={
            "number": overdue.number,
            "customer": await _customer_name(tx, overdue.customer_id),
            "amount": _amounts(overdue.amount_due_minor, overdue.currency),
            "late": _days(overdue.days_overdue),
            "days": str(overdue.days_overdue),
        },
        action_required=True,
        action_url=invoice_url(overdue.invoice_id),
        promote=True,
        key=overdue_key(overdue.invoice_id),
    )


async def overdue_is_over(event: SystemEvent, tx: AsyncSession) -> list[str]:
    """The overdue item of the invoice this event paid or voided."""
    ended = InvoicePaid if event.type == InvoicePaid.event_type else InvoiceVoided
    return [overdue_key(ended.model_validate(event.payload).invoice_id)]


def overdue_key(invoice_id: uuid.UUID) -> str:
    return f"finance.invoice_overdue:{invoice_id}"


async def invoice_paid(event: SystemEvent, tx: AsyncSession) -> PulseDraft | None:
    """Good news that needs nothing from anyone: the least important, kept in its module."""
    paid = InvoicePaid.model_validate(event.payload)
    return PulseDraft(
        scope=PAYMENT_TRACKING,
        importance=5,
        title=N_("Invoice %(number)s was paid"),
        summary=N_("%(customer)s paid %(amount)s in full."),
        params={
            "number": paid.number,
            "customer": await _customer_name(tx, paid.customer_id),
            "amount": _amounts(paid.total_minor, paid.currency),
        },
        action_url=invoice_url(paid.invoice_id),
    )


def invoice_url(invoice_id: uuid.UUID) -> str:
    return f"/c/finance/invoices/{invoice_id}"


def _amounts(minor: int, currency: str) -> dict[str, str]:
    # Money is written per language when the item is read ("$1,200.00", "USD1,200.00").
    return {language: money_text(minor, currency, language) for language in _LANGUAGES}


def _days(count: int) -> dict[str, str]:
    return {
        language: translations(language).ngettext("%(count)s day", "%(count)s days", count)
        % {"count": number_text(count, language)}
        for language in _LANGUAGES
    }


async def _customer_name(tx: AsyncSession, customer_id: uuid.UUID) -> str:
    name = await tx.scalar(select(customers.c.name).where(customers.c.id == customer_id))
    return name or "—"
