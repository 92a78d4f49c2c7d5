"""Finance's expenses table (the invoices' tables are in tables.py)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns

expenses = Table(
    "finance_expenses",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("spent_on", Date, nullable=False),
    Column("vendor", String(200), nullable=False),
    # A default category's code ("rent") or the owner's own words ("Ferias"): see
    # expenses_domain.resolve_category.
    Column("category", String(60), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("tax_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("notes", Text, nullable=True),
    # The receipt in object storage, as checked when it was attached (never the client's word).
    Column("receipt_key", String(200), nullable=True),
    Column("receipt_content_type", String(100), nullable=True),
    Column("receipt_size", BigInteger, nullable=True),
    Column("receipt_name", String(200), nullable=True),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    *timestamp_columns(),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    CheckConstraint("tax_minor >= 0 and tax_minor <= amount_minor", name="tax_within_amount"),
    CheckConstraint(
        "(receipt_key is null) = (receipt_content_type is null) "
        "and (receipt_key is null) = (receipt_size is null)",
        name="receipt_complete",
    ),
    Index("ix_finance_expenses_org_id_spent_on", "org_id", "spent_on"),
    Index(
        "uq_finance_expenses_receipt_key",
        "receipt_key",
        unique=True,
        postgresql_where="receipt_key is not null",
    ),
)
