"""Finance's settings page: the invoice number prefix, the default payment terms and the payment
instructions invoices print, saved together in one transaction (all or nothing)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.categories.finance import document_settings, numbering
from xentri.categories.finance.invoice_documents_api import DocumentSettingsUpdate
from xentri.categories.finance.invoices_schemas import SettingsUpdate
from xentri.categories.finance.views_common import BASE, blank_form, page, refusal
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import may
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/settings"
FIELDS = ("invoice_prefix", "default_payment_terms_days", "payment_instructions")
# The same permission as the JSON API's: numbering and where customers pay are the business's
# decisions (owners and admins), not any member's.
CHANGE = Permission.ORG_UPDATE
INSTRUCTIONS_MAX = 2000


@router.get(HERE)
async def settings_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    if frame.current is None:
        return _page(request, visitor, frame, blank_form(FIELDS), next_number=None)
    async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        found = await numbering.settings(tx=tx, org_id=frame.current.id)
        instructions = await document_settings.payment_instructions(tx=tx)
    form = blank_form(
        FIELDS,
        invoice_prefix=found.invoice_prefix,
        default_payment_terms_days=str(found.default_payment_terms_days),
        payment_instructions=instructions or "",
    )
    return _page(request, visitor, frame, form, next_number=found.next_number_text)


@router.post(HERE)
async def save_settings(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, FIELDS)
    if form.csrf_ok and not may(frame, CHANGE):
        form.form_error = visitor.gettext("Your role does not allow this.")
        return _page(request, visitor, frame, form, next_number=None, status=403)
    parsed = _parse(visitor, form) if form.csrf_ok else None
    if frame.current is None or parsed is None or not form.ok:
        status = 403 if not form.csrf_ok else 422
        return _page(request, visitor, frame, form, next_number=None, status=status)
    numbers, documents = parsed
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(CHANGE)
            await numbering.update_settings(
                tx=tx,
                org_id=frame.current.id,
                invoice_prefix=numbers.invoice_prefix,
                default_payment_terms_days=numbers.default_payment_terms_days,
            )
            await document_settings.set_payment_instructions(
                tx=tx, org_id=frame.current.id, instructions=documents.payment_instructions
            )
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return _page(request, visitor, frame, form, next_number=None, status=status)
    return redirect(request, HERE, notice="finance_settings_saved")


def _parse(visitor: Visitor, form: Form) -> tuple[SettingsUpdate, DocumentSettingsUpdate] | None:
    """The form read by the API's own models, so the page and the API accept the same values."""
    _ = visitor.gettext
    values = form.values
    terms = values["default_payment_terms_days"]
    terms_ok = terms.isdigit() and int(terms) <= 365
    if not terms_ok:
        form.errors["default_payment_terms_days"] = _("Enter a number of days from 0 to 365.")
    try:
        # Terms are checked above and only passed when good: any refusal here is the prefix's.
        numbers = SettingsUpdate.model_validate(
            {"invoice_prefix": values["invoice_prefix"]}
            | ({"default_payment_terms_days": int(terms)} if terms_ok else {})
        )
    except ValidationError:
        form.errors["invoice_prefix"] = _(
            "Use at most 20 letters, digits, spaces or the characters / . _ -"
        )
        numbers = None
    try:
        documents = DocumentSettingsUpdate.model_validate(
            {"payment_instructions": values["payment_instructions"] or None}
        )
    except ValidationError:
        form.errors["payment_instructions"] = _(
            "Use at most %(max)s characters.", max=INSTRUCTIONS_MAX
        )
        documents = None
    if form.errors or numbers is None or documents is None:
        return None
    return numbers, documents


def _page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    next_number: str | None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "form": form,
        "next_number": next_number,
        "may_change": may(frame, CHANGE),
        "instructions_max": INSTRUCTIONS_MAX,
    }
    return page(
        request, visitor, frame, "settings", "finance/settings.html", context, status=status
    )
