"""Web shell: first-run progress and notification choices per person, display preferences per org.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xentri.kernel.db.rls import tenant_rls_statements

revision = "0008"
down_revision = "0007"
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
        "onboarding_progress",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("created_org_id", sa.UUID(), nullable=True),
        sa.Column("browser_time_zone", sa.String(64), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_onboarding_progress_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_onboarding_progress"),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_notification_preferences_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notification_preferences"),
        sa.UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_id_kind"),
    )
    op.create_table(
        "org_preferences",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("date_format", sa.String(20), server_default="medium", nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name="fk_org_preferences_org_id_organizations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_org_preferences"),
        # The unique constraint's index leads with org_id, as DESIGN §4 asks of tenant tables.
        sa.UniqueConstraint("org_id", name="uq_org_preferences_org_id"),
    )
    for statement in tenant_rls_statements("org_preferences"):
        op.execute(statement)


def downgrade() -> None:
    for table in ("org_preferences", "notification_preferences", "onboarding_progress"):
        op.drop_table(table)
