"""Expenses: the list (dates, category, vendor search), recording and changing one with its
receipt, and deleting one (after a confirmation).

A receipt goes straight to object storage when the page's script runs (it asks the API for an
upload URL, sends the file there, and the form carries the key); without scripts the file comes
with the form and the app stores it under a fresh key. Either way the service checks the stored
object before attaching it (docs/adr/0019-object-storage-and-presigned-urls.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from xentri.categories.finance import expenses_receipts as receipts
from xentri.categories.finance import expenses_service as service
from xentri.categories.finance.expenses_domain import (
    DEFAULT_CATEGORIES,
    RECEIPT_MAX_BYTES,
    SNIFF_BYTES,
    ExpenseDraft,
    ExpenseNotFoundError,
    InvalidExpenseError,
    category_label,
    new_receipt_key,
    receipt_problem,
)
from xentri.categories.finance.views_common import (
    BASE,
    PAGE_SIZE,
    blank_form,
    field_problems,
    not_found,
    page,
    page_number,
    pager,
    refusal,
)
from xentri.categories.finance.views_expense_form import (
    FIELDS,
    all_labels,
    filled,
    parse,
    problem_words,
)
from xentri.identity.http import base_url_of, org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.kernel.storage import ObjectStorage
from xentri.shell.category_pages import actor
from xentri.shell.formatting import today_in
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame, needs_sign_in
from xentri.shell.templating import redirect
from xentri.shell.visitor import CurrentVisitor, Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/expenses"
# The no-script receipt comes inside the form: the body limit must let a whole receipt in.
LARGER_BODIES = {HERE: RECEIPT_MAX_BYTES + 256 * 1024}


@router.get(HERE)
async def expenses_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    params = request.query_params
    kept = {key: params.get(key, "").strip()[:200] for key in ("start", "end", "category", "q")}
    filters = blank_form(kept, **kept)
    start, end = _day(visitor, filters, "start"), _day(visitor, filters, "end")
    if start and end and end < start:
        filters.errors["end"] = visitor.gettext("The end cannot be before the start.")
    number = page_number(request)
    context: dict[str, Any] = {"filters": filters, "items": [], "pager": None}
    if frame.current is not None and filters.ok:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            found = await service.list_expenses(
                tx=tx,
                filters=service.ExpenseFilter(
                    start=start,
                    end=end,
                    category=kept["category"] or None,
                    search=kept["q"] or None,
                ),
                page=number,
                page_size=PAGE_SIZE,
            )
            used = await service.used_categories(tx=tx)
        context["items"] = found.items
        context["pager"] = pager(HERE, kept, number=number, total=found.total, size=PAGE_SIZE)
        context["expense_categories"] = _category_options(visitor, used)
    context["label"] = lambda code: category_label(code, visitor.gettext)
    status = 200 if filters.ok else 422
    return page(
        request, visitor, frame, "expenses", "finance/expenses.html", context, status=status
    )


@router.get(HERE + "/new")
async def new_expense_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = blank_form(
        FIELDS, spent_on=today_in(frame.region).isoformat(), currency=frame.region.currency
    )
    form.values["tax"] = "0"
    return await _form_page(request, visitor, frame, form, expense=None)


@router.post(HERE)
async def create_expense(request: Request, visitor: CurrentVisitor) -> Response:
    return await _save(request, visitor, expense_id=None)


@router.get(HERE + "/{expense_id}/edit")
async def edit_expense_page(
    request: Request, visitor: SignedInVisitor, expense_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    if frame.current is None:
        return await _form_page(request, visitor, frame, blank_form(FIELDS), expense=None)
    expense = await _expense(request, visitor, frame, expense_id)
    form = filled(expense, visitor)
    return await _form_page(request, visitor, frame, form, expense=expense)


@router.post(HERE + "/{expense_id}/edit")
async def update_expense(
    request: Request, visitor: CurrentVisitor, expense_id: uuid.UUID
) -> Response:
    return await _save(request, visitor, expense_id=expense_id)


@router.post(HERE + "/{expense_id}/delete")
async def delete_expense(
    request: Request, visitor: SignedInVisitor, expense_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return redirect(request, HERE)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            released = await service.delete_expense(tx=tx, expense_id=expense_id)
    except ExpenseNotFoundError:
        raise not_found() from None
    await receipts.discard_objects(_storage(request), [released])
    return redirect(request, HERE, notice="expense_deleted")


@router.get(HERE + "/{expense_id}/receipt")
async def view_receipt(
    request: Request, visitor: SignedInVisitor, expense_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    if frame.current is None:
        raise not_found()
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            download = await service.receipt_download(
                tx=tx, storage=_storage(request), expense_id=expense_id
            )
    except ExpenseNotFoundError:
        raise not_found() from None
    url = download.url if "://" in download.url else base_url_of(request) + download.url
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


async def _save(request: Request, visitor: Visitor, *, expense_id: uuid.UUID | None) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, FIELDS)
    expense = None
    if frame.current is not None and expense_id is not None:
        expense = await _expense(request, visitor, frame, expense_id)
    if frame.current is None or not form.csrf_ok:
        return await _form_page(request, visitor, frame, form, expense=expense, status=403)
    draft = parse(visitor, form)
    upload = (await request.form()).get("receipt")
    key, name = form.values["receipt_key"] or None, form.values["receipt_name"] or None
    if draft is not None and key is None and isinstance(upload, UploadFile) and upload.filename:
        key = await _store_upload(visitor, form, _storage(request), frame.current.id, upload)
        name = upload.filename
    if draft is None or not form.ok:
        return await _form_page(request, visitor, frame, form, expense=expense, status=422)
    storage = _storage(request)
    try:
        released = await _write(request, visitor, frame, form, draft, expense_id, (key, name))
    except ExpenseNotFoundError:
        raise not_found() from None
    except InvalidExpenseError as exc:
        for field, code in field_problems(exc):
            where, words = problem_words(visitor, field, code)
            form.errors[where] = words
        return await _form_page(request, visitor, frame, form, expense=expense, status=422)
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _form_page(request, visitor, frame, form, expense=expense, status=status)
    await receipts.discard_objects(storage, released)
    return redirect(request, HERE, notice="expense_saved")


async def _write(  # noqa: PLR0917 - the page's request, its form and what the form gave
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    draft: ExpenseDraft,
    expense_id: uuid.UUID | None,
    receipt: tuple[str | None, str | None],
) -> list[str | None]:
    """Record or change the expense and its receipt in one transaction; returns the receipt
    keys it let go of, to delete once committed."""
    assert frame.current is not None
    key, name = receipt
    storage = _storage(request)
    released: list[str | None] = []
    async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        if expense_id is None:
            await service.record_expense(
                tx=tx,
                storage=storage,
                org_id=frame.current.id,
                actor=actor(visitor),
                draft=draft,
                receipt_key=key,
                receipt_name=name,
                category_labels=all_labels(request),
            )
        else:
            await service.update_expense(
                tx=tx,
                expense_id=expense_id,
                changes=_changes(draft),
                category_labels=all_labels(request),
            )
            if key is not None:
                _saved, replaced = await service.attach_receipt(
                    tx=tx,
                    storage=storage,
                    org_id=frame.current.id,
                    expense_id=expense_id,
                    key=key,
                    filename=name,
                )
                released.append(replaced)
            elif form.values["remove_receipt"]:
                released.append(await service.detach_receipt(tx=tx, expense_id=expense_id))
    return released


async def _store_upload(
    visitor: Visitor, form: Form, storage: ObjectStorage, org_id: uuid.UUID, upload: UploadFile
) -> str | None:
    """The form's own receipt (no script ran), checked and stored under a fresh key."""
    data = await upload.read(RECEIPT_MAX_BYTES + 1)
    content_type = (upload.content_type or "").split(";", 1)[0].strip().lower()
    problem = receipt_problem(content_type=content_type, size=len(data), head=data[:SNIFF_BYTES])
    if problem is not None:
        form.errors["receipt"] = problem_words(visitor, "receipt.key", problem)[1]
        return None
    key = new_receipt_key(org_id)
    await asyncio.to_thread(storage.put, key, data, content_type=content_type)
    return key


