"""The small typed data context a data question is answered from."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from xentri.ai.offline.facts import Money

InvoiceStatus = Literal["draft", "sent", "paid", "void"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InvoiceRecord(_Frozen):
    number: str
    customer: str
    amount: Money
    issued_on: dt.date
    due_on: dt.date
    status: InvoiceStatus
    paid_on: dt.date | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == "sent" and self.due_on < today


class CustomerRecord(_Frozen):
    name: str
    created_on: dt.date
    city: str | None = None


class EventRecord(_Frozen):
    type: str  # "booking", "lead", "xentri.invoice.sent.v1"...
    occurred_at: dt.datetime
    subject: str | None = None


class DataContext(_Frozen):
    invoices: tuple[InvoiceRecord, ...] = ()
    customers: tuple[CustomerRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
