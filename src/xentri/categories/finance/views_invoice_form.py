"""The draft invoice form: its numbered line rows (add, remove), reading it into the service's
models with an error per field, and the live totals from the same arithmetic the invoice uses."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from xentri.categories.finance.customers_schemas import CustomerCreate
from xentri.categories.finance.errors import InvalidFieldsError
from xentri.categories.finance.invoice_lines import price_lines
from xentri.categories.finance.invoices_schemas import LineIn
from xentri.categories.finance.money import is_currency
from xentri.categories.finance.totals import (
    MAX_QUANTITY,
    MAX_UNIT_PRICE_MINOR,
    InvoiceTotals,
    invoice_totals,
)
from xentri.categories.finance.views_common import (
    amount_minor,
    field_problems,
    major_text,
    plain,
    plain_number,
    uuid_or_none,
)
from xentri.contracts.brief import Offering
from xentri.shell.forms import Form
from xentri.shell.visitor import Visitor

MAX_ROWS = 50
LINE_FIELDS = ("offering", "description", "quantity", "unit_price", "tax", "discount")
HEADER = (
    "customer_id",
    "customer_q",
    "new_customer_name",
    "new_customer_email",
    "currency",
    "issue_date",
    "payment_terms_days",
    "due_date",
    "notes",
    "rows",
    "action",
)
FIELDS = HEADER + tuple(f"line-{i}-{name}" for i in range(MAX_ROWS) for name in LINE_FIELDS)
EXEMPT = "exempt"
TAX_RATES = ("16", "8", "0")


@dataclass
class DraftIn:
    customer_id: uuid.UUID | None
    new_customer: CustomerCreate | None
    currency: str
    issue_date: dt.date
    payment_terms_days: int
    due_date: dt.date | None
    notes: str | None
    lines: list[LineIn] = field(default_factory=list)


def row_count(form: Form) -> int:
    raw = form.values.get("rows", "")
    return min(max(int(raw), 1), MAX_ROWS) if raw.isdigit() else 1


def apply_action(form: Form) -> bool:
    """Add or remove a line row, or look for a customer, as the pressed button asks; True when
    the form only changes shape (nothing is saved)."""
    action = form.values.get("action", "")
    count = row_count(form)
    rows = [
        {name: form.values.get(f"line-{i}-{name}", "") for name in LINE_FIELDS}
        for i in range(count)
    ]
    if action == "add_line" and count < MAX_ROWS:
        rows.append(blank_row())
    elif action.startswith("remove:") and action[7:].isdigit() and int(action[7:]) < count:
        rows.pop(int(action[7:]))
        if not rows:
            rows.append(blank_row())
    elif action not in {"recalc", "find_customer"}:  # find: the picker lists the matches
        return False
    set_rows(form, rows)
    form.values["action"] = ""
    return True


def blank_row() -> dict[str, str]:
    return {**dict.fromkeys(LINE_FIELDS, ""), "quantity": "1", "tax": "16", "discount": "0"}


def set_rows(form: Form, rows: Sequence[dict[str, str]]) -> None:
    for i in range(MAX_ROWS):
        for name in LINE_FIELDS:
            form.values[f"line-{i}-{name}"] = rows[i][name] if i < len(rows) else ""
    form.values["rows"] = str(len(rows))


def filled(view: Any) -> Form:
    """A stored draft as the form shows it."""
    row = view.row
    values = dict.fromkeys(FIELDS, "")
    values.update(
        customer_id=str(row.customer_id),
        currency=row.currency,
        issue_date=row.issue_date.isoformat(),
        payment_terms_days=str(row.payment_terms_days),
        due_date=row.due_date.isoformat(),
        notes=row.notes or "",
    )
    form = Form(values=values, csrf_ok=True)
    rows = [
        {
            "offering": "",
            "description": line.description,
            "quantity": plain(Decimal(line.quantity)),
            "unit_price": major_text(line.unit_price_minor, row.currency),
            "tax": EXEMPT if line.tax_rate is None else plain(Decimal(line.tax_rate)),
            "discount": plain(Decimal(line.discount_percent)),
        }
        for line in view.lines
    ]
    set_rows(form, rows or [blank_row()])
    return form


def parse(visitor: Visitor, form: Form, *, today: dt.date) -> DraftIn | None:
    """The draft the form describes, or None with an error on every field that needs one."""
    _ = visitor.gettext
    values = form.values
    currency = values["currency"].upper()
    if not is_currency(currency):
        form.errors["currency"] = _("Choose a currency from the list.")
    customer_id = uuid_or_none(values["customer_id"])
    new_customer = None
    if customer_id is None:
        new_customer = _new_customer(visitor, form)
    issue_date = _date(visitor, form, "issue_date", default=today)
    due_date = _date(visitor, form, "due_date", default=None)
    terms_text = values["payment_terms_days"] or "0"
    terms = int(terms_text) if terms_text.isdigit() and int(terms_text) <= 365 else None
    if terms is None:
        form.errors["payment_terms_days"] = _("Enter a number of days from 0 to 365.")
    if issue_date and due_date and due_date < issue_date:
        form.errors["due_date"] = _("The due date cannot be before the issue date.")
    lines = parse_lines(visitor, form, currency=currency)
    if len(values["notes"]) > 5000:
        form.errors["notes"] = _("Use at most %(max)s characters.", max=5000)
    if not form.ok or issue_date is None or terms is None or lines is None:
        return None
    return DraftIn(
        customer_id=customer_id,
        new_customer=new_customer,
        currency=currency,
        issue_date=issue_date,
        payment_terms_days=terms,
        due_date=due_date,
        notes=values["notes"] or None,
        lines=lines,
    )


def parse_lines(visitor: Visitor, form: Form, *, currency: str) -> list[LineIn] | None:
    """Every line row in use as a LineIn (empty rows are skipped), or None after an error."""
    _ = visitor.gettext
    lines: list[LineIn] = []
    failed = False
    for i in range(row_count(form)):
        name = f"line-{i}-"
        row = {key: form.values.get(name + key, "") for key in LINE_FIELDS}
        if not (row["description"] or row["unit_price"] or row["offering"]):
            continue
        before = len(form.errors)
        quantity = plain_number(row["quantity"] or "1")
        if quantity is None or not 0 < quantity <= MAX_QUANTITY or _places(quantity) > 3:
            form.errors[name + "quantity"] = _(
                "Enter a quantity above 0 with at most 3 decimals, like 1 or 2.5."
            )
        price = amount_minor(row["unit_price"], currency) if row["unit_price"] else None
        if row["unit_price"] and (price is None or not 0 < price <= MAX_UNIT_PRICE_MINOR):
            form.errors[name + "unit_price"] = _(
                "Enter a price above 0 in %(currency)s, with at most its decimals.",
                currency=currency,
            )
        elif price is None and not row["offering"]:
            form.errors[name + "unit_price"] = _("Enter the price of one unit.")
        rate = None
        if row["tax"] != EXEMPT:
            rate = plain_number(row["tax"] or "0")
            if rate is None or not 0 <= rate <= 100 or _places(rate) > 4:
                form.errors[name + "tax"] = _("A tax rate is a percentage from 0 to 100.")
        discount = plain_number(row["discount"] or "0")
        if discount is None or not 0 <= discount <= 100 or _places(discount) > 2:
            form.errors[name + "discount"] = _("A discount is a percentage from 0 to 100.")
        if not row["description"] and not row["offering"]:
            form.errors[name + "description"] = _("Say what you are charging for.")
        if len(row["description"]) > 500:
            form.errors[name + "description"] = _("Use at most %(max)s characters.", max=500)
        if len(form.errors) > before:
            failed = True
            continue
        try:
            lines.append(
                LineIn(
                    description=row["description"] or None,
                    offering=row["offering"] or None,
                    quantity=quantity or Decimal(1),
                    unit_price_minor=price,
                    tax_rate=rate,
                    discount_percent=discount or Decimal(0),
                )
            )
        except ValidationError:
            form.errors[name + "description"] = _("Check this line.")
            failed = True
    return None if failed else lines


def live_totals(
    form: Form, visitor: Visitor, *, currency: str, offerings: Sequence[Offering]
) -> InvoiceTotals | None:
    """The totals of the rows that are complete so far, as the invoice will compute them."""
    if not is_currency(currency):
        return None
    scratch = Form(values=dict(form.values), csrf_ok=True)
    lines = parse_lines(visitor, scratch, currency=currency)
    if lines is None:
        return None
    try:
        priced = price_lines(lines, currency=currency, offerings=offerings)
    except InvalidFieldsError:
        return None
    return invoice_totals(line.as_line() for line in priced)


def service_errors(visitor: Visitor, form: Form, exc: InvalidFieldsError) -> None:
    """A draft the service refused, its fields named as the form names them."""
    _ = visitor.gettext
    for name, code in field_problems(exc):
        parts = name.split(".")
        if name == "customer_id":
            form.errors["customer_id"] = _("Choose a customer, or type a new one's name.")
        elif name == "due_date":
            form.errors["due_date"] = _("The due date cannot be before the issue date.")
        elif parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
            row = _row_of(form, int(parts[1]))
            key = {"unit_price_minor": "unit_price"}.get(parts[2], parts[2])
            form.errors[f"line-{row}-{key}"] = (
                _("Your Brief has no such offering any more.")
                if code == "unknown-offering"
                else _(
                    "Enter the price of one unit in %(currency)s.", currency=form.values["currency"]
                )
                if key == "unit_price"
                else _("Say what you are charging for.")
            )
        elif name == "lines":
            form.form_error = _("Add at least one line with an amount before sending.")
        else:
            form.form_error = _("Some fields need your attention.")
    if not form.errors and form.form_error is None:
        form.form_error = _("Some fields need your attention.")


def _row_of(form: Form, index: int) -> int:
    # The service numbers the lines it got; the form skipped its empty rows.
    used = [
        i
        for i in range(row_count(form))
        if any(form.values.get(f"line-{i}-{k}") for k in ("description", "unit_price", "offering"))
    ]
    return used[index] if index < len(used) else index


def _new_customer(visitor: Visitor, form: Form) -> CustomerCreate | None:
    _ = visitor.gettext
    name, email = form.values["new_customer_name"], form.values["new_customer_email"]
    if not name:
        form.errors["customer_id"] = _("Choose a customer, or type a new one's name.")
        return None
    try:
        return CustomerCreate(name=name, email=email or None)
    except ValidationError as exc:
        for error in exc.errors():
            where = "new_customer_email" if error["loc"][0] == "email" else "new_customer_name"
            form.errors[where] = (
                _("Enter a valid email address, like name@example.com.")
                if where == "new_customer_email"
                else _("Use at most %(max)s characters.", max=200)
            )
        return None


def _date(visitor: Visitor, form: Form, name: str, *, default: dt.date | None) -> dt.date | None:
    text = form.values[name]
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        form.errors[name] = visitor.gettext("Enter a date, like 2027-06-30.")
        return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
