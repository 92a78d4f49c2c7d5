"""Strategy: the Brief flow per org, approved Brief versions, the interview's messages.

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
    for table in ("brief_flows", "brief_versions", "brief_messages"):
        for statement in tenant_rls_statements(table):
            op.execute(statement)


def downgrade() -> None:
    for table in ("brief_messages", "brief_versions", "brief_flows"):
        op.drop_table(table)
