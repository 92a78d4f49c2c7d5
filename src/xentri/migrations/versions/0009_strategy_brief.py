"""Strategy: the Brief flow per org, approved Brief versions, the interview's messages,
objectives with key results, and the decision log.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import tenant_rls_statements

revision = "0009"
down_revision = "0008"
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
        "brief_flows",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("draft", postgresql.JSONB(), nullable=False),
        sa.Column("interview", postgresql.JSONB(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_brief_flows"),
        sa.UniqueConstraint("org_id", name="uq_brief_flows_org_id"),
    )
    op.create_table(
        "brief_versions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("changed_sections", postgresql.JSONB(), nullable=False),
        sa.Column("approved_by", sa.UUID(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_brief_versions"),
        sa.UniqueConstraint("org_id", "version", name="uq_brief_versions_org_id_version"),
    )
    op.create_table(
        "brief_messages",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_brief_messages"),
    )
    op.create_index(
        "ix_brief_messages_org_id_created_at", "brief_messages", ["org_id", "created_at"]
    )
    op.create_table(
        "strategy_objectives",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("brief_goal", sa.String(500), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_strategy_objectives"),
    )
    op.create_index(
        "ix_strategy_objectives_org_id_created_at",
        "strategy_objectives",
        ["org_id", "created_at"],
    )
    op.create_table(
        "strategy_key_results",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("objective_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(40), nullable=True),
        sa.Column("start_value", sa.Numeric(18, 4), nullable=False),
        sa.Column("target_value", sa.Numeric(18, 4), nullable=False),
        sa.Column("current_value", sa.Numeric(18, 4), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["strategy_objectives.id"],
            name="fk_strategy_key_results_objective_id_strategy_objectives",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_strategy_key_results"),
    )
    op.create_index("ix_strategy_key_results_org_id", "strategy_key_results", ["org_id"])
    op.create_index(
        "ix_strategy_key_results_objective_id", "strategy_key_results", ["objective_id"]
    )
    op.create_table(
        "strategy_decisions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("options", postgresql.JSONB(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.UUID(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_strategy_decisions"),
    )
    op.create_index(
        "ix_strategy_decisions_org_id_decided_on", "strategy_decisions", ["org_id", "decided_on"]
    )
    for table in (
        "brief_flows",
        "brief_versions",
        "brief_messages",
        "strategy_objectives",
        "strategy_key_results",
        "strategy_decisions",
    ):
        for statement in tenant_rls_statements(table):
            op.execute(statement)


def downgrade() -> None:
    for table in (
        "strategy_decisions",
        "strategy_key_results",
        "strategy_objectives",
        "brief_messages",
        "brief_versions",
        "brief_flows",
    ):
        op.drop_table(table)
