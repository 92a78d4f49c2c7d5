"""API models of payments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class PaymentMethod(StrEnum):
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CHECK = "check"
    OTHER = "other"


class PaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_minor: Annotated[int, Field(ge=1, le=10**17)] = Field(
        description="Minor units of the invoice's currency; at most the amount due."
    )
    paid_on: date | None = Field(default=None, description="Default: today, the org's day.")
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = (
        None
    )


class ReversalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class PaymentRead(BaseModel):
    id: uuid.UUID
    invoice_id: uuid.UUID
    amount_minor: int
    currency: str
    paid_on: date
    method: str
    reference: str | None
    reversed_at: datetime | None
    reversal_reason: str | None
    created_at: datetime


class PaymentOutcome(BaseModel):
    payment: PaymentRead
    invoice_state: str
    invoice_status: str
    paid_minor: int
    amount_due_minor: int
