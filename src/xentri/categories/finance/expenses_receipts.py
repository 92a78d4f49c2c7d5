"""Receipts in object storage: upload URLs, the checks before one is attached, clean-up.

A receipt travels in three steps: the client asks for an upload URL (a fresh random key under
the org's prefix, signed for the declared type and exact size), sends the file straight to the
store, then attaches the key to an expense. Attaching checks the stored object itself (it
exists, under this org's prefix, of an accepted type and size, and its first bytes match the
type), so nothing the client claims is trusted. A file uploaded and never attached is left
where it is: nobody can reach it (its key is random and every URL to it has expired) and no
expense shows it; see docs/adr/0019-object-storage-and-presigned-urls.md.

Storage calls are blocking (boto3, files) and run in a worker thread.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from xentri.categories.finance.expenses_domain import (
    RECEIPT_MAX_BYTES,
    RECEIPT_URL_SECONDS,
    SNIFF_BYTES,
    InvalidExpenseError,
    new_receipt_key,
    owns_receipt,
    receipt_filename,
    receipt_problem,
)
from xentri.categories.finance.expenses_tables import expenses
from xentri.contracts.problem import FieldError
from xentri.kernel.storage import ObjectStorage, PresignedRequest, StorageUnavailableError

log = structlog.get_logger("xentri.finance.expenses")

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
        raise InvalidExpenseError([receipt_error(f"body.{field}", problem or "")])
    key = new_receipt_key(org_id)
    request = await asyncio.to_thread(
        storage.presign_upload,
        key,
        content_type=content_type,
        content_length=size,
        expires_in=RECEIPT_URL_SECONDS,
    )
    return ReceiptUpload(key=key, request=request)


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


async def checked_receipt(
    tx: AsyncSession,
    *,
    storage: ObjectStorage,
    org_id: uuid.UUID,
    key: str,
    filename: str | None,
    field: str,
) -> Receipt:
    if not owns_receipt(org_id, key):
        raise InvalidExpenseError([receipt_error(field, "not_yours")])
    taken = await tx.scalar(select(expenses.c.id).where(expenses.c.receipt_key == key))
    if taken is not None:
        raise InvalidExpenseError([receipt_error(field, "in_use")])
    info = await asyncio.to_thread(storage.head, key)
    if info is None:
        raise InvalidExpenseError([receipt_error(field, "missing")])
    head = await asyncio.to_thread(storage.read_start, key, SNIFF_BYTES) or b""
    content_type = info.content_type.split(";", 1)[0].strip().lower()
    problem = receipt_problem(content_type=content_type, size=info.size, head=head)
    if problem is not None:
        raise InvalidExpenseError([receipt_error(field, problem)])
    return Receipt(
        key=key, content_type=content_type, size=info.size, filename=receipt_filename(filename)
    )


async def write_once(tx: AsyncSession, statement: Executable, *, field: str) -> None:
    """Run a write that holds a receipt key: two requests racing to attach one upload both
    pass the check above, and the unique index lets only one of them keep it."""
    try:
        async with tx.begin_nested():
            await tx.execute(statement)
    except IntegrityError as exc:
        if "uq_finance_expenses_receipt_key" not in str(exc.orig):
            raise
        raise InvalidExpenseError([receipt_error(field, "in_use")]) from None


def receipt_error(field: str, code: str) -> FieldError:
    return FieldError(field=field, message=_RECEIPT_MESSAGES[code], code=f"receipt_{code}")


def receipt_columns(receipt: Receipt | None) -> dict[str, Any]:
    return {
        "receipt_key": receipt.key if receipt else None,
        "receipt_content_type": receipt.content_type if receipt else None,
        "receipt_size": receipt.size if receipt else None,
        "receipt_name": receipt.filename if receipt else None,
    }
