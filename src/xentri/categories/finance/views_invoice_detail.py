"""One invoice: its page (state, lines, totals, payments, where it went), sending it (it takes
its number), voiding it with a reason, its PDF, its public link and emailing it again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from xentri.categories.finance import (
    invoice_lifecycle,
    invoice_links,
    invoice_mail,
    invoices,
    numbering,
    payments,
)
from xentri.categories.finance.document_settings import invoice_language
from xentri.categories.finance.errors import InvalidFieldsError, NotFoundError
from xentri.categories.finance.invoice_document import load_document
from xentri.categories.finance.invoice_documents_api import (
    delivery_of,
    logo_storage,
    pdf_response,
)
from xentri.categories.finance.invoice_mail_outbox import send_now
from xentri.categories.finance.invoice_pdf import render_pdf
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.payments_schemas import PaymentMethod
from xentri.categories.finance.totals import Line, invoice_totals
from xentri.categories.finance.views_common import (
    BASE,
    blank_form,
    major_text,
    not_found,
    page,
    refusal,
)
from xentri.identity.http import base_url_of, engine_of, org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import actor
from xentri.shell.formatting import today_in
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.i18n import N_
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
INVOICES = f"{BASE}/invoices"
NEW_LINK_COOKIE = "xentri_new_link"
PAY_FIELDS = ("amount", "paid_on", "method", "reference")
METHOD_NAMES = {
    PaymentMethod.BANK_TRANSFER.value: N_("Bank transfer"),
    PaymentMethod.CASH.value: N_("Cash"),
    PaymentMethod.CARD.value: N_("Card"),
    PaymentMethod.CHECK.value: N_("Check"),
    PaymentMethod.OTHER.value: N_("Other"),
}


@router.get(INVOICES + "/{invoice_id}")
async def invoice_page(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    token = request.cookies.get(NEW_LINK_COOKIE, "")
    if not token or frame.current is None:
        return await detail_page(request, visitor, frame, invoice_id)
    async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        issued = await invoice_links.just_issued(
            tx=tx, invoice_id=invoice_id, token=token, created_by=visitor.user_id
        )
    link = None if issued is None else f"{base_url_of(request)}{issued.path}"
    response = await detail_page(request, visitor, frame, invoice_id, new_link=link)
    # Shown this once: a reload (or coming back later) shows it no more, and makes no other.
    response.delete_cookie(NEW_LINK_COOKIE, path=_link_cookie_path(invoice_id))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(INVOICES + "/{invoice_id}/send")
async def send_invoice(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await invoice_lifecycle.send_invoice(
                tx=tx, org_id=frame.current.id, invoice_id=invoice_id, actor=actor(visitor)
            )
    except NotFoundError:
        raise not_found() from None
    except InvalidFieldsError:
        form.form_error = visitor.gettext("Add at least one line with an amount before sending.")
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=422)
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=status)
    return redirect(request, f"{INVOICES}/{invoice_id}", notice="invoice_sent")


@router.post(INVOICES + "/{invoice_id}/void")
async def void_invoice(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("reason",))
    if form.csrf_ok and not form.values["reason"]:
        form.errors["reason"] = visitor.gettext("Say why the invoice is void.")
    elif len(form.values["reason"]) > 500:
        form.errors["reason"] = visitor.gettext("Use at most %(max)s characters.", max=500)
    if frame.current is None or not form.ok:
        status = 403 if not form.csrf_ok else 422
        return await detail_page(request, visitor, frame, invoice_id, void_form=form, status=status)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await invoice_lifecycle.void_invoice(
                tx=tx,
                org_id=frame.current.id,
                invoice_id=invoice_id,
                reason=form.values["reason"],
                actor=actor(visitor),
            )
    except NotFoundError:
        raise not_found() from None
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=status)
    return redirect(request, f"{INVOICES}/{invoice_id}", notice="invoice_voided")


@router.get(INVOICES + "/{invoice_id}/pdf")
async def invoice_pdf(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    if frame.current is None:
        raise not_found()
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_READ)
            document = await load_document(
                tx=tx, org_id=frame.current.id, invoice_id=invoice_id, storage=logo_storage(request)
            )
    except NotFoundError:
        raise not_found() from None
    return pdf_response(document, await asyncio.to_thread(render_pdf, document))


@router.post(INVOICES + "/{invoice_id}/link")
async def issue_link(request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID) -> Response:
    """A new public link, shown on the page it redirects to, once: only its hash is kept."""
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            issued = await invoice_links.issue_link(
                tx=tx,
                org_id=frame.current.id,
                invoice_id=invoice_id,
                purpose="shared",
                created_by=visitor.user_id,
            )
    except NotFoundError:
        raise not_found() from None
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=status)
    # Post/redirect/get: reloading the page after this must not issue another link. Only the
    # link's hash is stored, so its token rides to the page in a short-lived cookie, scoped to
    # this invoice's page, that the page reads (checking it is this person's live new link)
    # and deletes.
    response = redirect(request, f"{INVOICES}/{invoice_id}")
    response.set_cookie(
        NEW_LINK_COOKIE,
        issued.token,
        max_age=invoice_links.JUST_ISSUED_SECONDS,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path=_link_cookie_path(invoice_id),
    )
    return response


def _link_cookie_path(invoice_id: uuid.UUID) -> str:
    return f"{INVOICES}/{invoice_id}"


@router.post(INVOICES + "/{invoice_id}/link/revoke")
async def revoke_links(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            today = (await org_defaults(tx=tx, org_id=frame.current.id)).today()
            await invoices.get_invoice(tx=tx, invoice_id=invoice_id, today=today)
            await invoice_links.revoke_links(tx=tx, invoice_id=invoice_id)
    except NotFoundError:
        raise not_found() from None
    return redirect(request, f"{INVOICES}/{invoice_id}", notice="invoice_link_revoked")


@router.post(INVOICES + "/{invoice_id}/email")
async def email_again(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            record = await invoice_mail.request_email(
                tx=tx,
                org_id=frame.current.id,
                invoice_id=invoice_id,
                dedupe_key=f"resend:{uuid.uuid4()}",
                requested_by=visitor.user_id,
            )
    except NotFoundError:
        raise not_found() from None
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await detail_page(request, visitor, frame, invoice_id, problem=form, status=status)
    if record is None or record.state != "pending":
        return redirect(request, f"{INVOICES}/{invoice_id}", notice="invoice_email_skipped")
    # The ask is committed first, so a failed delivery is visible (and retried) like any other.
    await send_now(
        engine=engine_of(request),
        org_id=frame.current.id,
        email_id=record.id,
        delivery=delivery_of(request),
    )
    return redirect(request, f"{INVOICES}/{invoice_id}", notice="invoice_emailed")


def pay_form(view: Any, frame: Frame) -> Form:
    due = view.row.total_minor - view.row.paid_minor
    return blank_form(
        PAY_FIELDS,
        amount=major_text(max(due, 0), view.row.currency),
        paid_on=today_in(frame.region).isoformat(),
        method=PaymentMethod.BANK_TRANSFER.value,
    )


async def detail_page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    invoice_id: uuid.UUID,
    *,
    problem: Form | None = None,
    void_form: Form | None = None,
    payment_form: Form | None = None,
    reversal: tuple[uuid.UUID, Form] | None = None,
    new_link: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "problem": problem or blank_form(()),
        "void_form": void_form or blank_form(("reason",)),
        "blank_reason": blank_form(("reason",)),
        "reversal": reversal,
        "new_link": new_link,
        "method_names": METHOD_NAMES,
    }
    if frame.current is not None:
        try:
            async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
                ctx.require(Permission.DATA_READ)
                today = (await org_defaults(tx=tx, org_id=frame.current.id)).today()
                view = await invoices.get_invoice(tx=tx, invoice_id=invoice_id, today=today)
                context["payments"] = await payments.list_payments(tx=tx, invoice_id=invoice_id)
                context["link"] = await invoice_links.link_status(tx=tx, invoice_id=invoice_id)
                context["emails"] = await invoice_mail.email_history(tx=tx, invoice_id=invoice_id)
                context["language"] = await invoice_language(
                    tx=tx, org_id=frame.current.id, invoice_id=invoice_id
                )
                settings = await numbering.settings(tx=tx, org_id=frame.current.id)
        except NotFoundError:
            raise not_found() from None
        context.update(
            invoice=view,
            next_number=settings.next_number_text,
            taxes=invoice_totals(
                Line(
                    quantity=line.quantity,
                    unit_price_minor=line.unit_price_minor,
                    tax_rate=line.tax_rate,
                    discount_percent=line.discount_percent,
                )
                for line in view.lines
            ).taxes,
            pay_form=payment_form or pay_form(view, frame),
            method_options=[(key, visitor.gettext(name)) for key, name in METHOD_NAMES.items()],
        )
    return page(request, visitor, frame, "invoices", "finance/invoice.html", context, status=status)
