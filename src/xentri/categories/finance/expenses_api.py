"""JSON API of expenses: /api/v1/finance/expenses (and their receipts)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urljoin

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from xentri.categories.finance import expenses_receipts as receipts
from xentri.categories.finance import expenses_service as service
from xentri.categories.finance.expenses_domain import (
    DEFAULT_CATEGORIES,
    RECEIPT_MAX_BYTES,
    ExpenseDraft,
    InvalidExpenseError,
    amount_text,
    category_label,
)
from xentri.categories.finance.expenses_schemas import (
    CategoryRead,
    ExpenseCreate,
    ExpensePage,
    ExpenseQuery,
    ExpenseRead,
    ExpenseUpdate,
    ReceiptAttach,
    ReceiptRead,
    ReceiptUploadIn,
    ReceiptUploadRead,
    UploadRequestRead,
)
from xentri.contracts.events import Actor
from xentri.contracts.problem import FieldError
from xentri.identity.http import CurrentCaller, base_url_of, org_scope, requested_org
from xentri.identity.permissions import Permission
from xentri.kernel.i18n import SUPPORTED_LANGUAGES, negotiate
from xentri.kernel.storage import ObjectStorage, PresignedRequest

router = APIRouter(prefix="/api/v1/finance/expenses", tags=["finance"])

Gettext = Callable[[str], str]
_NOT_NULL = ("spent_on", "vendor", "category", "amount_minor", "tax_minor", "currency")


@router.get("", summary="Expenses, newest first, filtered and one page at a time")
async def list_expenses(
    request: Request, caller: CurrentCaller, query: Annotated[ExpenseQuery, Query()]
) -> ExpensePage:
    start, end = query.start, query.end
    if start is not None and end is not None and end < start:
        raise InvalidExpenseError(
            [FieldError(field="query.end", message="must not be before start", code="date_order")]
        )
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        found = await service.list_expenses(
            tx=tx,
            filters=service.ExpenseFilter(
                start=start, end=end, category=query.category, search=query.q
            ),
            page=query.page,
            page_size=query.page_size,
        )
    gettext = _gettext(request)
    return ExpensePage(
        items=[_read(expense, gettext) for expense in found.items],
        total=found.total,
        page=query.page,
        page_size=query.page_size,
    )


@router.post("", status_code=201, summary="Record an expense (with its uploaded receipt)")
async def create_expense(
    request: Request, caller: CurrentCaller, expense_in: ExpenseCreate
) -> ExpenseRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        currency = expense_in.currency or await service.default_currency(tx=tx, org_id=org_id)
        expense = await service.record_expense(
            tx=tx,
            storage=_storage(request),
            org_id=org_id,
            actor=Actor(type="user", id=str(caller.user_id)),
            draft=ExpenseDraft(
                spent_on=expense_in.spent_on,
                vendor=expense_in.vendor,
                category=expense_in.category,
                amount_minor=expense_in.amount_minor,
                tax_minor=expense_in.tax_minor,
                currency=currency,
                notes=expense_in.notes,
            ),
            receipt_key=expense_in.receipt.key if expense_in.receipt else None,
            receipt_name=expense_in.receipt.filename if expense_in.receipt else None,
            category_labels=_all_labels(request),
        )
    return _read(expense, _gettext(request))


@router.get("/categories", summary="The default categories and the org's own, in your language")
async def list_categories(request: Request, caller: CurrentCaller) -> list[CategoryRead]:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        used = await service.used_categories(tx=tx)
    gettext = _gettext(request)
    return [
        CategoryRead(category=code, label=gettext(english), default=True)
        for code, english in DEFAULT_CATEGORIES.items()
    ] + [
        CategoryRead(category=own, label=own, default=False)
        for own in used
        if own not in DEFAULT_CATEGORIES
    ]


@router.post(
    "/receipts/uploads",
    status_code=201,
    summary="A URL to upload one receipt to; attach it afterwards by its key",
)
async def request_receipt_upload(
    request: Request, caller: CurrentCaller, upload_in: ReceiptUploadIn
) -> ReceiptUploadRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (_tx, ctx):
        ctx.require(Permission.DATA_WRITE)
    upload = await receipts.request_receipt_upload(
        storage=_storage(request),
        org_id=org_id,
        content_type=upload_in.content_type,
        size=upload_in.size,
    )
    return ReceiptUploadRead(
        key=upload.key, upload=_request_read(request, upload.request), max_bytes=RECEIPT_MAX_BYTES
    )


@router.get("/{expense_id}", summary="One expense")
async def get_expense(
    request: Request, caller: CurrentCaller, expense_id: uuid.UUID
) -> ExpenseRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        expense = await service.get_expense(tx=tx, expense_id=expense_id)
    return _read(expense, _gettext(request))


@router.patch("/{expense_id}", summary="Change an expense; fields left out stay as they are")
async def update_expense(
    request: Request, caller: CurrentCaller, expense_id: uuid.UUID, expense_in: ExpenseUpdate
) -> ExpenseRead:
    changes = expense_in.model_dump(exclude_unset=True)
    nulls = [name for name in _NOT_NULL if name in changes and changes[name] is None]
    if nulls:
        raise InvalidExpenseError(
            [FieldError(field=f"body.{n}", message="may not be null", code="null") for n in nulls]
        )
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        expense = await service.update_expense(
            tx=tx, expense_id=expense_id, changes=changes, category_labels=_all_labels(request)
        )
    return _read(expense, _gettext(request))


@router.delete(
    "/{expense_id}",
    status_code=204,
    summary="Delete an expense and its receipt for good (the pages ask for confirmation first)",
)
async def delete_expense(
    request: Request, caller: CurrentCaller, expense_id: uuid.UUID
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        released = await service.delete_expense(tx=tx, expense_id=expense_id)
    await receipts.discard_objects(_storage(request), [released])
    return Response(status_code=204)


@router.put("/{expense_id}/receipt", summary="Attach (or replace) the expense's receipt")
async def attach_receipt(
    request: Request, caller: CurrentCaller, expense_id: uuid.UUID, receipt_in: ReceiptAttach
) -> ExpenseRead:
    org_id = requested_org(request, caller)
    storage = _storage(request)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        expense, replaced = await service.attach_receipt(
            tx=tx,
            storage=storage,
            org_id=org_id,
            expense_id=expense_id,
            key=receipt_in.key,
            filename=receipt_in.filename,
        )
    await receipts.discard_objects(storage, [replaced])
    return _read(expense, _gettext(request))


@router.delete("/{expense_id}/receipt", status_code=204, summary="Remove the expense's receipt")
async def detach_receipt(
    request: Request, caller: CurrentCaller, expense_id: uuid.UUID
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        released = await service.detach_receipt(tx=tx, expense_id=expense_id)
    await receipts.discard_objects(_storage(request), [released])
    return Response(status_code=204)


@router.get(
    "/{expense_id}/receipt",
    status_code=307,
    response_class=RedirectResponse,
    summary="The receipt: a redirect to a short-lived download URL",
)
async def get_receipt(
    request: Request, caller: CurrentCaller, expense_id: uuid.UUID
) -> RedirectResponse:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        download = await service.receipt_download(
            tx=tx, storage=_storage(request), expense_id=expense_id
        )
    return RedirectResponse(
        _absolute(request, download.url),
        status_code=307,
        headers={"Cache-Control": "no-store"},
    )


def _storage(request: Request) -> ObjectStorage:
    storage: ObjectStorage = request.app.state.storage
    return storage


def _absolute(request: Request, url: str) -> str:
    # The local store signs paths on this app; a bucket's URLs are absolute already.
    return urljoin(base_url_of(request) + "/", url)


def _request_read(request: Request, presigned: PresignedRequest) -> UploadRequestRead:
    return UploadRequestRead(
        method=presigned.method,
        url=_absolute(request, presigned.url),
        headers=presigned.headers,
        expires_at=presigned.expires_at,
    )


def _gettext(request: Request) -> Gettext:
    # The shell loads the catalogs once at start-up; categories translate with the same ones.
    language = negotiate(choice=None, accept_language=request.headers.get("accept-language"))
    translations = request.app.state.shell.catalogs.get(language)
    gettext: Gettext = translations.gettext
    return gettext


def _all_labels(request: Request) -> list[tuple[str, str]]:
    """Every default category's label in every language, to recognise them typed as text."""
    catalogs = request.app.state.shell.catalogs
    return [
        (code, catalogs.get(language).gettext(english))
        for language in SUPPORTED_LANGUAGES
        for code, english in DEFAULT_CATEGORIES.items()
    ]


def _read(expense: service.Expense, gettext: Gettext) -> ExpenseRead:
    receipt = expense.receipt
    return ExpenseRead(
        id=expense.id,
        spent_on=expense.spent_on,
        vendor=expense.vendor,
        category=expense.category,
        category_label=category_label(expense.category, gettext),
        amount_minor=expense.amount_minor,
        tax_minor=expense.tax_minor,
        currency=expense.currency,
        amount=amount_text(expense.amount_minor, expense.currency),
        tax=amount_text(expense.tax_minor, expense.currency),
        notes=expense.notes,
        receipt=(
            ReceiptRead(
                content_type=receipt.content_type, size=receipt.size, filename=receipt.filename
            )
            if receipt is not None
            else None
        ),
        created_at=expense.created_at,
        updated_at=expense.updated_at,
    )


routers = (router,)
