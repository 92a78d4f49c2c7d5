"""The event spine: system role, append-only system_events, sequences, cursors, receipts, DLQ, jobs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import system_access_statements, tenant_rls_statements

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _now() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _updated() -> sa.Column[object]:
    return sa.Column(
        "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _create_system_role(role: str) -> None:
    # The relay and the scheduler work across orgs; they get this role, never a wider app role.
    op.execute(
        f"""
        do $$
        begin
          if not exists (select from pg_roles where rolname = '{role}') then
            create role "{role}"
              login nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
          end if;
          if exists (select from pg_roles where rolname = '{role}'
                     and (rolsuper or rolbypassrls)) then
            raise exception 'system role {role} must be NOSUPERUSER NOBYPASSRLS';
          end if;
        end
        $$;
        """
    )
    op.execute(f'grant usage on schema public to "{role}"')


def upgrade() -> None:
    app_role = context.config.attributes.get("app_role", "xentri_app")
    system_role = context.config.attributes.get("system_role", "xentri_system")
    _create_system_role(system_role)

    op.create_table(
        "system_events",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("org_seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", postgresql.JSONB(), nullable=False),
        sa.Column("envelope_version", sa.String(10), nullable=False),
        sa.Column("payload_schema", sa.String(200), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.Column("correlation_id", sa.String(200), nullable=True),
        sa.Column("trace_id", sa.String(64), nullable=True),
        sa.Column("meta", postgresql.JSONB(), nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("id", name="pk_system_events"),
        sa.UniqueConstraint("org_id", "org_seq", name="uq_system_events_org_id_org_seq"),
    )
    op.create_index(
        "ix_system_events_org_id_occurred_at", "system_events", ["org_id", "occurred_at"]
    )
    op.create_index("ix_system_events_created_at", "system_events", ["created_at"])
    op.create_index(
        "uq_system_events_org_id_dedupe_key",
        "system_events",
        ["org_id", "dedupe_key"],
        unique=True,
        postgresql_where=sa.text("dedupe_key is not null"),
    )
    # Append-only for everyone, the owner included: history is never rewritten.
    op.execute(
        """
        create function system_events_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'system_events is append-only (% refused)', tg_op
            using errcode = 'insufficient_privilege';
        end
        $$
        """
    )
    op.execute(
        "create trigger system_events_append_only before update or delete on system_events "
        "for each row execute function system_events_append_only()"
    )
    op.execute(
        "create trigger system_events_no_truncate before truncate on system_events "
        "for each statement execute function system_events_append_only()"
    )
    op.execute(f'revoke update, delete, truncate on system_events from "{app_role}"')

    op.create_table(
        "org_event_sequences",
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        _updated(),
        sa.PrimaryKeyConstraint("org_id", name="pk_org_event_sequences"),
    )
    op.execute(f'revoke delete, truncate on org_event_sequences from "{app_role}"')

    op.create_table(
        "relay_cursors",
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("published_seq", sa.BigInteger(), nullable=False),
        _updated(),
        sa.PrimaryKeyConstraint("org_id", name="pk_relay_cursors"),
    )
    op.execute(f'revoke all on relay_cursors from "{app_role}"')

    op.create_table(
        "event_receipts",
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_event_receipts"),
    )
    op.create_index("ix_event_receipts_org_id", "event_receipts", ["org_id"])

    op.create_table(
        "dead_letters",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("correlation_id", sa.String(200), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("envelope", postgresql.JSONB(), nullable=False),
        sa.Column("stream_id", sa.String(50), nullable=True),
        _now(),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
    )
    op.create_index("ix_dead_letters_org_id", "dead_letters", ["org_id"])
    op.create_index("ix_dead_letters_created_at", "dead_letters", ["created_at"])
    op.create_index("ix_dead_letters_correlation_id", "dead_letters", ["correlation_id"])

    op.create_table(
        "job_runs",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("job", sa.String(100), nullable=False),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        _now(),
        sa.PrimaryKeyConstraint("id", name="pk_job_runs"),
        sa.UniqueConstraint("job", "org_id", "slot", name="uq_job_runs_job_org_id_slot"),
    )
    op.create_index("ix_job_runs_org_id", "job_runs", ["org_id"])
    op.create_index("ix_job_runs_status_next_attempt_at", "job_runs", ["status", "next_attempt_at"])
    op.execute(f'revoke all on job_runs from "{app_role}"')

    for table in (
        "system_events",
        "org_event_sequences",
        "relay_cursors",
        "event_receipts",
        "dead_letters",
        "job_runs",
    ):
        for statement in tenant_rls_statements(table):
            op.execute(statement)

    grants = {
        "system_events": ("select", False),
        "org_event_sequences": ("select", False),
        "relay_cursors": ("select, insert, update", True),
        "event_receipts": ("select, insert, delete", True),
        "dead_letters": ("select, insert, update, delete", True),
        "job_runs": ("select, insert, update, delete", True),
    }
    for table, (privileges, write) in grants.items():
        op.execute(f'grant {privileges} on {table} to "{system_role}"')
        for statement in system_access_statements(table, system_role, write=write):
            op.execute(statement)


def downgrade() -> None:
    for table in (
        "job_runs",
        "dead_letters",
        "event_receipts",
        "relay_cursors",
        "org_event_sequences",
        "system_events",
    ):
        op.drop_table(table)
    op.execute("drop function if exists system_events_append_only()")
