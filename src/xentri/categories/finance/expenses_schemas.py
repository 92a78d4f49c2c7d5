"""API models of expenses, their receipts and the expenses-by-category report."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from xentri.categories.finance.expenses_domain import (
    MAX_AMOUNT_MINOR,
    MAX_CATEGORY_LENGTH,
    MAX_PAGE_SIZE,
    RECEIPT_MAX_BYTES,
)

Vendor = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Category = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CATEGORY_LENGTH)
]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["MXN"])]
AmountMinor = Annotated[int, Field(ge=1, le=MAX_AMOUNT_MINOR)]
TaxMinor = Annotated[int, Field(ge=0, le=MAX_AMOUNT_MINOR)]
ReceiptKey = Annotated[str, StringConstraints(min_length=1, max_length=200)]
FileName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
ReceiptType = Literal["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpenseQuery(_In):
    start: date | None = Field(default=None, description="First day included.")
    end: date | None = Field(default=None, description="Last day included.")
    category: Category | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        default=None, description="Part of the vendor's name or the notes."
    )
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 50


class ReceiptAttach(_In):
    key: ReceiptKey = Field(description="The `key` an upload URL was issued for.")
    filename: FileName | None = Field(default=None, description="Shown as the download's name.")


class ExpenseCreate(_In):
    spent_on: date
    vendor: Vendor
    category: Category = Field(
        description="A default category's code (GET .../categories) or your own words."
    )
    amount_minor: AmountMinor = Field(
        description="What was paid, taxes included, in minor units of `currency` (cents)."
    )
    tax_minor: TaxMinor = Field(default=0, description="The part of the amount that was tax.")
    currency: Currency | None = Field(
        default=None, description="ISO 4217; default: the organization's currency."
    )
    notes: Notes | None = None
    receipt: ReceiptAttach | None = None


class ExpenseUpdate(_In):
    """Only the fields sent change; `notes: null` clears the notes."""

    spent_on: date | None = None
    vendor: Vendor | None = None
    category: Category | None = None
    amount_minor: AmountMinor | None = None
    tax_minor: TaxMinor | None = None
    currency: Currency | None = None
    notes: Notes | None = None


class ReceiptUploadIn(_In):
    content_type: ReceiptType = Field(
        description="image/jpeg, image/png, image/webp, image/heic or application/pdf."
    )
    size: Annotated[int, Field(ge=1, le=RECEIPT_MAX_BYTES)] = Field(
        description="The file's exact size in bytes; the upload must be exactly this long."
    )


class UploadRequestRead(BaseModel):
    method: str
    url: str = Field(description="Absolute URL to send the file to, before `expires_at`.")
    headers: dict[str, str] = Field(description="Send these headers exactly as given.")
    expires_at: datetime


class ReceiptUploadRead(BaseModel):
    key: str = Field(description="Attach the uploaded file with this key.")
    upload: UploadRequestRead
    max_bytes: int


class ReceiptRead(BaseModel):
    content_type: str
    size: int
    filename: str | None


class ExpenseRead(BaseModel):
    id: uuid.UUID
    spent_on: date
    vendor: str
    category: str
    category_label: str = Field(description="The category in the caller's language.")
    amount_minor: int
    tax_minor: int
    currency: str
    amount: str = Field(description="The amount with the currency's decimals, e.g. 1250.50.")
    tax: str
    notes: str | None
    receipt: ReceiptRead | None
    created_at: datetime
    updated_at: datetime


class ExpensePage(BaseModel):
    items: list[ExpenseRead]
    total: int = Field(description="How many expenses match the filters, on every page.")
    page: int
    page_size: int


class CategoryRead(BaseModel):
    category: str
    label: str
    default: bool = Field(description="One of the default categories (else the org's own).")


class CategoryTotalRead(BaseModel):
    category: str
    label: str
    count: int
    total_minor: int
    tax_minor: int
    total: str
    tax: str


class CurrencyExpensesRead(BaseModel):
    currency: str
    count: int
    total_minor: int
    tax_minor: int
    total: str
    tax: str
    categories: list[CategoryTotalRead]


class ExpensesByCategoryRead(BaseModel):
    start: date
    end: date
    currencies: list[CurrencyExpensesRead] = Field(
        description="One group per currency: amounts in different currencies are never added."
    )
