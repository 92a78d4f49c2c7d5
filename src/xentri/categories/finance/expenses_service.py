"""Expenses: record, list, edit and delete them; attach, replace and remove their receipts
(which live in object storage: expenses_receipts.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import structlog
from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.expense_events import ExpenseRecorded
from xentri.categories.finance.expenses_domain import (
    MAX_PAGE_SIZE,
    RECEIPT_VIEW_SECONDS,
    ExpenseDraft,
    ExpenseNotFoundError,
    check_expense,
    resolve_category,
)
from xentri.categories.finance.expenses_receipts import (
    Receipt,
    checked_receipt,
    receipt_columns,
    write_once,
)
from xentri.categories.finance.expenses_tables import expenses
from xentri.categories.finance.org_defaults import org_defaults
from xentri.contracts.events import Actor
from xentri.kernel.events.outbox import emit, new_event
from xentri.kernel.storage import ObjectStorage, PresignedRequest

log = structlog.get_logger("xentri.finance.expenses")

SOURCE = "finance.expenses"


@dataclass(frozen=True)
class Expense:
    id: uuid.UUID
    spent_on: date
    vendor: str
    category: str
    amount_minor: int
    tax_minor: int
    currency: str
    notes: str | None
    receipt: Receipt | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ExpenseFilter:
    start: date | None = None
    end: date | None = None
    category: str | None = None
    search: str | None = None  # a case-insensitive part of the vendor's name or notes


@dataclass(frozen=True)
class ExpenseList:
    items: list[Expense]
    total: int


async def record_expense(
    *,
    tx: AsyncSession,
    storage: ObjectStorage,
    org_id: uuid.UUID,
    actor: Actor,
    draft: ExpenseDraft,
    receipt_key: str | None = None,
    receipt_name: str | None = None,
    category_labels: Iterable[tuple[str, str]] = (),
) -> Expense:
    """Record an expense (and its receipt, when one was uploaded) and emit
    `xentri.expense.recorded.v1` in the same transaction."""
    checked = _tidy(check_expense(draft), category_labels)
    receipt = (
        await checked_receipt(
            tx,
            storage=storage,
            org_id=org_id,
            key=receipt_key,
            filename=receipt_name,
            field="body.receipt.key",
        )
        if receipt_key is not None
        else None
    )
    expense_id = uuid.uuid4()
    await write_once(
        tx,
        expenses.insert().values(
            id=expense_id,
            org_id=org_id,
            created_by=uuid.UUID(actor.id) if actor.type == "user" else None,
            **_columns(checked),
            **receipt_columns(receipt),
        ),
        field="body.receipt.key",
    )
    await emit(
        tx,
        new_event(
            ExpenseRecorded(
                expense_id=expense_id,
                spent_on=checked.spent_on,
                vendor=checked.vendor,
                category=checked.category,
                amount_minor=checked.amount_minor,
                tax_minor=checked.tax_minor,
                currency=checked.currency,
                has_receipt=receipt is not None,
            ),
            org_id=org_id,
            actor=actor,
            source=SOURCE,
        ),
    )
    return await get_expense(tx=tx, expense_id=expense_id)


async def default_currency(*, tx: AsyncSession, org_id: uuid.UUID) -> str:
    return (await org_defaults(tx=tx, org_id=org_id)).currency


async def update_expense(
    *,
    tx: AsyncSession,
    expense_id: uuid.UUID,
    changes: Mapping[str, Any],
    category_labels: Iterable[tuple[str, str]] = (),
) -> Expense:
    """Change the fields in `changes` (the rest stay); the result must hold together."""
    current = await _locked(tx, expense_id)
    merged = ExpenseDraft(
        spent_on=changes.get("spent_on", current.spent_on),
        vendor=changes.get("vendor", current.vendor),
        category=changes.get("category", current.category),
        amount_minor=changes.get("amount_minor", current.amount_minor),
        tax_minor=changes.get("tax_minor", current.tax_minor),
        currency=changes.get("currency", current.currency),
        notes=changes.get("notes", current.notes),
    )
    checked = _tidy(check_expense(merged), category_labels)
    await tx.execute(
        update(expenses)
        .where(expenses.c.id == expense_id)
        .values(**_columns(checked), updated_at=func.now())
    )
    return await get_expense(tx=tx, expense_id=expense_id)


async def attach_receipt(
    *,
    tx: AsyncSession,
    storage: ObjectStorage,
    org_id: uuid.UUID,
    expense_id: uuid.UUID,
    key: str,
    filename: str | None = None,
) -> tuple[Expense, str | None]:
    """Attach an uploaded receipt; returns the expense and the replaced receipt's key (for the
    caller to delete once the transaction has committed)."""
    current = await _locked(tx, expense_id)
    previous = current.receipt.key if current.receipt is not None else None
    if previous == key:
        return current, None
    receipt = await checked_receipt(
        tx, storage=storage, org_id=org_id, key=key, filename=filename, field="body.key"
    )
    await write_once(
        tx,
        update(expenses)
        .where(expenses.c.id == expense_id)
        .values(**receipt_columns(receipt), updated_at=func.now()),
        field="body.key",
    )
    return await get_expense(tx=tx, expense_id=expense_id), previous


async def detach_receipt(*, tx: AsyncSession, expense_id: uuid.UUID) -> str | None:
    """Take the receipt off the expense; returns its key (deleted by the caller after commit)."""
    current = await _locked(tx, expense_id)
    if current.receipt is None:
        return None
    await tx.execute(
        update(expenses)
        .where(expenses.c.id == expense_id)
        .values(**receipt_columns(None), updated_at=func.now())
    )
    return current.receipt.key


async def delete_expense(*, tx: AsyncSession, expense_id: uuid.UUID) -> str | None:
    """Delete the expense for good; returns its receipt's key for the caller to delete after
    the transaction commits (a failed commit must not lose a receipt still in use)."""
    current = await _locked(tx, expense_id)
    await tx.execute(expenses.delete().where(expenses.c.id == expense_id))
    return current.receipt.key if current.receipt is not None else None


async def receipt_download(
    *, tx: AsyncSession, storage: ObjectStorage, expense_id: uuid.UUID
) -> PresignedRequest:
    """A short-lived URL to the expense's receipt."""
    receipt = (await get_expense(tx=tx, expense_id=expense_id)).receipt
    if receipt is None:
        raise ExpenseNotFoundError("This expense has no receipt.")
    return await asyncio.to_thread(
        storage.presign_download,
        receipt.key,
        expires_in=RECEIPT_VIEW_SECONDS,
        filename=receipt.filename,
    )


