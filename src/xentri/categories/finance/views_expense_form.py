"""The expense form: its fields, reading them into an ExpenseDraft with an error per field,
and the service's refusals (a receipt's too) in the visitor's words."""

from __future__ import annotations

import datetime as dt

from fastapi import Request

from xentri.categories.finance.expenses_domain import (
    DEFAULT_CATEGORIES,
    MAX_CATEGORY_LENGTH,
    ExpenseDraft,
    category_label,
    normalized_text,
)
from xentri.categories.finance.expenses_service import Expense
from xentri.categories.finance.money import is_currency
from xentri.categories.finance.views_common import amount_minor, major_text
from xentri.kernel.i18n import SUPPORTED_LANGUAGES
from xentri.shell.forms import Form
from xentri.shell.visitor import Visitor

FIELDS = (
    "spent_on",
    "vendor",
    "category",
    "amount",
    "tax",
    "currency",
    "notes",
    "receipt_key",
    "receipt_name",
    "remove_receipt",
)


def filled(expense: Expense, visitor: Visitor) -> Form:
    values = dict.fromkeys(FIELDS, "")
    values.update(
        spent_on=expense.spent_on.isoformat(),
        vendor=expense.vendor,
        category=category_label(expense.category, visitor.gettext),
        amount=major_text(expense.amount_minor, expense.currency),
        tax=major_text(expense.tax_minor, expense.currency),
        currency=expense.currency,
        notes=expense.notes or "",
    )
    return Form(values=values, csrf_ok=True)


def parse(visitor: Visitor, form: Form) -> ExpenseDraft | None:
    _ = visitor.gettext
    values = form.values
    spent_on = None
    try:
        spent_on = dt.date.fromisoformat(values["spent_on"])
    except ValueError:
        form.errors["spent_on"] = _("Enter the day you paid, like 2027-06-30.")
    vendor = normalized_text(values["vendor"])
    if not vendor:
        form.errors["vendor"] = _("Say whom you paid.")
    elif len(vendor) > 200:
        form.errors["vendor"] = _("Use at most %(max)s characters.", max=200)
    category = normalized_text(values["category"])
    if not category:
        form.errors["category"] = _("Choose a category or type your own.")
    elif len(category) > MAX_CATEGORY_LENGTH:
        form.errors["category"] = _("Use at most %(max)s characters.", max=MAX_CATEGORY_LENGTH)
    currency = values["currency"].upper()
    if not is_currency(currency):
        form.errors["currency"] = _("Use a three-letter currency code, like MXN or USD.")
        currency = "USD"
    amount = amount_minor(values["amount"], currency)
    if amount is None or amount <= 0:
        form.errors["amount"] = _(
            "Enter what you paid, above 0, with at most the currency's decimals."
        )
    tax = amount_minor(values["tax"] or "0", currency)
    if tax is None or tax < 0:
        form.errors["tax"] = _("Enter the tax included, 0 or more.")
    elif amount is not None and tax > amount:
        form.errors["tax"] = _("The tax is part of the amount: it cannot be larger.")
    if len(values["notes"]) > 5000:
        form.errors["notes"] = _("Use at most %(max)s characters.", max=5000)
    if not form.ok or spent_on is None or amount is None or tax is None:
        return None
    return ExpenseDraft(
        spent_on=spent_on,
        vendor=vendor,
        category=category,
        amount_minor=amount,
        tax_minor=tax,
        currency=currency,
        notes=values["notes"] or None,
    )


def problem_words(visitor: Visitor, field: str, code: str) -> tuple[str, str]:
    """The form field a service refusal is about, and what to tell the owner."""
    _ = visitor.gettext
    if field.startswith("receipt"):
        return "receipt", {
            "unsupported_type": _("A receipt is a JPEG, PNG, WebP or HEIC photo or a PDF."),
            "empty": _("The receipt file is empty."),
            "too_large": _("A receipt is at most 10 MB."),
            "content_mismatch": _("This file is not the kind of file its name says."),
            "missing": _("The receipt did not finish uploading. Choose it again."),
        }.get(code, _("This receipt cannot be attached. Choose the file again."))
    names = {"amount_minor": "amount", "tax_minor": "tax"}
    where = names.get(field, field)
    if where == "tax":
        return where, _("The tax is part of the amount: it cannot be larger.")
    if where == "currency":
        return where, _("Use a three-letter currency code, like MXN or USD.")
    return where, _("Check this field.")


def all_labels(request: Request) -> list[tuple[str, str]]:
    """Every default category's label in every language, so a typed label finds its code."""
    catalogs = request.app.state.shell.catalogs
    return [
        (code, catalogs.get(language).gettext(english))
        for language in SUPPORTED_LANGUAGES
        for code, english in DEFAULT_CATEGORIES.items()
    ]
