"""Finance: expenses and their receipts.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work on this part; kept in the chain so the revisions stay linear


def downgrade() -> None:
    pass
