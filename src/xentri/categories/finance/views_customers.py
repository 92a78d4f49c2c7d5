"""Customers: the list (search, pages), adding and editing one, and importing a CSV (upload,
a preview with each row's errors, then the import of the valid rows)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from xentri.categories.finance import customers
from xentri.categories.finance.customer_csv import MAX_BYTES
from xentri.categories.finance.errors import ImportAlreadyCommittedError, NotFoundError
from xentri.categories.finance.money import CURRENCIES
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
from xentri.categories.finance.views_customer_form import (
    FIELDS,
    filled,
    parse_create,
    parse_update,
    row_messages,
)
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/customers"
IMPORTS = f"{HERE}/import"


@router.get(HERE)
async def customers_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    query = request.query_params.get("q", "").strip()[:200]
    number = page_number(request)
    context: dict[str, Any] = {"q": query}
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            found = await customers.search_customers(
                tx=tx, query=query, page=number, page_size=PAGE_SIZE
            )
        context["customers"] = found.items
        context["pager"] = pager(
            HERE, {"q": query}, number=number, total=found.total, size=PAGE_SIZE
        )
    return page(request, visitor, frame, "customers", "finance/customers.html", context)


@router.get(HERE + "/new")
async def new_customer_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    return _form_page(request, visitor, frame, blank_form(FIELDS), customer_id=None)


@router.post(HERE)
async def create_customer(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, FIELDS)
    customer_in = parse_create(visitor, form) if form.csrf_ok else None
    if frame.current is None or customer_in is None or not form.ok:
        status = 403 if not form.csrf_ok else 422
        return _form_page(request, visitor, frame, form, customer_id=None, status=status)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await customers.create_customer(tx=tx, org_id=frame.current.id, customer_in=customer_in)
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return _form_page(request, visitor, frame, form, customer_id=None, status=status)
    return redirect(request, HERE, notice="customer_saved")


@router.get(HERE + "/{customer_id}/edit")
async def edit_customer_page(
    request: Request, visitor: SignedInVisitor, customer_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    if frame.current is None:
        return _form_page(request, visitor, frame, blank_form(FIELDS), customer_id=customer_id)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            row = await customers.get_customer(tx=tx, customer_id=customer_id)
    except NotFoundError:
        raise not_found() from None
    return _form_page(request, visitor, frame, filled(row), customer_id=customer_id)


@router.post(HERE + "/{customer_id}/edit")
async def update_customer(
    request: Request, visitor: SignedInVisitor, customer_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, FIELDS)
    customer_in = parse_update(visitor, form) if form.csrf_ok else None
    if frame.current is None or customer_in is None or not form.ok:
        status = 403 if not form.csrf_ok else 422
        return _form_page(request, visitor, frame, form, customer_id=customer_id, status=status)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await customers.update_customer(tx=tx, customer_id=customer_id, customer_in=customer_in)
    except NotFoundError:
        raise not_found() from None
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return _form_page(request, visitor, frame, form, customer_id=customer_id, status=status)
    return redirect(request, HERE, notice="customer_saved")


@router.get(IMPORTS)
async def import_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    return _import_page(request, visitor, frame, blank_form(()), preview=None)


@router.post(IMPORTS)
async def upload_import(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    upload = (await request.form()).get("file")
    data = await upload.read(MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    _ = visitor.gettext
    if form.csrf_ok and not data:
        form.errors["file"] = _("Choose a CSV file with your customers.")
    if frame.current is None or not form.ok:
        status = 403 if not form.csrf_ok else 422
        return _import_page(request, visitor, frame, form, preview=None, status=status)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            preview = await customers.preview_import(
                tx=tx,
                org_id=frame.current.id,
                user_id=visitor.user_id,
                filename=(upload.filename if isinstance(upload, UploadFile) else None) or "",
                data=data,
            )
    except DomainError as exc:
        codes = dict(field_problems(exc))
        if "file" in codes:
            form.errors["file"] = _file_problem(visitor, codes["file"])
            return _import_page(request, visitor, frame, form, preview=None, status=422)
        form.form_error, status = refusal(visitor, exc)
        return _import_page(request, visitor, frame, form, preview=None, status=status)
    return redirect(request, f"{IMPORTS}/{preview.id}")


@router.get(IMPORTS + "/{import_id}")
async def preview_page(
    request: Request, visitor: SignedInVisitor, import_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    preview = await _preview(request, visitor, frame, import_id)
    return _import_page(request, visitor, frame, blank_form(()), preview=preview)


@router.post(IMPORTS + "/{import_id}")
async def commit_import(
    request: Request, visitor: SignedInVisitor, import_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        preview = await _preview(request, visitor, frame, import_id)
        return _import_page(request, visitor, frame, form, preview=preview, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await customers.commit_import(tx=tx, org_id=frame.current.id, import_id=import_id)
    except NotFoundError:
        raise not_found() from None
    except ImportAlreadyCommittedError:
        pass  # a second click after the first import: the result page says what happened
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        preview = await _preview(request, visitor, frame, import_id)
        return _import_page(request, visitor, frame, form, preview=preview, status=status)
    return redirect(request, f"{IMPORTS}/{import_id}", notice="customers_imported")


async def _preview(
    request: Request, visitor: Visitor, frame: Frame, import_id: uuid.UUID
) -> dict[str, Any] | None:
    if frame.current is None:
        return None
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            row = await customers.get_import(tx=tx, import_id=import_id)
    except NotFoundError:
        raise not_found() from None
    rows = [
        {
            "line": stored["line"],
            "values": stored["values"],
            "problems": row_messages(visitor, stored["errors"]),
        }
        for stored in row.rows
    ]
    invalid = sum(1 for shown in rows if shown["problems"])
    return {
        "id": row.id,
        "filename": row.filename,
        "committed": row.status == "committed",
        "imported": row.imported_count,
        "rows": rows,
        "valid": len(rows) - invalid,
        "invalid": invalid,
    }


def _file_problem(visitor: Visitor, code: str) -> str:
    _ = visitor.gettext
    return {
        "file-too-large": _("The file is larger than 1 MB. Split it into smaller files."),
        "not-csv": _("This is not a CSV file. Save the spreadsheet as CSV and try again."),
        "empty-file": _("The file is empty."),
        "missing-name-column": _(
            "The first row must name the columns, one of them the customer's name (name or nombre)."
        ),
        "too-many-rows": _("The file has more than 5,000 customers. Split it."),
        "no-rows": _("The file has a header row but no customers."),
    }.get(code, _("This file cannot be read as a CSV of customers."))


def _currencies(frame: Frame) -> list[tuple[str, str]]:
    first = frame.region.currency
    return [(first, first)] + [(code, code) for code in sorted(CURRENCIES) if code != first]


def _form_page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    customer_id: uuid.UUID | None,
    status: int = 200,
) -> Response:
    context = {"form": form, "customer_id": customer_id, "currencies": _currencies(frame)}
    return page(
        request, visitor, frame, "customers", "finance/customer_form.html", context, status=status
    )


def _import_page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    preview: dict[str, Any] | None,
    status: int = 200,
) -> Response:
    context = {"form": form, "preview": preview}
    return page(
        request, visitor, frame, "customers", "finance/customer_import.html", context, status=status
    )
