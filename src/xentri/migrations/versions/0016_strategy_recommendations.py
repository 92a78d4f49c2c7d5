"""The Strategy Co-pilot's recommendations (modules to start with, SMART goal rewrites) kept per
approved Brief version and language (ADR 0026).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import tenant_rls_statements

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "strategy_recommendations",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("brief_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("source", sa.String(10), nullable=True),
        sa.Column("modules", postgresql.JSONB(), nullable=True),
        sa.Column("goals", postgresql.JSONB(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "state in ('computing', 'ready')", name="ck_strategy_recommendations_state_known"
        ),
        sa.CheckConstraint(
            "(state = 'computing') or (source in ('model', 'offline') and modules is not null "
            "and goals is not null)",
            name="ck_strategy_recommendations_ready_complete",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_strategy_recommendations"),
        sa.UniqueConstraint(
            "org_id",
            "brief_version",
            "language",
            name="uq_strategy_recommendations_org_id_brief_version_language",
        ),
    )
    for statement in tenant_rls_statements("strategy_recommendations"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("strategy_recommendations")
