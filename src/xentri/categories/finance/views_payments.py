"""Payments from the invoice's page: record one (never more than is due: the amount field says
so) and reverse one with a reason."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.categories.finance import invoices, payments
from xentri.categories.finance.errors import InvalidFieldsError, NotFoundError
from xentri.categories.finance.org_defaults import org_defaults
from xentri.categories.finance.payments_schemas import PaymentCreate, PaymentMethod
from xentri.categories.finance.views_common import (
    BASE,
    amount_minor,
    field_problems,
    not_found,
    refusal,
)
from xentri.categories.finance.views_invoice_detail import PAY_FIELDS, detail_page
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import actor
from xentri.shell.formatting import money_in
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import SignedInVisitor, load_frame
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
INVOICES = f"{BASE}/invoices"


@router.post(INVOICES + "/{invoice_id}/payments")
async def record_payment(
    request: Request, visitor: SignedInVisitor, invoice_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, PAY_FIELDS)
    if frame.current is None or not form.csrf_ok:
        return await detail_page(request, visitor, frame, invoice_id, payment_form=form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            today = (await org_defaults(tx=tx, org_id=frame.current.id)).today()
            view = await invoices.get_invoice(tx=tx, invoice_id=invoice_id, today=today)
            payment_in = _parse(visitor, form, currency=view.row.currency)
            if payment_in is not None:
                await payments.record_payment(
                    tx=tx,
                    org_id=frame.current.id,
                    invoice_id=invoice_id,
                    payment_in=payment_in,
                    actor=actor(visitor),
                )
    except NotFoundError:
        raise not_found() from None
    except InvalidFieldsError as exc:
        if "amount_minor" in dict(field_problems(exc)):
            due = view.row.total_minor - view.row.paid_minor
            form.errors["amount"] = visitor.gettext(
                "The payment is larger than the amount due (%(due)s).",
                due=money_in(due, view.row.currency, visitor.lang),
            )
        else:
            form.form_error = visitor.gettext("Some fields need your attention.")
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await detail_page(
            request, visitor, frame, invoice_id, payment_form=form, status=status
        )
    if not form.ok:
        return await detail_page(request, visitor, frame, invoice_id, payment_form=form, status=422)
    return redirect(request, f"{INVOICES}/{invoice_id}#payments", notice="payment_recorded")


@router.post(BASE + "/payments/{payment_id}/reverse")
async def reverse_payment(
    request: Request, visitor: SignedInVisitor, payment_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("reason", "invoice_id"))
    invoice_id = _invoice_of(form)
    if form.csrf_ok and not form.values["reason"]:
        form.errors["reason"] = visitor.gettext("Say why the payment is reversed.")
    elif len(form.values["reason"]) > 500:
        form.errors["reason"] = visitor.gettext("Use at most %(max)s characters.", max=500)
    if frame.current is None or invoice_id is None:
        raise not_found()
    if not form.ok:
        status = 403 if not form.csrf_ok else 422
        return await detail_page(
            request, visitor, frame, invoice_id, reversal=(payment_id, form), status=status
        )
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            result = await payments.reverse_payment(
                tx=tx,
                org_id=frame.current.id,
                payment_id=payment_id,
                reason=form.values["reason"],
                actor=actor(visitor),
            )
    except NotFoundError:
        raise not_found() from None
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await detail_page(
            request, visitor, frame, invoice_id, reversal=(payment_id, form), status=status
        )
    target = result.payment.invoice_id
    return redirect(request, f"{INVOICES}/{target}#payments", notice="payment_reversed")


def _invoice_of(form: Form) -> uuid.UUID | None:
    try:
        return uuid.UUID(form.values["invoice_id"])
    except ValueError:
        return None


def _parse(visitor: Visitor, form: Form, *, currency: str) -> PaymentCreate | None:
    _ = visitor.gettext
    values = form.values
    amount = amount_minor(values["amount"], currency)
    if amount is None or amount <= 0:
        form.errors["amount"] = _(
            "Enter an amount above 0 in %(currency)s, with at most its decimals.",
            currency=currency,
        )
    paid_on = None
    if values["paid_on"]:
        try:
            paid_on = dt.date.fromisoformat(values["paid_on"])
        except ValueError:
            form.errors["paid_on"] = _("Enter a date, like 2027-06-30.")
    if values["method"] not in {method.value for method in PaymentMethod}:
        form.errors["method"] = _("Choose one of the options.")
    if len(values["reference"]) > 200:
        form.errors["reference"] = _("Use at most %(max)s characters.", max=200)
    if not form.ok or amount is None:
        return None
    try:
        return PaymentCreate(
            amount_minor=amount,
            paid_on=paid_on,
            method=PaymentMethod(values["method"]),
            reference=values["reference"] or None,
        )
    except ValidationError:
        form.errors["amount"] = _(
            "Enter an amount above 0 in %(currency)s, with at most its decimals.",
            currency=currency,
        )
        return None
