"""JSON API of customers: /api/v1/finance/customers and /api/v1/finance/customer-imports."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, UploadFile

from xentri.categories.finance import customers
from xentri.categories.finance.api_deps import PageNumber, PageSize, SearchText
from xentri.categories.finance.customer_csv import MAX_BYTES
from xentri.categories.finance.customers_schemas import (
    CustomerCreate,
    CustomerImportRead,
    CustomerPage,
    CustomerRead,
    CustomerUpdate,
    ImportRowRead,
)
from xentri.categories.finance.errors import InvalidFieldsError
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])


@router.get("/customers", summary="Customers by name; `q` searches name, email and tax id")
async def list_customers(
    request: Request,
    caller: CurrentCaller,
    q: SearchText = None,
    page: PageNumber = 1,
    page_size: PageSize = 25,
) -> CustomerPage:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        found = await customers.search_customers(tx=tx, query=q, page=page, page_size=page_size)
    return CustomerPage(
        items=[customer_read(row) for row in found.items],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
    )


@router.post("/customers", status_code=201, summary="Add a customer")
async def create_customer(
    request: Request, caller: CurrentCaller, customer_in: CustomerCreate
) -> CustomerRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        row = await customers.create_customer(tx=tx, org_id=org_id, customer_in=customer_in)
    return customer_read(row)


@router.get("/customers/{customer_id}", summary="One customer")
async def get_customer(
    request: Request, caller: CurrentCaller, customer_id: uuid.UUID
) -> CustomerRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return customer_read(await customers.get_customer(tx=tx, customer_id=customer_id))


@router.patch("/customers/{customer_id}", summary="Change a customer (only the fields sent)")
async def update_customer(
    request: Request, caller: CurrentCaller, customer_id: uuid.UUID, customer_in: CustomerUpdate
) -> CustomerRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        row = await customers.update_customer(
            tx=tx, customer_id=customer_id, customer_in=customer_in
        )
    return customer_read(row)


@router.post(
    "/customer-imports",
    status_code=201,
    summary="Upload a CSV of customers: a preview with each row's errors (nothing imported yet)",
    description=(
        "Send the file as multipart field `file`. Headers may be English or Spanish (name/"
        "nombre, tax_id/rfc, email/correo, phone/telefono, address/direccion, city/ciudad, "
        "region/estado, postal_code/cp, country/pais, currency/moneda, payment_terms/plazo); "
        "`,` `;` or tab separated; UTF-8 or Windows-1252. Then commit the preview: the valid "
        "rows are imported and the invalid ones skipped, as the preview lists them."
    ),
)
async def preview_import(
    request: Request, caller: CurrentCaller, file: UploadFile
) -> CustomerImportRead:
    data = await file.read(MAX_BYTES + 1)
    if not data:
        raise InvalidFieldsError(
            "The file is empty.", field="file", message="empty file", code="empty-file"
        )
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        row = await customers.preview_import(
            tx=tx,
            org_id=org_id,
            user_id=caller.user_id,
            filename=file.filename or "customers.csv",
            data=data,
        )
    return import_read(row)


@router.get("/customer-imports/{import_id}", summary="A CSV import's preview or result")
async def get_import(
    request: Request, caller: CurrentCaller, import_id: uuid.UUID
) -> CustomerImportRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return import_read(await customers.get_import(tx=tx, import_id=import_id))


@router.post(
    "/customer-imports/{import_id}/commit",
    summary="Import the preview's valid rows (invalid ones are skipped); once only",
)
async def commit_import(
    request: Request, caller: CurrentCaller, import_id: uuid.UUID
) -> CustomerImportRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        row = await customers.commit_import(tx=tx, org_id=org_id, import_id=import_id)
    return import_read(row)


def customer_read(row: Any) -> CustomerRead:
    return CustomerRead.model_validate(row._mapping, from_attributes=False)


def import_read(row: Any) -> CustomerImportRead:
    rows = [ImportRowRead.model_validate(r) for r in row.rows]
    invalid = sum(1 for r in rows if r.errors)
    return CustomerImportRead(
        id=row.id,
        filename=row.filename,
        status=row.status,
        valid_rows=len(rows) - invalid,
        invalid_rows=invalid,
        imported_count=row.imported_count,
        rows=rows,
        created_at=row.created_at,
        committed_at=row.committed_at,
    )
