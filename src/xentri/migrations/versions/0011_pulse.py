"""The Pulse: items per org and scope, promotions, per-user dismissals, and each user's last scope.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import tenant_rls_statements

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TABLES = ("pulse_items", "pulse_dismissals", "pulse_last_scopes", "member_scopes")


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def _org(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=f"fk_{table}_org_id_organizations",
            ondelete="CASCADE",
        ),
    ]


def _user(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "pulse_items",
        sa.Column("id", sa.UUID(), nullable=False),
        *_org("pulse_items"),
        sa.Column("scope", sa.String(120), nullable=False),
        sa.Column("source_event_id", sa.UUID(), nullable=False),
        sa.Column("importance", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("params", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("action_required", sa.Boolean(), nullable=False),
        sa.Column("action_url", sa.String(500), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promoted_from", sa.UUID(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["promoted_from"],
            ["pulse_items.id"],
            name="fk_pulse_items_promoted_from_pulse_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pulse_items"),
        sa.UniqueConstraint(
            "org_id",
            "scope",
            "source_event_id",
            name="uq_pulse_items_org_id_scope_source_event_id",
        ),
        sa.CheckConstraint("importance between 1 and 5", name="ck_pulse_items_importance"),
    )
    op.create_index(
        "ix_pulse_items_org_id_scope_created_at",
        "pulse_items",
        ["org_id", "scope", "created_at"],
    )
    op.create_index("ix_pulse_items_promoted_from", "pulse_items", ["promoted_from"])
    op.create_table(
        "pulse_dismissals",
        sa.Column("id", sa.UUID(), nullable=False),
        *_org("pulse_dismissals"),
        sa.Column("item_id", sa.UUID(), nullable=False),
        *_user("pulse_dismissals"),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["pulse_items.id"],
            name="fk_pulse_dismissals_item_id_pulse_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pulse_dismissals"),
        sa.UniqueConstraint("item_id", "user_id", name="uq_pulse_dismissals_item_id_user_id"),
    )
    op.create_index("ix_pulse_dismissals_org_id_user_id", "pulse_dismissals", ["org_id", "user_id"])
    op.create_table(
        "pulse_last_scopes",
        sa.Column("id", sa.UUID(), nullable=False),
        *_org("pulse_last_scopes"),
        *_user("pulse_last_scopes"),
        sa.Column("scope", sa.String(120), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_pulse_last_scopes"),
        sa.UniqueConstraint("org_id", "user_id", name="uq_pulse_last_scopes_org_id_user_id"),
    )
    op.create_table(
        "member_scopes",
        sa.Column("id", sa.UUID(), nullable=False),
        *_org("member_scopes"),
        *_user("member_scopes"),
        sa.Column("scope", sa.String(120), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_member_scopes"),
        sa.UniqueConstraint(
            "org_id", "user_id", "scope", name="uq_member_scopes_org_id_user_id_scope"
        ),
    )
    for table in _TABLES:
        for statement in tenant_rls_statements(table):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
