"""Gap-free invoice numbers: one counter row per org, locked FOR UPDATE by the transaction that
issues the invoice, so the number commits (or rolls back) together with the invoice.

Concurrent senders queue on the row lock; each reads the counter after the previous one
committed, so no two invoices share a number and no number is skipped (a rolled-back send
releases its number with the lock). Lock order is always invoice row first, then the counter
(see invoices.send_invoice), so two senders cannot deadlock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.tables import finance_settings

DEFAULT_PREFIX = "INV-"
DEFAULT_TERMS_DAYS = 30


@dataclass(frozen=True)
class FinanceSettings:
    invoice_prefix: str
    last_invoice_number: int
    default_payment_terms_days: int

    @property
    def next_number_text(self) -> str:
        return format_number(self.invoice_prefix, self.last_invoice_number + 1)


def format_number(prefix: str, number: int) -> str:
    """INV-0001: zero-padded to four digits so numbers sort as text too, growing past 9999."""
    return f"{prefix}{number:04d}"


async def _ensure_row(tx: AsyncSession, org_id: uuid.UUID) -> None:
    await tx.execute(
        insert(finance_settings)
        .values(id=uuid.uuid4(), org_id=org_id)
        .on_conflict_do_nothing(index_elements=["org_id"])
    )


async def settings(*, tx: AsyncSession, org_id: uuid.UUID) -> FinanceSettings:
    row = (await tx.execute(select(finance_settings))).first()
    if row is None:
        return FinanceSettings(DEFAULT_PREFIX, 0, DEFAULT_TERMS_DAYS)
    return FinanceSettings(
        row.invoice_prefix, row.last_invoice_number, row.default_payment_terms_days
    )


async def update_settings(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    invoice_prefix: str | None,
    default_payment_terms_days: int | None,
) -> FinanceSettings:
    """Change the prefix (later invoices only: issued numbers never change) or default terms."""
    await _ensure_row(tx, org_id)
    changes: dict[str, object] = {}
    if invoice_prefix is not None:
        changes["invoice_prefix"] = invoice_prefix
    if default_payment_terms_days is not None:
        changes["default_payment_terms_days"] = default_payment_terms_days
    if changes:
        await tx.execute(update(finance_settings).values(**changes, updated_at=func.now()))
    return await settings(tx=tx, org_id=org_id)


async def take_next_number(*, tx: AsyncSession, org_id: uuid.UUID) -> tuple[int, str]:
    """The org's next invoice number and its text, held by this transaction until it ends."""
    await _ensure_row(tx, org_id)
    row = (
        await tx.execute(
            select(finance_settings.c.last_invoice_number, finance_settings.c.invoice_prefix)
            .where(finance_settings.c.org_id == org_id)
            .with_for_update()
        )
    ).one()
    number = row.last_invoice_number + 1
    await tx.execute(
        update(finance_settings)
        .where(finance_settings.c.org_id == org_id)
        .values(last_invoice_number=number, updated_at=func.now())
    )
    return number, format_number(row.invoice_prefix, number)
