"""Expenses as pure rules: the categories, what a valid expense is, and what a receipt may be.

An expense's `amount_minor` is what was paid, taxes included, in integer minor units of its
ISO 4217 `currency`; `tax_minor` is the part of it that was tax (IVA, VAT) so a report can show
it apart. A category is one of the default codes below (shown translated) or the owner's own
words; free text that names a default category in any language becomes its code, so "Renta"
and "rent" are counted together.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from xentri.categories.finance.money import exponent, is_currency, to_major
from xentri.contracts.problem import FieldError
from xentri.kernel.errors import DomainError


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for extraction; it is translated where it is shown."""
    return message


# The defaults a small business meets most (their order is the pickers' order).
DEFAULT_CATEGORIES: dict[str, str] = {
    "rent": N_("Rent"),
    "utilities": N_("Utilities"),
    "payroll": N_("Payroll"),
    "inventory": N_("Inventory and materials"),
    "office_supplies": N_("Office supplies"),
    "equipment": N_("Equipment"),
    "software": N_("Software and subscriptions"),
    "advertising": N_("Advertising and marketing"),
    "professional_services": N_("Professional services"),
    "travel": N_("Travel"),
    "meals": N_("Meals and entertainment"),
    "vehicle": N_("Vehicle and fuel"),
    "insurance": N_("Insurance"),
    "taxes": N_("Taxes and licences"),
    "bank_fees": N_("Bank fees"),
    "other": N_("Other"),
}
MAX_CATEGORY_LENGTH = 60
MAX_PAGE_SIZE = 100
MAX_AMOUNT_MINOR = 10_000_000_000_000  # ten trillion minor units: far above any one expense

# Receipts: photos and scans. The first bytes must say the same as the declared type
# (a "PDF" that is really an HTML page is refused), and SVG is never accepted (it can carry
# scripts).
RECEIPT_MAX_BYTES = 10 * 1024 * 1024
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"})
RECEIPT_TYPES: dict[str, Callable[[bytes], bool]] = {
    "image/jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "image/png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    "image/heic": lambda head: head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS,
    "application/pdf": lambda head: head.startswith(b"%PDF-"),
}
SNIFF_BYTES = 16
RECEIPT_URL_SECONDS = 15 * 60  # long enough for a slow phone upload, short for a leaked URL
RECEIPT_VIEW_SECONDS = 5 * 60


class ExpenseNotFoundError(DomainError):
    # Also what another org's id gets: whether it exists elsewhere is not the caller's to know.
    status = 404
    code = "not-found"
    title = "Not found"


class InvalidExpenseError(DomainError):
    """Rules the schema cannot check alone (tax above the amount, an unknown currency), as 422
    with the offending fields, like a schema error."""

    status = 422
    code = "validation-failed"
    title = "Unprocessable Content"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("The request has invalid fields.", errors=errors)
        self.errors = errors


@dataclass(frozen=True)
class ExpenseDraft:
    spent_on: date
    vendor: str
    category: str
    amount_minor: int
    tax_minor: int
    currency: str
    notes: str | None


def check_expense(draft: ExpenseDraft, *, prefix: str = "body") -> ExpenseDraft:
    """The draft if it holds together; InvalidExpenseError listing every broken field if not."""
    errors: list[FieldError] = []
    if not is_currency(draft.currency):
        errors.append(
            FieldError(
                field=f"{prefix}.currency",
                message="not an ISO 4217 currency code this system knows",
                code="unknown_currency",
            )
        )
    if not 1 <= draft.amount_minor <= MAX_AMOUNT_MINOR:
        errors.append(
            FieldError(
                field=f"{prefix}.amount_minor",
                message=f"must be between 1 and {MAX_AMOUNT_MINOR}",
                code="out_of_range",
            )
        )
    if draft.tax_minor < 0 or draft.tax_minor > draft.amount_minor:
        errors.append(
            FieldError(
                field=f"{prefix}.tax_minor",
                message="the tax is part of the amount: between 0 and the amount",
                code="tax_above_amount" if draft.tax_minor > 0 else "out_of_range",
            )
        )
    if not normalized_text(draft.category):
        errors.append(
            FieldError(field=f"{prefix}.category", message="must not be empty", code="missing")
        )
    if errors:
        raise InvalidExpenseError(errors)
    return draft


def normalized_text(text: str) -> str:
    """Surrounding spaces dropped and inner runs of space made one (what is stored)."""
    return re.sub(r"\s+", " ", text).strip()


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", normalized_text(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def resolve_category(text: str, *, labels: Iterable[tuple[str, str]] = ()) -> str:
    """The default code `text` names (its code, or its label in any language given in
    `labels` as (code, label) pairs, ignoring case and accents), else `text` itself, tidied."""
    wanted = _folded(text)
    for code, english in DEFAULT_CATEGORIES.items():
        if wanted in (_folded(code), _folded(code.replace("_", " ")), _folded(english)):
            return code
    for code, label in labels:
        if code in DEFAULT_CATEGORIES and wanted == _folded(label):
            return code
    return normalized_text(text)[:MAX_CATEGORY_LENGTH]


def category_label(category: str, gettext: Callable[[str], str]) -> str:
    """What a person reads: a default category in their language, their own words as typed."""
    english = DEFAULT_CATEGORIES.get(category)
    return gettext(english) if english is not None else category


def decimals(currency: str) -> int:
    return exponent(currency)


def amount_text(minor: int, currency: str) -> str:
    """Minor units written with the currency's decimals ("1250.50", "1300" for JPY)."""
    return f"{to_major(minor, currency):.{exponent(currency)}f}"


def receipt_prefix(org_id: uuid.UUID) -> str:
    return f"orgs/{org_id}/receipts/"


def new_receipt_key(org_id: uuid.UUID) -> str:
    # Random, not derived from the expense: a key is decided before the expense exists and
    # is unguessable, so nobody reaches a receipt by guessing.
    return receipt_prefix(org_id) + uuid.uuid4().hex


def owns_receipt(org_id: uuid.UUID, key: str) -> bool:
    """Whether `key` is one of this org's receipt keys (another org's key is never attached)."""
    rest = key.removeprefix(receipt_prefix(org_id))
    return rest != key and re.fullmatch(r"[0-9a-f]{32}", rest) is not None


def receipt_problem(*, content_type: str, size: int, head: bytes) -> str | None:
    """Why an uploaded receipt cannot be kept (a stable code), or None when it can."""
    sniff = RECEIPT_TYPES.get(content_type)
    if sniff is None:
        return "unsupported_type"
    if size < 1:
        return "empty"
    if size > RECEIPT_MAX_BYTES:
        return "too_large"
    if not sniff(head):
        return "content_mismatch"
    return None


def receipt_filename(name: str | None) -> str | None:
    """The uploader's file name, kept only as a label for downloads: no path, no controls."""
    if not name:
        return None
    base = re.split(r"[\\/]", name)[-1]
    cleaned = "".join(c for c in base if c.isprintable()).strip()
    return cleaned[:200] or None
