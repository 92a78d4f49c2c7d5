"""API models of customers and their CSV imports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from xentri.categories.finance.money import is_currency

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Optional120 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None
PHONE_PATTERN = r"^\+?[0-9 ()./-]{5,40}$"
TAX_ID_PATTERN = r"^[A-Za-z0-9Ññ&. -]{3,40}$"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Address(_In):
    line1: Optional120 = None
    line2: Optional120 = None
    city: Optional120 = None
    region: Optional120 = None
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = (
        None
    )
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None  # ISO 3166-1 alpha-2


def _currency(value: str | None) -> str | None:
    if value is not None and not is_currency(value):
        raise ValueError("not an ISO 4217 currency code this system knows")
    return value


class CustomerCreate(_In):
    name: Text200
    tax_id: Annotated[str, Field(pattern=TAX_ID_PATTERN)] | None = None
    email: EmailStr | None = None
    phone: Annotated[str, Field(pattern=PHONE_PATTERN)] | None = None
    billing_address: Address = Address()
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        default=None, description="ISO 4217; empty means the organization's currency."
    )
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] | None = Field(
        default=None, description="Days to pay; empty means Finance's default terms."
    )

    _known_currency = field_validator("currency")(_currency)


class CustomerUpdate(_In):
    """Only the fields sent change; send null to clear an optional one."""

    name: Text200 | None = None
    tax_id: Annotated[str, Field(pattern=TAX_ID_PATTERN)] | None = None
    email: EmailStr | None = None
    phone: Annotated[str, Field(pattern=PHONE_PATTERN)] | None = None
    billing_address: Address | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] | None = None

    _known_currency = field_validator("currency")(_currency)


class CustomerRead(BaseModel):
    id: uuid.UUID
    name: str
    tax_id: str | None
    email: str | None
    phone: str | None
    billing_address: Address
    currency: str | None
    payment_terms_days: int | None
    created_at: datetime
    updated_at: datetime


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    total: int
    page: int
    page_size: int


class ImportRowRead(BaseModel):
    line: int = Field(description="Line number in the file (the header is line 1).")
    values: dict[str, object] = Field(description="The customer the row would create.")
    errors: list[dict[str, str]] = Field(
        description="Why the row cannot be imported: {field, message, code}; empty when valid."
    )


class CustomerImportRead(BaseModel):
    id: uuid.UUID
    filename: str
    status: str = Field(description="previewed, or committed once the valid rows were imported.")
    valid_rows: int
    invalid_rows: int
    imported_count: int | None
    rows: list[ImportRowRead]
    created_at: datetime
    committed_at: datetime | None
