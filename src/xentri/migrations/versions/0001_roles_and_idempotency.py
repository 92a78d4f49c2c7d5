"""Runtime role, its privileges, and the idempotency key store.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    app_role = context.config.attributes.get("app_role", "xentri_app")
    # The runtime role can read and write rows but never bypass RLS, own tables or change DDL.
    op.execute(
        f"""
        do $$
        begin
          if not exists (select from pg_roles where rolname = '{app_role}') then
            create role "{app_role}"
              login nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
          end if;
        end
        $$;
        """
    )
    # A pre-existing role with these powers would silently defeat row-level security.
    op.execute(
        f"""
        do $$
        begin
          if exists (select from pg_roles where rolname = '{app_role}'
                     and (rolsuper or rolbypassrls)) then
            raise exception 'runtime role {app_role} must be NOSUPERUSER NOBYPASSRLS';
          end if;
        end
        $$;
        """
    )
    op.execute("revoke create on schema public from public")
    op.execute(f'grant usage on schema public to "{app_role}"')
    op.execute(
        f"alter default privileges in schema public "
        f'grant select, insert, update, delete on tables to "{app_role}"'
    )
    op.execute(
        "alter default privileges in schema public "
        f'grant usage, select on sequences to "{app_role}"'
    )
    op.execute(
        f'alter default privileges in schema public grant execute on functions to "{app_role}"'
    )

    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(200), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("path", sa.String(2000), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_headers", postgresql.JSONB(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_idempotency_keys"),
    )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
