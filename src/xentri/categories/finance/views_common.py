"""What Finance's pages share: the frame and tabs, amounts as people type them, paging, and a
service's refusal turned into words for the form."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.ai.offline import parse_decimal
from xentri.categories.finance.domain import IllegalTransitionError
from xentri.categories.finance.errors import NotFoundError
from xentri.categories.finance.expenses_domain import ExpenseNotFoundError
from xentri.categories.finance.money import exponent, is_currency
from xentri.identity.errors import ForbiddenError
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import category_page, may
from xentri.shell.forms import Form
from xentri.shell.frame import Frame
from xentri.shell.i18n import N_
from xentri.shell.visitor import Visitor

BASE = "/c/finance"
TABS = (
    ("invoices", f"{BASE}/invoices", N_("Invoices")),
    ("customers", f"{BASE}/customers", N_("Customers")),
    ("expenses", f"{BASE}/expenses", N_("Expenses")),
    ("reports", f"{BASE}/reports", N_("Reports")),
    ("settings", f"{BASE}/settings", N_("Settings")),
)
STATUS_NAMES = {
    "draft": N_("Draft"),
    "sent": N_("Sent"),
    "partially_paid": N_("Partially paid"),
    "overdue": N_("Overdue"),
    "paid": N_("Paid"),
    "void": N_("Void"),
}
PAGE_SIZE = 25
MAX_PAGE = 100_000


def page(  # noqa: PLR0917 - render()'s shape, with the frame and tab
    request: Request,
    visitor: Visitor,
    frame: Frame,
    tab: str,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> Response:
    """A Finance page in the shell's frame (the org's empty state when there is none)."""
    body = {
        "may_write": may(frame, Permission.DATA_WRITE),
        "status_names": STATUS_NAMES,
        **(context or {}),
    }
    return category_page(
        request,
        visitor,
        frame,
        category="finance",
        tabs=TABS,
        tab=tab,
        template=template,
        context=body,
        status=status,
    )


def refusal(visitor: Visitor, exc: DomainError) -> tuple[str, int]:
    """A use case's refusal in the visitor's words, and the status the page answers with."""
    _ = visitor.gettext
    if isinstance(exc, ForbiddenError):
        return _("Your role does not allow this."), 403
    if isinstance(exc, IllegalTransitionError):
        return _("That is not possible at this point. The page shows what you can do now."), 409
    if isinstance(exc, NotFoundError | ExpenseNotFoundError):
        return _("It is no longer there. Someone may have deleted it meanwhile."), 404
    if exc.status == 422:
        return _("Some fields need your attention."), 422
    return _("Something changed meanwhile. Reload the page and try again."), 409


def not_found() -> HTTPException:
    # Another org's id is simply not there under row-level security: the same 404 as a typo.
    return HTTPException(status_code=404)


def field_problems(exc: DomainError) -> list[tuple[str, str]]:
    """The (field, code) pairs a service's 422 names, `body.` and `query.` dropped."""
    found = getattr(exc, "errors", None) or exc.extensions.get("errors") or []
    pairs = []
    for error in found if isinstance(found, Iterable) else []:
        name = str(getattr(error, "field", ""))
        for prefix in ("body.", "query."):
            name = name.removeprefix(prefix)
        pairs.append((name, str(getattr(error, "code", ""))))
    return pairs


def amount_minor(text: str, currency: str) -> int | None:
    """An amount as people type it ("1,250.50", "1.250,50", "$ 90") in minor units; None when it
    is not a number or has more decimals than the currency has (money is never rounded)."""
    cleaned = "".join(ch for ch in text if ch.isdigit() or ch in ".,-")
    if not cleaned or not is_currency(currency):
        return None
    try:
        value = parse_decimal(cleaned)
    except (ValueError, InvalidOperation):
        return None
    if not value.is_finite():
        return None
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value() or abs(scaled) >= Decimal(10) ** 17:
        return None
    return int(scaled)


def plain_number(text: str) -> Decimal | None:
    """A quantity or a percentage: "2", "2.5" or "2,5" (no thousands separators)."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def major_text(minor: int, currency: str) -> str:
    """Minor units written back into a form field ("1250.50"; "1300" for JPY)."""
    places = exponent(currency) if is_currency(currency) else 2
    return f"{Decimal(minor).scaleb(-places):.{places}f}"


def plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_PAGE else 1


def uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Pager:
    number: int
    pages: int
    total: int
    previous_url: str | None
    next_url: str | None


def pager(path: str, params: dict[str, str], *, number: int, total: int, size: int) -> Pager:
    """Links to the neighbouring pages, keeping the filters in the address."""
    pages = max((total + size - 1) // size, 1)
    kept = {key: value for key, value in params.items() if value}

    def url(target: int) -> str:
        query = urlencode({**kept, "page": str(target)} if target > 1 else kept)
        return f"{path}?{query}" if query else path

    return Pager(
        number=number,
        pages=pages,
        total=total,
        previous_url=url(number - 1) if number > 1 else None,
        next_url=url(number + 1) if number < pages else None,
    )


def blank_form(fields: Iterable[str], **values: str) -> Form:
    filled = dict.fromkeys(fields, "")
    filled.update(values)
    return Form(values=filled, csrf_ok=True)
