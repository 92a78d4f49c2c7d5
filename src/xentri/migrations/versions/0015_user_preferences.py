"""Per-person interface preferences (the copilot panel's side first), moved out of the
notification choices where the widget kept them while no revision was free.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_OLD_KIND = "ui.copilot_panel_bottom"


def upgrade() -> None:
    op.create_table(
        "user_preferences",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("copilot_panel_side", sa.String(10), server_default="right", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_user_preferences_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_user_preferences"),
        sa.CheckConstraint(
            "copilot_panel_side in ('right', 'bottom')",
            name="ck_user_preferences_panel_side_known",
        ),
    )
    op.execute(
        "insert into user_preferences (user_id, copilot_panel_side) "
        "select user_id, case when in_app then 'bottom' else 'right' end "
        f"from notification_preferences where kind = '{_OLD_KIND}'"
    )
    op.execute(f"delete from notification_preferences where kind = '{_OLD_KIND}'")


def downgrade() -> None:
    op.drop_table("user_preferences")
