"""Finance: customers, invoices with gap-free numbering, line items, payments.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import tenant_rls_statements

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLES = (
    "finance_settings",
    "finance_customers",
    "finance_customer_imports",
    "finance_invoices",
    "finance_invoice_lines",
    "finance_payments",
)


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "finance_settings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("invoice_prefix", sa.String(20), server_default="INV-", nullable=False),
        sa.Column("last_invoice_number", sa.Integer(), server_default="0", nullable=False),
        sa.Column("default_payment_terms_days", sa.Integer(), server_default="30", nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "last_invoice_number >= 0", name="ck_finance_settings_counter_not_negative"
        ),
        sa.CheckConstraint(
            "default_payment_terms_days between 0 and 365",
            name="ck_finance_settings_default_terms_in_range",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_finance_settings"),
        sa.UniqueConstraint("org_id", name="uq_finance_settings_org_id"),
    )
    op.create_table(
        "finance_customers",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tax_id", sa.String(40), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("billing_address", postgresql.JSONB(), nullable=False),
        sa.Column("currency", postgresql.CHAR(3), nullable=True),
        sa.Column("payment_terms_days", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "payment_terms_days between 0 and 365", name="ck_finance_customers_terms_in_range"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_finance_customers"),
    )
    op.create_index("ix_finance_customers_org_id_name", "finance_customers", ["org_id", "name"])
    op.create_table(
        "finance_customer_imports",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("rows", postgresql.JSONB(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("imported_count", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_finance_customer_imports"),
    )
    op.create_index("ix_finance_customer_imports_org_id", "finance_customer_imports", ["org_id"])
    op.create_table(
        "finance_invoices",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("number_text", sa.String(40), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("currency", postgresql.CHAR(3), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("customer_snapshot", postgresql.JSONB(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("overdue_flagged_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "state in ('draft', 'sent', 'partially_paid', 'paid', 'void')",
            name="ck_finance_invoices_state_known",
        ),
        sa.CheckConstraint(
            "(number is null) = (state = 'draft')", name="ck_finance_invoices_numbered_unless_draft"
        ),
        sa.CheckConstraint(
            "paid_minor between 0 and total_minor", name="ck_finance_invoices_paid_within_total"
        ),
        sa.CheckConstraint("due_date >= issue_date", name="ck_finance_invoices_due_after_issue"),
        sa.CheckConstraint(
            "total_minor >= 0 and tax_minor >= 0", name="ck_finance_invoices_amounts_not_negative"
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["finance_customers.id"],
            name="fk_finance_invoices_customer_id_finance_customers",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_finance_invoices"),
        sa.UniqueConstraint("org_id", "number", name="uq_finance_invoices_org_id_number"),
    )
    op.create_index(
        "ix_finance_invoices_org_id_state_due_date",
        "finance_invoices",
        ["org_id", "state", "due_date"],
    )
    op.create_index(
        "ix_finance_invoices_org_id_created_at", "finance_invoices", ["org_id", "created_at"]
    )
    op.create_index("ix_finance_invoices_customer_id", "finance_invoices", ["customer_id"])
    op.create_table(
        "finance_invoice_lines",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("quantity", sa.Numeric(13, 3), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate", sa.Numeric(7, 4), nullable=True),
        sa.Column("tax_label", sa.String(40), nullable=True),
        sa.Column("discount_percent", sa.Numeric(7, 4), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["finance_invoices.id"],
            name="fk_finance_invoice_lines_invoice_id_finance_invoices",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_finance_invoice_lines"),
        sa.UniqueConstraint(
            "invoice_id", "position", name="uq_finance_invoice_lines_invoice_id_position"
        ),
    )
    op.create_index("ix_finance_invoice_lines_org_id", "finance_invoice_lines", ["org_id"])
    op.create_table(
        "finance_payments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", postgresql.CHAR(3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        sa.Column("recorded_by", sa.UUID(), nullable=False),
        sa.Column("reversed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reversal_reason", sa.Text(), nullable=True),
        sa.Column("reversed_by", sa.UUID(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("amount_minor > 0", name="ck_finance_payments_amount_positive"),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["finance_invoices.id"],
            name="fk_finance_payments_invoice_id_finance_invoices",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_finance_payments"),
    )
    op.create_index(
        "ix_finance_payments_org_id_invoice_id", "finance_payments", ["org_id", "invoice_id"]
    )
    for table in _TABLES:
        for statement in tenant_rls_statements(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
