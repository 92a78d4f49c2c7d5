"""The event Finance emits about expenses. Amounts are integer minor units of `currency`."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from xentri.contracts.events import EventPayload
from xentri.kernel.events.registry import registry


class ExpenseRecorded(
    EventPayload, event_type="xentri.expense.recorded.v1", schema="expense.recorded@1.0"
):
    """An expense was recorded (once per expense; later edits do not repeat it)."""

    expense_id: uuid.UUID
    spent_on: date
    vendor: str = Field(min_length=1, max_length=200)
    category: str = Field(
        min_length=1,
        max_length=60,
        description="A default category's code (rent, utilities...) or the owner's own words.",
    )
    amount_minor: int = Field(ge=1, description="What was paid, taxes included.")
    tax_minor: int = Field(ge=0, description="The part of the amount that was tax.")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    has_receipt: bool


registry.register(ExpenseRecorded)