def _changes(draft: ExpenseDraft) -> dict[str, Any]:
    return {
        "spent_on": draft.spent_on,
        "vendor": draft.vendor,
        "category": draft.category,
        "amount_minor": draft.amount_minor,
        "tax_minor": draft.tax_minor,
        "currency": draft.currency,
        "notes": draft.notes,
    }


async def _expense(
    request: Request, visitor: Visitor, frame: Frame, expense_id: uuid.UUID
) -> service.Expense:
    assert frame.current is not None
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            return await service.get_expense(tx=tx, expense_id=expense_id)
    except ExpenseNotFoundError:
        raise not_found() from None


def _category_options(visitor: Visitor, used: list[str]) -> list[tuple[str, str]]:
    defaults = [(code, visitor.gettext(english)) for code, english in DEFAULT_CATEGORIES.items()]
    return defaults + [(own, own) for own in used if own not in DEFAULT_CATEGORIES]


def _day(visitor: Visitor, form: Form, name: str) -> dt.date | None:
    if not form.values[name]:
        return None
    try:
        return dt.date.fromisoformat(form.values[name])
    except ValueError:
        form.errors[name] = visitor.gettext("Enter a date, like 2027-06-30.")
        return None


def _storage(request: Request) -> ObjectStorage:
    storage: ObjectStorage = request.app.state.storage
    return storage


async def _form_page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    expense: service.Expense | None,
    status: int = 200,
) -> Response:
    used: list[str] = []
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            used = await service.used_categories(tx=tx)
    context = {
        "form": form,
        "expense": expense,
        "category_labels": [label for _code, label in _category_options(visitor, used)],
        "max_bytes": RECEIPT_MAX_BYTES,
    }
    return page(
        request, visitor, frame, "expenses", "finance/expense_form.html", context, status=status
    )