async def get_expense(*, tx: AsyncSession, expense_id: uuid.UUID) -> Expense:
    row = (await tx.execute(select(expenses).where(expenses.c.id == expense_id))).first()
    if row is None:
        raise ExpenseNotFoundError("No such expense.")
    return _expense(row._mapping)


async def list_expenses(
    *, tx: AsyncSession, filters: ExpenseFilter, page: int = 1, page_size: int = 50
) -> ExpenseList:
    """Newest first (by the day spent, then by when recorded), one page at a time."""
    conditions = []
    if filters.start is not None:
        conditions.append(expenses.c.spent_on >= filters.start)
    if filters.end is not None:
        conditions.append(expenses.c.spent_on <= filters.end)
    if filters.category is not None:
        conditions.append(expenses.c.category == filters.category)
    if filters.search:
        conditions.append(
            or_(
                expenses.c.vendor.icontains(filters.search, autoescape=True),
                expenses.c.notes.icontains(filters.search, autoescape=True),
            )
        )
    size = max(1, min(page_size, MAX_PAGE_SIZE))
    total = await tx.scalar(select(func.count()).select_from(expenses).where(*conditions))
    rows = await tx.execute(
        select(expenses)
        .where(*conditions)
        .order_by(expenses.c.spent_on.desc(), expenses.c.created_at.desc(), expenses.c.id)
        .limit(size)
        .offset((max(page, 1) - 1) * size)
    )
    return ExpenseList(items=[_expense(row._mapping) for row in rows], total=int(total or 0))


async def used_categories(*, tx: AsyncSession) -> list[str]:
    """Every category the org's expenses use, most used first (for pickers and filters)."""
    rows = await tx.execute(
        select(expenses.c.category)
        .group_by(expenses.c.category)
        .order_by(func.count().desc(), expenses.c.category)
    )
    return [str(row.category) for row in rows]


def _tidy(draft: ExpenseDraft, labels: Iterable[tuple[str, str]]) -> ExpenseDraft:
    return ExpenseDraft(
        spent_on=draft.spent_on,
        vendor=" ".join(draft.vendor.split()),
        category=resolve_category(draft.category, labels=labels),
        amount_minor=draft.amount_minor,
        tax_minor=draft.tax_minor,
        currency=draft.currency,
        notes=draft.notes or None,
    )


def _columns(draft: ExpenseDraft) -> dict[str, Any]:
    return {
        "spent_on": draft.spent_on,
        "vendor": draft.vendor,
        "category": draft.category,
        "amount_minor": draft.amount_minor,
        "tax_minor": draft.tax_minor,
        "currency": draft.currency,
        "notes": draft.notes,
    }


async def _locked(tx: AsyncSession, expense_id: uuid.UUID) -> Expense:
    # FOR UPDATE: two edits of one expense (or an edit and a delete) take turns, so the
    # later one merges its changes into what the earlier one saved.
    row = (
        await tx.execute(select(expenses).where(expenses.c.id == expense_id).with_for_update())
    ).first()
    if row is None:
        raise ExpenseNotFoundError("No such expense.")
    return _expense(row._mapping)


def _expense(row: RowMapping) -> Expense:
    receipt = (
        Receipt(
            key=row["receipt_key"],
            content_type=row["receipt_content_type"],
            size=int(row["receipt_size"]),
            filename=row["receipt_name"],
        )
        if row["receipt_key"] is not None
        else None
    )
    return Expense(
        id=row["id"],
        spent_on=row["spent_on"],
        vendor=row["vendor"],
        category=row["category"],
        amount_minor=int(row["amount_minor"]),
        tax_minor=int(row["tax_minor"]),
        currency=row["currency"],
        notes=row["notes"],
        receipt=receipt,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
