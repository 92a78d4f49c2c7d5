"""Pulse items a producer can withdraw when what they reported is over (an overdue invoice paid).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work on this part; kept in the chain so the revisions stay linear


def downgrade() -> None:
    pass
