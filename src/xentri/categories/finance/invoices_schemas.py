"""API models of invoices, their lines and totals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from xentri.categories.finance.money import is_currency
from xentri.categories.finance.totals import MAX_LINES, MAX_QUANTITY, MAX_UNIT_PRICE_MINOR

Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["MXN"])]
StatusFilter = Literal["draft", "sent", "partially_paid", "overdue", "paid", "void"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _known(value: str | None) -> str | None:
    if value is not None and not is_currency(value):
        raise ValueError("not an ISO 4217 currency code this system knows")
    return value


class LineIn(_In):
    description: Description | None = Field(
        default=None, description="Required unless `offering` names one from the Brief."
    )
    offering: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = (
        Field(
            default=None,
            description="Name of one of the Brief's offerings: fills the description and, "
            "when priced in the invoice's currency, the unit price.",
        )
    )
    quantity: Annotated[Decimal, Field(gt=0, le=MAX_QUANTITY, decimal_places=3)] = Decimal(1)
    unit_price_minor: Annotated[int, Field(ge=1, le=MAX_UNIT_PRICE_MINOR)] | None = Field(
        default=None, description="Price of one unit in minor units of the invoice's currency."
    )
    tax_rate: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] | None = Field(
        default=None, description="Percent, e.g. 16 for IVA 16 %; null when the line is exempt."
    )
    tax_label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    discount_percent: Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)] = Decimal(0)


class InvoiceCreate(_In):
    customer_id: uuid.UUID
    currency: Currency | None = Field(
        default=None, description="ISO 4217; default: the customer's, else the organization's."
    )
    issue_date: date | None = Field(default=None, description="Default: today, the org's day.")
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] | None = Field(
        default=None, description="Default: the customer's terms, else Finance's default."
    )
    due_date: date | None = Field(
        default=None, description="Default: issue date plus the payment terms."
    )
    notes: Notes | None = None
    lines: list[LineIn] = Field(default_factory=list, max_length=MAX_LINES)

    _known_currency = field_validator("currency")(_known)


class InvoiceUpdate(_In):
    """A draft's changes; only the fields sent change, and `lines` replaces all lines."""

    customer_id: uuid.UUID | None = None
    currency: Currency | None = None
    issue_date: date | None = None
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] | None = None
    due_date: date | None = None
    notes: Notes | None = None
    lines: list[LineIn] | None = Field(default=None, max_length=MAX_LINES)

    _known_currency = field_validator("currency")(_known)


class TotalsRequest(_In):
    currency: Currency
    lines: list[LineIn] = Field(max_length=MAX_LINES)

    _known_currency = field_validator("currency")(_known)


class VoidIn(_In):
    reason: Reason


class LineRead(BaseModel):
    position: int
    description: str
    quantity: Decimal
    unit_price_minor: int
    tax_rate: Decimal | None
    tax_label: str | None
    discount_percent: Decimal
    discount_minor: int
    net_minor: int
    tax_minor: int
    total_minor: int


class TaxRead(BaseModel):
    rate: Decimal | None = Field(description="Percent; null for exempt lines.")
    base_minor: int
    tax_minor: int


class TotalsRead(BaseModel):
    currency: str
    lines: list[LineRead]
    subtotal_minor: int
    discount_minor: int
    tax_minor: int
    total_minor: int
    taxes: list[TaxRead]


class InvoiceSummary(BaseModel):
    id: uuid.UUID
    number: str | None = Field(description="Given when the invoice is sent; null for drafts.")
    state: str
    status: str = Field(description="The state, or `overdue` for an open invoice past due.")
    customer_id: uuid.UUID
    customer_name: str
    currency: str
    issue_date: date
    due_date: date
    total_minor: int
    paid_minor: int
    amount_due_minor: int
    created_at: datetime


class InvoiceRead(InvoiceSummary):
    payment_terms_days: int
    notes: str | None
    lines: list[LineRead]
    subtotal_minor: int
    discount_minor: int
    tax_minor: int
    taxes: list[TaxRead]
    sent_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    allowed_actions: list[str]
    updated_at: datetime


class InvoicePage(BaseModel):
    items: list[InvoiceSummary]
    total: int
    page: int
    page_size: int


class SettingsRead(BaseModel):
    invoice_prefix: str
    next_invoice_number: str
    default_payment_terms_days: int


class SettingsUpdate(_In):
    invoice_prefix: (
        Annotated[str, StringConstraints(max_length=20, pattern=r"^[A-Za-z0-9/._ -]*$")] | None
    ) = None
    default_payment_terms_days: Annotated[int, Field(ge=0, le=365)] | None = None


class OfferingRead(BaseModel):
    name: str
    description: str | None
    unit_price_minor: int | None
    currency: str | None
    unit: str | None
