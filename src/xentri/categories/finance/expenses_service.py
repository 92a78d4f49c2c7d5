"""Expenses: record, list, edit and delete them, and keep their receipts in object storage.

A receipt travels in three steps: the client asks for an upload URL (a fresh random key under
the org's prefix, signed for the declared type and exact size), sends the file straight to the
store, then attaches the key to an expense. Attaching checks the stored object itself (it
exists, under this org's prefix, of an accepted type and size, and its first bytes match the
type), so nothing the client claims is trusted. A file uploaded and never attached is left
where it is: nobody can reach it (its key is random and every URL to it has expired) and no
expense shows it; see docs/adr/0015-object-storage-and-presigned-urls.md.

Storage calls are blocking (boto3, files) and run in a worker thread.
"""

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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from xentri.categories.finance.expense_events import ExpenseRecorded
from xentri.categories.finance.expenses_domain import (
    MAX_PAGE_SIZE,
    RECEIPT_MAX_BYTES,
    RECEIPT_URL_SECONDS,
    RECEIPT_VIEW_SECONDS,
    SNIFF_BYTES,
    ExpenseDraft,
    ExpenseNotFoundError,
    InvalidExpenseError,
    check_expense,
    new_receipt_key,
    owns_receipt,
    receipt_filename,
    receipt_problem,
    resolve_category,
)
from xentri.categories.finance.expenses_tables import expenses
from xentri.categories.finance.org_defaults import org_defaults
from xentri.contracts.events import Actor
from xentri.contracts.problem import FieldError
from xentri.kernel.events.outbox import emit, new_event
from xentri.kernel.storage import ObjectStorage, PresignedRequest, StorageUnavailableError

log = structlog.get_logger("xentri.finance.expenses")

SOURCE = "finance.expenses"
_RECEIPT_MESSAGES = {
    "unsupported_type": "a receipt is a JPEG, PNG, WebP or HEIC image or a PDF",
    "empty": "the uploaded file is empty",
    "too_large": f"a receipt is at most {RECEIPT_MAX_BYTES} bytes",
    "content_mismatch": "the file's content is not of the type it was uploaded as",
    "missing": "nothing was uploaded with this key (or the upload has not finished)",
    "not_yours": "not a receipt key issued to this organization",
    "in_use": "this receipt is already attached to another expense",
}


@dataclass(frozen=True)
class Receipt:
    key: str
    content_type: str
    size: int
    filename: str | None


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


@dataclass(frozen=True)
class ReceiptUpload:
    key: str
    request: PresignedRequest


async def request_receipt_upload(
    *, storage: ObjectStorage, org_id: uuid.UUID, content_type: str, size: int
) -> ReceiptUpload:
    """A fresh key and a URL accepting exactly that file; nothing is recorded until attached."""
    problem = receipt_problem(content_type=content_type, size=size, head=b"")
    if problem in {"unsupported_type", "empty", "too_large"}:
        field = "content_type" if problem == "unsupported_type" else "size"
        raise InvalidExpenseError([_receipt_error(f"body.{field}", problem or "")])
    key = new_receipt_key(org_id)
    request = await asyncio.to_thread(
        storage.presign_upload,
        key,
        content_type=content_type,
        content_length=size,
        expires_in=RECEIPT_URL_SECONDS,
    )
    return ReceiptUpload(key=key, request=request)


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
        await _checked_receipt(
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
    await _write_once(
        tx,
        expenses.insert().values(
            id=expense_id,
            org_id=org_id,
            created_by=uuid.UUID(actor.id) if actor.type == "user" else None,
            **_columns(checked),
            **_receipt_columns(receipt),
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
    receipt = await _checked_receipt(
        tx, storage=storage, org_id=org_id, key=key, filename=filename, field="body.key"
    )
    await _write_once(
        tx,
        update(expenses)
        .where(expenses.c.id == expense_id)
        .values(**_receipt_columns(receipt), updated_at=func.now()),
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
        .values(**_receipt_columns(None), updated_at=func.now())
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


async def discard_objects(storage: ObjectStorage, keys: Iterable[str | None]) -> None:
    """Delete receipts no expense holds any more (after the transaction that let go of them)."""
    for key in keys:
        if key is None:
            continue
        try:
            await asyncio.to_thread(storage.delete, key)
        except (StorageUnavailableError, OSError) as exc:
            # The change is committed; a file left behind is only an orphan (unreachable, like
            # an abandoned upload), so the request still succeeds and the log says what stayed.
            log.warning("receipt_not_deleted", key=key, error=type(exc).__name__)


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


async def _checked_receipt(
    tx: AsyncSession,
    *,
    storage: ObjectStorage,
    org_id: uuid.UUID,
    key: str,
    filename: str | None,
    field: str,
) -> Receipt:
    if not owns_receipt(org_id, key):
        raise InvalidExpenseError([_receipt_error(field, "not_yours")])
    taken = await tx.scalar(select(expenses.c.id).where(expenses.c.receipt_key == key))
    if taken is not None:
        raise InvalidExpenseError([_receipt_error(field, "in_use")])
    info = await asyncio.to_thread(storage.head, key)
    if info is None:
        raise InvalidExpenseError([_receipt_error(field, "missing")])
    head = await asyncio.to_thread(storage.read_start, key, SNIFF_BYTES) or b""
    content_type = info.content_type.split(";", 1)[0].strip().lower()
    problem = receipt_problem(content_type=content_type, size=info.size, head=head)
    if problem is not None:
        raise InvalidExpenseError([_receipt_error(field, problem)])
    return Receipt(
        key=key, content_type=content_type, size=info.size, filename=receipt_filename(filename)
    )


async def _write_once(tx: AsyncSession, statement: Executable, *, field: str) -> None:
    """Run a write that holds a receipt key: two requests racing to attach one upload both
    pass the check above, and the unique index lets only one of them keep it."""
    try:
        async with tx.begin_nested():
            await tx.execute(statement)
    except IntegrityError as exc:
        if "uq_finance_expenses_receipt_key" not in str(exc.orig):
            raise
        raise InvalidExpenseError([_receipt_error(field, "in_use")]) from None


def _receipt_error(field: str, code: str) -> FieldError:
    return FieldError(field=field, message=_RECEIPT_MESSAGES[code], code=f"receipt_{code}")


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


def _receipt_columns(receipt: Receipt | None) -> dict[str, Any]:
    return {
        "receipt_key": receipt.key if receipt else None,
        "receipt_content_type": receipt.content_type if receipt else None,
        "receipt_size": receipt.size if receipt else None,
        "receipt_name": receipt.filename if receipt else None,
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
