"""Invoices: the list (state filter, search, pages), writing a draft (customer picked or added
on the spot, lines added and removed, live totals), changing it, and deleting it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from xentri.categories.finance import customers, invoices, numbering
from xentri.categories.finance.api_deps import offering_source
from xentri.categories.finance.errors import InvalidFieldsError, NotFoundError
from xentri.categories.finance.invoices_schemas import InvoiceCreate, InvoiceUpdate
from xentri.categories.finance.money import CURRENCIES
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.views_common import (
    BASE,
    PAGE_SIZE,
    STATUS_NAMES,
    not_found,
    page,
    page_number,
    pager,
    refusal,
    uuid_or_none,
)
from xentri.categories.finance.views_invoice_form import (
    EXEMPT,
    FIELDS,
    MAX_ROWS,
    TAX_RATES,
    DraftIn,
    apply_action,
    blank_row,
    filled,
    live_totals,
    parse,
    row_count,
    service_errors,
    set_rows,
)
from xentri.contracts.brief import Offering
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import actor
from xentri.shell.formatting import money_in, today_in
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame, needs_sign_in
from xentri.shell.templating import redirect, render
from xentri.shell.visitor import CurrentVisitor, Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/invoices"
# The customer picker lists this many matches; any other customer is a few letters away.
PICKER_SIZE = 50


@router.get(HERE)
async def invoices_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    params = request.query_params
    status = params.get("status", "")
    status = status if status in STATUS_NAMES else ""
    query = params.get("q", "").strip()[:200]
    customer_id = uuid_or_none(params.get("customer", ""))
    number = page_number(request)
    context: dict[str, Any] = {"status": status, "q": query, "customer": customer_id}
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            today = (await org_defaults(tx=tx, org_id=frame.current.id)).today()
            found = await invoices.list_invoices(
                tx=tx,
                today=today,
                status=status or None,
                customer_id=customer_id,
                query=query,
                page=number,
                page_size=PAGE_SIZE,
            )
        context["invoices"] = found.items
        kept = {"status": status, "q": query, "customer": str(customer_id or "")}
        context["pager"] = pager(HERE, kept, number=number, total=found.total, size=PAGE_SIZE)
    return page(request, visitor, frame, "invoices", "finance/invoices.html", context)


@router.get(HERE + "/new")
async def new_invoice_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = Form(values=dict.fromkeys(FIELDS, ""), csrf_ok=True)
    set_rows(form, [blank_row()])
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            settings = await numbering.settings(tx=tx, org_id=frame.current.id)
        form.values.update(
            currency=frame.region.currency,
            issue_date=today_in(frame.region).isoformat(),
            payment_terms_days=str(settings.default_payment_terms_days),
            customer_id=request.query_params.get("customer", ""),
        )
    return await _form_page(request, visitor, frame, form, invoice_id=None)


@router.post(HERE)
async def create_invoice(request: Request, visitor: CurrentVisitor) -> Response:
    return await _save(request, visitor, invoice_id=None)


@router.get(HERE + "/{invoice_id}/edit")
async def edit_invoice_page(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    if frame.current is None:
        return await _form_page(request, visitor, frame, Form({}, True), invoice_id=invoice_id)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            today = (await org_defaults(tx=tx, org_id=frame.current.id)).today()
            view = await invoices.get_invoice(tx=tx, invoice_id=invoice_id, today=today)
    except NotFoundError:
        raise not_found() from None
    if view.row.state != "draft":
        return redirect(request, f"{HERE}/{invoice_id}")
    return await _form_page(request, visitor, frame, filled(view), invoice_id=invoice_id)


@router.post(HERE + "/{invoice_id}/edit")
async def update_invoice(
    request: Request, visitor: CurrentVisitor, invoice_id: uuid.UUID
) -> Response:
    return await _save(request, visitor, invoice_id=invoice_id)


@router.post(HERE + "/{invoice_id}/delete")
async def delete_invoice(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return redirect(request, f"{HERE}/{invoice_id}")
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await invoices.delete_draft(tx=tx, invoice_id=invoice_id)
    except NotFoundError:
        raise not_found() from None
    except DomainError:
        return redirect(request, f"{HERE}/{invoice_id}", notice="invoice_not_changed")
    return redirect(request, HERE, notice="invoice_deleted")


@router.post(HERE + "/totals")
async def totals_partial(request: Request, visitor: SignedInVisitor) -> Response:
    """The totals box for the lines as typed so far (htmx swaps it in while the owner types)."""
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, FIELDS)
    if frame.current is None or not form.csrf_ok:
        return Response(status_code=403)
    context = await _totals_context(request, visitor, frame, form)
    return render(request, visitor, "finance/_totals.html", {"frame": frame, **context})


async def _save(  # noqa: PLR0911 - each refusal shows the form again, with its status
    request: Request, visitor: Visitor, *, invoice_id: uuid.UUID | None
) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, FIELDS)
    if frame.current is None or not form.csrf_ok:
        return await _form_page(request, visitor, frame, form, invoice_id=invoice_id, status=403)
    if apply_action(form):
        return await _form_page(request, visitor, frame, form, invoice_id=invoice_id)
    draft = parse(visitor, form, today=today_in(frame.region))
    if draft is None:
        return await _form_page(request, visitor, frame, form, invoice_id=invoice_id, status=422)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            saved = await _store(request, visitor, tx, frame.current.id, invoice_id, draft)
    except NotFoundError:
        raise not_found() from None
    except InvalidFieldsError as exc:
        service_errors(visitor, form, exc)
        return await _form_page(request, visitor, frame, form, invoice_id=invoice_id, status=422)
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _form_page(request, visitor, frame, form, invoice_id=invoice_id, status=status)
    return redirect(request, f"{HERE}/{saved}", notice="invoice_saved")


async def _store(  # noqa: PLR0917 - the request, the tx and the draft it stores
    request: Request,
    visitor: Visitor,
    tx: Any,
    org_id: uuid.UUID,
    invoice_id: uuid.UUID | None,
    draft: DraftIn,
) -> uuid.UUID:
    """Create or change the draft (and the customer typed in, in the same transaction)."""
    customer_id = draft.customer_id
    if customer_id is None and draft.new_customer is not None:
        created = await customers.create_customer(
            tx=tx, org_id=org_id, customer_in=draft.new_customer
        )
        customer_id = created.id
    assert customer_id is not None  # parse() required one or the other
    offerings = await offering_source(request).offerings(tx=tx)
    common: dict[str, Any] = {
        "customer_id": customer_id,
        "currency": draft.currency,
        "issue_date": draft.issue_date,
        "payment_terms_days": draft.payment_terms_days,
        "notes": draft.notes,
        "lines": draft.lines,
    }
    if draft.due_date is not None:
        common["due_date"] = draft.due_date
    if invoice_id is None:
        view = await invoices.create_invoice(
            tx=tx,
            org_id=org_id,
            actor=actor(visitor),
            invoice_in=InvoiceCreate(**common),
            offerings=offerings,
        )
    else:
        view = await invoices.update_draft(
            tx=tx,
            org_id=org_id,
            invoice_id=invoice_id,
            invoice_in=InvoiceUpdate(**common),
            offerings=offerings,
        )
    return uuid.UUID(str(view.row.id))


async def _totals_context(
    request: Request, visitor: Visitor, frame: Frame, form: Form
) -> dict[str, Any]:
    assert frame.current is not None
    currency = form.values.get("currency", "").upper()
    async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        offerings = list(await offering_source(request).offerings(tx=tx))
    return {
        "totals": live_totals(form, visitor, currency=currency, offerings=offerings),
        "currency": currency if currency in CURRENCIES else frame.region.currency,
        "offerings": offerings,
    }


async def _form_page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    invoice_id: uuid.UUID | None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "form": form,
        "invoice_id": invoice_id,
        "rows": range(row_count(form)),
        "max_rows": MAX_ROWS,
        "tax_rates": TAX_RATES,
        "exempt": EXEMPT,
        "currencies": [(c, c) for c in _currencies(frame)],
        "tax_options": lambda current: _tax_options(visitor, current),
    }
    if frame.current is not None:
        context.update(await _totals_context(request, visitor, frame, form))
        context["offering_options"] = [
            (o.name, _offering_text(visitor, o)) for o in context["offerings"]
        ]
        context["picker"] = await _customer_picker(
            request,
            visitor,
            frame,
            query=form.values.get("customer_q", ""),
            chosen=form.values.get("customer_id", ""),
        )
    template = "finance/invoice_form.html"
    return page(request, visitor, frame, "invoices", template, context, status=status)


@router.get(HERE + "/customer-options")
async def customer_options(request: Request, visitor: SignedInVisitor) -> Response:
    """The invoice form's customer list for what was typed in its search box (htmx swaps it
    in); the customer already chosen stays in the list."""
    frame = await load_frame(request, visitor)
    if frame.current is None:
        raise not_found()
    params = request.query_params
    form = Form(values={"customer_id": params.get("customer_id", "")}, csrf_ok=True)
    picker = await _customer_picker(
        request,
        visitor,
        frame,
        query=params.get("customer_q", ""),
        chosen=form.values["customer_id"],
    )
    context = {"frame": frame, "form": form, "picker": picker}
    return render(request, visitor, "finance/_customer_picker.html", context)


@dataclass(frozen=True)
class CustomerPicker:
    # (id, name): the matches, and first the chosen customer when it is not among them.
    options: list[tuple[str, str]]
    matches: int  # how many customers match the search (all of them without one)
    query: str


async def _customer_picker(
    request: Request, visitor: Visitor, frame: Frame, *, query: str, chosen: str
) -> CustomerPicker:
    """At most PICKER_SIZE customers for the search (every customer is reachable by typing a
    part of its name, email or tax id), keeping the one already chosen."""
    assert frame.current is not None
    query = query.strip()[:200]
    async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        found = await customers.search_customers(
            tx=tx, query=query or None, page=1, page_size=PICKER_SIZE
        )
        options = [(str(row.id), row.name) for row in found.items]
        chosen_id = uuid_or_none(chosen)
        if chosen_id is not None and str(chosen_id) not in {value for value, _n in options}:
            try:
                kept = await customers.get_customer(tx=tx, customer_id=chosen_id)
            except NotFoundError:
                pass  # gone (or never this org's): the field's own check says so on saving
            else:
                options.insert(0, (str(kept.id), kept.name))
    return CustomerPicker(options=options, matches=found.total, query=query)


def _currencies(frame: Frame) -> list[str]:
    return [frame.region.currency] + [c for c in sorted(CURRENCIES) if c != frame.region.currency]


def _tax_options(visitor: Visitor, current: str) -> list[tuple[str, str]]:
    _ = visitor.gettext
    options = [
        ("16", _("16% (IVA)")),
        ("8", _("8% (IVA, border region)")),
        ("0", _("0% (zero rate)")),
        (EXEMPT, _("Exempt")),
    ]
    if current and current not in {value for value, _text in options}:
        options.insert(0, (current, f"{current}%"))
    return options


def _offering_text(visitor: Visitor, offering: Offering) -> str:
    if offering.price_minor and offering.currency:
        price = money_in(offering.price_minor, offering.currency, visitor.lang)
        return f"{offering.name} ({price})"
    return offering.name
