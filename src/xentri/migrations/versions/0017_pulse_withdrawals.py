"""Pulse items a producer can withdraw when what they reported is over (an overdue invoice paid).

`producer_key` is the producer's name for the fact (copied to the item's promoted copies);
`withdrawn_at` hides the item at every level while keeping it as a record, so a redelivered
event cannot bring it back. The table keeps its row-level security policy (0011) unchanged.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pulse_items", sa.Column("producer_key", sa.String(200), nullable=True))
    op.add_column(
        "pulse_items", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "uq_pulse_items_org_id_producer_key_scope",
        "pulse_items",
        ["org_id", "producer_key", "scope"],
        unique=True,
        postgresql_where=sa.text("producer_key is not null"),
    )


def downgrade() -> None:
    op.drop_index("uq_pulse_items_org_id_producer_key_scope", table_name="pulse_items")
    op.drop_column("pulse_items", "withdrawn_at")
    op.drop_column("pulse_items", "producer_key")
