"""The daily overdue flag: each open invoice past its due date is reported once, ever.

`overdue_flagged_at` is the memory of "already reported", written in the same transaction as
the event, so a rerun of the job (a retry, a scheduler that died after the commit) finds
nothing new; the event's dedupe key guards the same invariant at the outbox.
"""

from __future__ import annotations

import uuid
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.domain import OPEN_STATES, days_overdue
from xentri.categories.finance.events import InvoiceOverdue
from xentri.categories.finance.invoices import SOURCE
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.tables import invoices
from xentri.contracts.events import Actor
from xentri.kernel.events.outbox import emit, new_event
from xentri.kernel.scheduler.jobs import JobContext, JobSpec

JOB_NAME = "finance.overdue_invoices"
JOB_ACTOR = Actor(type="job", id=JOB_NAME)


async def flag_overdue(*, tx: AsyncSession, org_id: uuid.UUID, today: date) -> int:
    """Report every open invoice due before `today` that was never reported; how many."""
    rows = (
        await tx.execute(
            select(invoices)
            .where(
                invoices.c.state.in_([s.value for s in OPEN_STATES]),
                invoices.c.due_date < today,
                invoices.c.overdue_flagged_at.is_(None),
            )
            .order_by(invoices.c.due_date, invoices.c.number)
            # A payment being recorded holds its invoice; it is flagged tomorrow if still due.
            .with_for_update(skip_locked=True)
        )
    ).all()
    for row in rows:
        await tx.execute(
            update(invoices)
            .where(invoices.c.id == row.id)
            .values(overdue_flagged_at=func.now(), updated_at=func.now())
        )
        payload = InvoiceOverdue(
            invoice_id=row.id,
            number=row.number_text,
            customer_id=row.customer_id,
            currency=row.currency,
            total_minor=row.total_minor,
            amount_due_minor=row.total_minor - row.paid_minor,
            due_date=row.due_date,
            days_overdue=days_overdue(due_date=row.due_date, today=today),
        )
        await emit(
            tx,
            new_event(
                payload,
                org_id=org_id,
                actor=JOB_ACTOR,
                source=SOURCE,
                dedupe_key=f"invoice-overdue:{row.id}",
            ),
        )
    return len(rows)


async def run_overdue_job(ctx: JobContext) -> None:
    async with ctx.transaction() as tx:
        defaults = await org_defaults(tx=tx, org_id=ctx.org_id)
        # The slot is the scheduled instant; its day in the org's zone is the day we judge by.
        try:
            zone = ZoneInfo(defaults.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        await flag_overdue(tx=tx, org_id=ctx.org_id, today=ctx.slot.astimezone(zone).date())


def overdue_job() -> JobSpec:
    """Every day at 00:15 in each org's time zone, just after its day turned."""
    return JobSpec(name=JOB_NAME, schedule="15 0 * * *", handler=run_overdue_job, per_org=True)
