"""JSON API of invoices: /api/v1/finance/invoices (drafts, send, void), live totals, the
Brief's offerings, and Finance's settings (invoice prefix, default terms)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xentri.categories.finance import invoice_lifecycle, invoices, numbering
from xentri.categories.finance.api_deps import (
    PageNumber,
    PageSize,
    SearchText,
    actor_of,
    offering_source,
)
from xentri.categories.finance.invoice_lines import price_lines
from xentri.categories.finance.invoices_read import detail, summary, totals_read
from xentri.categories.finance.invoices_schemas import (
    InvoiceCreate,
    InvoicePage,
    InvoiceRead,
    InvoiceUpdate,
    OfferingRead,
    SettingsRead,
    SettingsUpdate,
    StatusFilter,
    TotalsRead,
    TotalsRequest,
    VoidIn,
)
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.totals import invoice_totals
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])


@router.get("/invoices", summary="Invoices, newest first, filtered by status, customer or text")
async def list_invoices(
    request: Request,
    caller: CurrentCaller,
    *,
    status: Annotated[StatusFilter | None, Query()] = None,
    customer_id: uuid.UUID | None = None,
    q: SearchText = None,
    page: PageNumber = 1,
    page_size: PageSize = 25,
) -> InvoicePage:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        today = (await org_defaults(tx=tx, org_id=org_id)).today()
        found = await invoices.list_invoices(
            tx=tx,
            today=today,
            status=status,
            customer_id=customer_id,
            query=q,
            page=page,
            page_size=page_size,
        )
    return InvoicePage(
        items=[summary(view) for view in found.items],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
    )


@router.post("/invoices", status_code=201, summary="Create a draft invoice (numbered when sent)")
async def create_invoice(
    request: Request, caller: CurrentCaller, invoice_in: InvoiceCreate
) -> InvoiceRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        offerings = await offering_source(request).offerings(tx=tx)
        view = await invoices.create_invoice(
            tx=tx,
            org_id=org_id,
            actor=actor_of(caller),
            invoice_in=invoice_in,
            offerings=offerings,
        )
    return detail(view)


@router.post("/invoices/totals", summary="Totals of lines, computed as an invoice would be")
async def compute_totals(
    request: Request, caller: CurrentCaller, totals_in: TotalsRequest
) -> TotalsRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        offerings = await offering_source(request).offerings(tx=tx)
    priced = price_lines(totals_in.lines, currency=totals_in.currency, offerings=offerings)
    totals = invoice_totals(line.as_line() for line in priced)
    described = [(line.description, line.as_line(), line.tax_label) for line in priced]
    return totals_read(totals_in.currency, totals, described)


@router.get("/invoices/{invoice_id}", summary="One invoice with its lines and totals")
async def get_invoice(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID
) -> InvoiceRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        today = (await org_defaults(tx=tx, org_id=org_id)).today()
        return detail(await invoices.get_invoice(tx=tx, invoice_id=invoice_id, today=today))


@router.patch("/invoices/{invoice_id}", summary="Change a draft; `lines` replaces its lines")
async def update_invoice(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID, invoice_in: InvoiceUpdate
) -> InvoiceRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        offerings = await offering_source(request).offerings(tx=tx)
        view = await invoices.update_draft(
            tx=tx, org_id=org_id, invoice_id=invoice_id, invoice_in=invoice_in, offerings=offerings
        )
    return detail(view)


@router.delete("/invoices/{invoice_id}", status_code=204, summary="Delete a draft")
async def delete_invoice(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        await invoices.delete_draft(tx=tx, invoice_id=invoice_id)
    return Response(status_code=204)


@router.post(
    "/invoices/{invoice_id}/send",
    summary="Issue a draft: it gets the next number and is owed (delivery follows the event)",
)
async def send_invoice(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID
) -> InvoiceRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        view = await invoice_lifecycle.send_invoice(
            tx=tx, org_id=org_id, invoice_id=invoice_id, actor=actor_of(caller)
        )
    return detail(view)


@router.post(
    "/invoices/{invoice_id}/void", summary="Cancel an issued, unpaid invoice; it keeps its number"
)
async def void_invoice(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID, void_in: VoidIn
) -> InvoiceRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        view = await invoice_lifecycle.void_invoice(
            tx=tx,
            org_id=org_id,
            invoice_id=invoice_id,
            reason=void_in.reason,
            actor=actor_of(caller),
        )
    return detail(view)


@router.get("/offerings", summary="The approved Brief's offerings, to pick as invoice lines")
async def list_offerings(request: Request, caller: CurrentCaller) -> list[OfferingRead]:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        found = await offering_source(request).offerings(tx=tx)
    return [
        OfferingRead(
            name=o.name,
            description=o.description,
            unit_price_minor=o.price_minor,
            currency=o.currency,
            unit=o.unit,
        )
        for o in found
    ]


@router.get("/settings", summary="Invoice prefix, the next number and default payment terms")
async def get_settings(request: Request, caller: CurrentCaller) -> SettingsRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return _settings_read(await numbering.settings(tx=tx, org_id=org_id))


@router.patch("/settings", summary="Change the prefix of later invoices or the default terms")
async def update_settings(
    request: Request, caller: CurrentCaller, settings_in: SettingsUpdate
) -> SettingsRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)  # numbering is the business's, not one member's
        found = await numbering.update_settings(
            tx=tx,
            org_id=org_id,
            invoice_prefix=settings_in.invoice_prefix,
            default_payment_terms_days=settings_in.default_payment_terms_days,
        )
    return _settings_read(found)


def _settings_read(found: numbering.FinanceSettings) -> SettingsRead:
    return SettingsRead(
        invoice_prefix=found.invoice_prefix,
        next_invoice_number=found.next_number_text,
        default_payment_terms_days=found.default_payment_terms_days,
    )
