"""The customer form: its fields, reading them into the service's models, and every refusal
(the form's or a CSV row's) in the visitor's words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from xentri.categories.finance.customers_schemas import CustomerCreate, CustomerUpdate
from xentri.shell.forms import Form
from xentri.shell.visitor import Visitor

ADDRESS = ("line1", "line2", "city", "region", "postal_code", "country")
FIELDS = ("name", "tax_id", "email", "phone", *ADDRESS, "currency", "payment_terms_days")
# CSV columns (customer_csv) that name an address part differently from the form.
_CSV_NAMES = {"address_line1": "line1", "address_line2": "line2"}


def filled(row: Any) -> Form:
    address = row.billing_address or {}
    values = {
        "name": row.name,
        "tax_id": row.tax_id or "",
        "email": row.email or "",
        "phone": row.phone or "",
        **{part: str(address.get(part) or "") for part in ADDRESS},
        "currency": row.currency or "",
        "payment_terms_days": "" if row.payment_terms_days is None else str(row.payment_terms_days),
    }
    return Form(values=values, csrf_ok=True)


def parse_create(visitor: Visitor, form: Form) -> CustomerCreate | None:
    data = _data(form.values)
    try:
        return CustomerCreate.model_validate(data)
    except ValidationError as exc:
        form.errors.update(_errors(visitor, exc, form.values))
        return None


def parse_update(visitor: Visitor, form: Form) -> CustomerUpdate | None:
    data = _data(form.values)
    # Every field is sent: an emptied one is cleared, as the form shows it.
    for name in ("tax_id", "email", "phone", "currency", "payment_terms_days"):
        data.setdefault(name, None)
    data.setdefault("name", "")
    try:
        return CustomerUpdate.model_validate(data)
    except ValidationError as exc:
        form.errors.update(_errors(visitor, exc, form.values))
        return None


def message(visitor: Visitor, name: str, kind: str, *, max_length: object = None) -> str:
    """What is wrong with one customer field, in the visitor's language."""
    _ = visitor.gettext
    name = _CSV_NAMES.get(name, name)
    if kind == "duplicate":
        return (
            _("A customer with this tax id is already on file or earlier in the file.")
            if name == "tax_id"
            else _("A customer with this email is already on file or earlier in the file.")
        )
    if kind == "string_too_long":
        return _("Use at most %(max)s characters.", max=max_length or "")
    if name == "name":
        return _("Give the customer a name.")
    messages = {
        "email": _("Enter a valid email address, like name@example.com."),
        "phone": _("Enter a phone number in digits, like +52 55 1234 5678."),
        "tax_id": _("A tax id has 3 to 40 letters or digits, like XAXX010101000."),
        "country": _("Use the two-letter country code, like MX or US."),
        "currency": _("Use a three-letter currency code, like MXN or USD."),
        "payment_terms_days": _("Enter a number of days from 0 to 365."),
    }
    return messages.get(name, _("Check this field."))


def row_messages(visitor: Visitor, errors: Iterable[dict[str, str]]) -> list[str]:
    """A CSV row's errors as sentences naming the column."""
    found = []
    for error in errors:
        name = error.get("field", "")
        found.append(f"{name}: {message(visitor, name, error.get('code', ''))}")
    return found


def _data(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: values[key]
        for key in ("name", "tax_id", "email", "phone", "currency")
        if values.get(key)
    }
    if values.get("name") == "":
        data["name"] = ""
    if data.get("currency"):
        data["currency"] = data["currency"].upper()
    terms = values.get("payment_terms_days", "")
    if terms:
        data["payment_terms_days"] = terms
    address = {part: values[part] for part in ADDRESS if values.get(part)}
    if "country" in address:
        address["country"] = address["country"].upper()
    data["billing_address"] = address
    return data


def _errors(visitor: Visitor, exc: ValidationError, values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        name = loc[-1] if loc and loc[0] == "billing_address" and len(loc) > 1 else loc[0]
        if name not in values or name in errors:
            continue
        context = error.get("ctx") or {}
        errors[name] = message(visitor, name, error["type"], max_length=context.get("max_length"))
    return errors
