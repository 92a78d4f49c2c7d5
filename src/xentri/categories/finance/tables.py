"""Finance's tenant tables: settings with the invoice counter, customers and their CSV imports,
invoices with their lines, payments. Money is bigint minor units beside a char(3) currency.
(Expenses and receipts have their own table module beside this one.)"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import CHAR, JSONB, UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns

# One row per org; its `last_invoice_number` is the gap-free counter, locked FOR UPDATE by the
# transaction that issues an invoice (numbering.py).
finance_settings = Table(
    "finance_settings",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("invoice_prefix", String(20), nullable=False, server_default="INV-"),
    Column("last_invoice_number", Integer, nullable=False, server_default="0"),
    Column("default_payment_terms_days", Integer, nullable=False, server_default="30"),
    *timestamp_columns(),
    CheckConstraint("last_invoice_number >= 0", name="counter_not_negative"),
    CheckConstraint("default_payment_terms_days between 0 and 365", name="default_terms_in_range"),
)

customers = Table(
    "finance_customers",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("name", String(200), nullable=False),
    Column("tax_id", String(40), nullable=True),
    Column("email", String(254), nullable=True),
    Column("phone", String(40), nullable=True),
    # {line1, line2, city, region, postal_code, country}; printed, never queried.
    Column("billing_address", JSONB, nullable=False),
    Column("currency", CHAR(3), nullable=True),  # None: the org's currency
    Column("payment_terms_days", Integer, nullable=True),  # None: Finance's default terms
    *timestamp_columns(),
    CheckConstraint("payment_terms_days between 0 and 365", name="terms_in_range"),
    Index("ix_finance_customers_org_id_name", "org_id", "name"),
)

customer_imports = Table(
    "finance_customer_imports",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column("filename", String(255), nullable=False),
    # The parsed rows with their values and errors, as previewed; committing imports these.
    Column("rows", JSONB, nullable=False),
    Column("status", String(20), nullable=False),  # previewed | committed
    Column("imported_count", Integer, nullable=True),
    Column("created_by", UUID(as_uuid=True), nullable=False),
    Column("committed_at", DateTime(timezone=True), nullable=True),
    *timestamp_columns(),
    Index("ix_finance_customer_imports_org_id", "org_id"),
)

invoices = Table(
    "finance_invoices",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "customer_id",
        UUID(as_uuid=True),
        ForeignKey("finance_customers.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    # Given when the invoice is sent (numbering.py); a draft has none.
    Column("number", Integer, nullable=True),
    Column("number_text", String(40), nullable=True),
    Column("state", String(20), nullable=False),
    Column("currency", CHAR(3), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    Column("notes", Text, nullable=True),
    Column("subtotal_minor", BigInteger, nullable=False),
    Column("discount_minor", BigInteger, nullable=False),
    Column("tax_minor", BigInteger, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("paid_minor", BigInteger, nullable=False, server_default="0"),
    # The customer's billing details as they were when the invoice was issued.
    Column("customer_snapshot", JSONB, nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("paid_at", DateTime(timezone=True), nullable=True),
    Column("voided_at", DateTime(timezone=True), nullable=True),
    Column("void_reason", Text, nullable=True),
    # Set by the daily job the one time it reports the invoice overdue.
    Column("overdue_flagged_at", DateTime(timezone=True), nullable=True),
    *timestamp_columns(),
    UniqueConstraint("org_id", "number", name="uq_finance_invoices_org_id_number"),
    CheckConstraint(
        "state in ('draft', 'sent', 'partially_paid', 'paid', 'void')", name="state_known"
    ),
    CheckConstraint("(number is null) = (state = 'draft')", name="numbered_unless_draft"),
    CheckConstraint("paid_minor between 0 and total_minor", name="paid_within_total"),
    CheckConstraint("due_date >= issue_date", name="due_after_issue"),
    CheckConstraint("total_minor >= 0 and tax_minor >= 0", name="amounts_not_negative"),
    Index("ix_finance_invoices_org_id_state_due_date", "org_id", "state", "due_date"),
    Index("ix_finance_invoices_org_id_created_at", "org_id", "created_at"),
    Index("ix_finance_invoices_customer_id", "customer_id"),
)

invoice_lines = Table(
    "finance_invoice_lines",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "invoice_id",
        UUID(as_uuid=True),
        ForeignKey("finance_invoices.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("description", String(500), nullable=False),
    Column("quantity", Numeric(13, 3), nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("tax_rate", Numeric(7, 4), nullable=True),  # percent; None: exempt
    Column("tax_label", String(40), nullable=True),  # "IVA"
    Column("discount_percent", Numeric(7, 4), nullable=False),
    Column("discount_minor", BigInteger, nullable=False),
    Column("net_minor", BigInteger, nullable=False),
    Column("tax_minor", BigInteger, nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    *timestamp_columns(),
    UniqueConstraint("invoice_id", "position", name="uq_finance_invoice_lines_invoice_id_position"),
    Index("ix_finance_invoice_lines_org_id", "org_id"),
)

payments = Table(
    "finance_payments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "invoice_id",
        UUID(as_uuid=True),
        ForeignKey("finance_invoices.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", CHAR(3), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("method", String(20), nullable=False),
    Column("reference", String(200), nullable=True),
    Column("recorded_by", UUID(as_uuid=True), nullable=False),
    Column("reversed_at", DateTime(timezone=True), nullable=True),
    Column("reversal_reason", Text, nullable=True),
    Column("reversed_by", UUID(as_uuid=True), nullable=True),
    *timestamp_columns(),
    CheckConstraint("amount_minor > 0", name="amount_positive"),
    Index("ix_finance_payments_org_id_invoice_id", "org_id", "invoice_id"),
)
