"""Finance: expenses and their receipts.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xentri.kernel.db.rls import tenant_rls_statements

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


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
        "finance_expenses",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("vendor", sa.String(200), nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("receipt_key", sa.String(200), nullable=True),
        sa.Column("receipt_content_type", sa.String(100), nullable=True),
        sa.Column("receipt_size", sa.BigInteger(), nullable=True),
        sa.Column("receipt_name", sa.String(200), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("amount_minor > 0", name="ck_finance_expenses_amount_positive"),
        sa.CheckConstraint(
            "tax_minor >= 0 and tax_minor <= amount_minor",
            name="ck_finance_expenses_tax_within_amount",
        ),
        sa.CheckConstraint(
            "(receipt_key is null) = (receipt_content_type is null) "
            "and (receipt_key is null) = (receipt_size is null)",
            name="ck_finance_expenses_receipt_complete",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_finance_expenses"),
    )
    op.create_index(
        "ix_finance_expenses_org_id_spent_on", "finance_expenses", ["org_id", "spent_on"]
    )
    op.create_index(
        "uq_finance_expenses_receipt_key",
        "finance_expenses",
        ["receipt_key"],
        unique=True,
        postgresql_where=sa.text("receipt_key is not null"),
    )
    for statement in tenant_rls_statements("finance_expenses"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("finance_expenses")
