"""In-app notifications per user (module status changes first) and their one-delivery receipts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work on this part; kept in the chain so the revisions stay linear


def downgrade() -> None:
    pass
