"""API models of revenue by month, receivables aging and profit and loss. Amounts are integer
minor units (`*_minor`) of the group's currency, and the same written with its decimals."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field


class RevenueMonthRead(BaseModel):
    month: str = Field(examples=["2026-11"])
    invoices: int
    net_minor: int = Field(description="Invoiced, net of tax (the revenue).")
    tax_minor: int
    total_minor: int
    collected_minor: int = Field(description="Payments received that month (not reversed).")
    net: str
    tax: str
    total: str
    collected: str


class CurrencyRevenueRead(BaseModel):
    currency: str
    invoices: int
    net_minor: int
    tax_minor: int
    total_minor: int
    collected_minor: int
    net: str
    tax: str
    total: str
    collected: str
    months: list[RevenueMonthRead]


class RevenueByMonthRead(BaseModel):
    start: str
    end: str
    currencies: list[CurrencyRevenueRead]


class AgingRead(BaseModel):
    current_minor: int = Field(description="Not yet due.")
    days_1_30_minor: int
    days_31_60_minor: int
    days_61_90_minor: int
    days_over_90_minor: int
    total_minor: int
    current: str
    days_1_30: str
    days_31_60: str
    days_61_90: str
    days_over_90: str
    total: str


class CustomerAgingRead(BaseModel):
    customer_id: uuid.UUID
    name: str
    invoices: int
    aging: AgingRead


class CurrencyAgingRead(BaseModel):
    currency: str
    invoices: int
    aging: AgingRead
    customers: list[CustomerAgingRead] = Field(description="Largest balance first.")


class ReceivablesAgingRead(BaseModel):
    as_of: date
    currencies: list[CurrencyAgingRead]


class ExpenseLineRead(BaseModel):
    category: str
    label: str
    net_minor: int
    net: str


class CurrencyProfitRead(BaseModel):
    currency: str
    invoices: int
    revenue_minor: int
    expenses_minor: int
    profit_minor: int = Field(description="Revenue less expenses; negative is a loss.")
    revenue: str
    expenses: str
    profit: str
    expense_lines: list[ExpenseLineRead]


class ProfitAndLossRead(BaseModel):
    start: date
    end: date
    currencies: list[CurrencyProfitRead]
