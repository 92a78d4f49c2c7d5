"""The Pulse: items per org and scope, promotions, per-user dismissals, and each user's last scope.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work on this part; kept in the chain so the revisions stay linear


def downgrade() -> None:
    pass
