"""Finance: customers, invoices with gap-free numbering, line items, payments.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work on this part; kept in the chain so the revisions stay linear


def downgrade() -> None:
    pass
