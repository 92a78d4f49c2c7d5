"""Module catalogue: modules (platform data), module_votes (tenant data), org vote weights.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import CURRENT_ORG, CURRENT_USER, tenant_rls_statements

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The one place votes are read across orgs: a SECURITY DEFINER function that returns counts
# per module, never a row, an org or a person. It runs as the tables' owner, which FORCE RLS
# still confines, so the owner gets read policies that hold only while app.module_tally is on:
# the function turns it on around its one query. The policies name the owner role alone, so
# the runtime role gains nothing by setting it itself, and the owner's own sessions stay
# fail-closed unless they ask. (A function SET clause cannot set a custom parameter unless
# run by a superuser, hence plpgsql.)
_TALLY_SETTING = "(select current_setting('app.module_tally', true)) = 'on'"
_TALLY_FUNCTION = """
create function module_vote_tally()
returns table (module_id text, votes bigint, paying_votes bigint, churn_risk_votes bigint)
language plpgsql security definer
set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform set_config('app.module_tally', 'on', true);
  return query
    select v.module_id::text, count(*),
           count(*) filter (where o.is_paying), count(*) filter (where o.churn_risk)
    from module_votes v join organizations o on o.id = v.org_id
    group by v.module_id;
  perform set_config('app.module_tally', '', true);
end
$$
"""


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
    app_role = context.config.attributes.get("app_role", "xentri_app")
    op.add_column(
        "organizations",
        sa.Column("is_paying", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "organizations",
        sa.Column("churn_risk", sa.Boolean(), server_default=sa.false(), nullable=False),
    )

    op.create_table(
        "modules",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("subcategory", sa.String(80), nullable=False),
        sa.Column("name", postgresql.JSONB(), nullable=False),
        sa.Column("description", postgresql.JSONB(), nullable=False),
        sa.Column("icon", sa.String(60), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_source", sa.String(10), server_default="catalogue", nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "status in ('planned', 'coming_soon', 'in_development', 'beta', 'active')",
            name="ck_modules_status_known",
        ),
        sa.CheckConstraint(
            "status_source in ('catalogue', 'admin')", name="ck_modules_status_source_known"
        ),
        sa.CheckConstraint("name ? 'en' and name ? 'es'", name="ck_modules_name_in_both_languages"),
        sa.PrimaryKeyConstraint("id", name="pk_modules"),
    )
    # The catalogue is written by the owner (sync, set-status); the app only reads it.
    op.execute(f'revoke insert, update, delete, truncate on modules from "{app_role}"')

    op.create_table(
        "module_votes",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("module_id", sa.String(80), nullable=False),
        sa.Column("use_case", sa.String(500), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name="fk_module_votes_org_id_organizations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_module_votes_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name="fk_module_votes_module_id_modules"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_module_votes"),
        sa.UniqueConstraint("user_id", "module_id", name="uq_module_votes_user_id_module_id"),
    )
    op.create_index("ix_module_votes_org_id", "module_votes", ["org_id"])
    op.create_index("ix_module_votes_module_id", "module_votes", ["module_id"])

    for statement in tenant_rls_statements("module_votes"):
        op.execute(statement)
    # A vote belongs to a person: they see, withdraw and re-cast it from whichever of their
    # orgs they are in. Re-casting moves it to the current org (WITH CHECK), never elsewhere.
    op.execute(
        "create policy module_votes_own_select on module_votes for select "
        f"using (user_id = {CURRENT_USER})"
    )
    op.execute(
        "create policy module_votes_own_delete on module_votes for delete "
        f"using (user_id = {CURRENT_USER})"
    )
    op.execute(
        "create policy module_votes_own_update on module_votes for update "
        f"using (user_id = {CURRENT_USER}) "
        f"with check (user_id = {CURRENT_USER} and org_id = {CURRENT_ORG})"
    )

    for table in ("module_votes", "organizations"):
        op.execute(
            f"create policy {table}_module_tally on {table} for select to current_user "
            f"using ({_TALLY_SETTING})"
        )
    op.execute(_TALLY_FUNCTION)
    op.execute("revoke all on function module_vote_tally() from public")
    op.execute(f'grant execute on function module_vote_tally() to "{app_role}"')


def downgrade() -> None:
    op.execute("drop function if exists module_vote_tally()")
    op.execute("drop policy if exists organizations_module_tally on organizations")
    op.drop_table("module_votes")
    op.drop_table("modules")
    op.drop_column("organizations", "churn_risk")
    op.drop_column("organizations", "is_paying")
