"""In-app notifications per user (module status changes first) and their one-delivery receipts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import CURRENT_USER

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# A notification belongs to a person, not an org: like a vote, it is reached through
# app.current_user_id (user_transaction). The runtime role may read its own and mark them read
# (only read_at may change), never insert one: the only writer is a SECURITY DEFINER function
# that notifies a module's voters, reading the votes across orgs the way module_vote_tally()
# (migration 0005) does: owner-only policies that hold while app.module_voters is on, which the
# functions turn on around their one statement. The runtime role gains nothing by setting it.
_VOTERS_SETTING = "(select current_setting('app.module_voters', true)) = 'on'"

_VOTERS_FUNCTION = """
create function module_voters(p_module_id text)
returns table (user_id uuid)
language plpgsql security definer
set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform set_config('app.module_voters', 'on', true);
  return query
    select v.user_id from module_votes v join users u on u.id = v.user_id
    where v.module_id = p_module_id and u.disabled_at is null
    order by v.user_id;
  perform set_config('app.module_voters', '', true);
end
$$
"""

# Only people who voted for the module are notified, only with a link to its page, and the
# unique (user, event, kind) makes a second delivery of the same event insert nothing.
_NOTIFY_FUNCTION = """
create function notify_module_voters(
  p_event_id uuid, p_module_id text, p_kind text, p_message_key text, p_params jsonb,
  p_in_app uuid[], p_email uuid[]
)
returns integer
language plpgsql security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  created integer;
begin
  perform set_config('app.module_voters', 'on', true);
  insert into notifications
    (id, user_id, kind, message_key, params, link, source_event_id, in_app, email_state)
  select gen_random_uuid(), v.user_id, p_kind, p_message_key, p_params,
         '/modules/' || p_module_id, p_event_id, v.user_id = any(p_in_app),
         case when v.user_id = any(p_email) then 'pending' else 'none' end
  from module_votes v
  where v.module_id = p_module_id
    and (v.user_id = any(p_in_app) or v.user_id = any(p_email))
  on conflict on constraint uq_notifications_user_id_source_event_id_kind do nothing;
  get diagnostics created = row_count;
  perform set_config('app.module_voters', '', true);
  return created;
end
$$
"""

_NOTIFY_SIGNATURE = "notify_module_voters(uuid, text, text, text, jsonb, uuid[], uuid[])"
_EMAIL_COLUMNS = "email_state, email_attempts, email_next_attempt_at, email_sent_at, email_error"


def upgrade() -> None:
    app_role = context.config.attributes.get("app_role", "xentri_app")
    system_role = context.config.attributes.get("system_role", "xentri_system")
    op.create_table(
        "notifications",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("message_key", sa.String(80), nullable=False),
        sa.Column("params", postgresql.JSONB(), nullable=False),
        sa.Column("link", sa.String(300), nullable=False),
        sa.Column("source_event_id", sa.UUID(), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_state", sa.String(10), server_default="none", nullable=False),
        sa.Column("email_attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("email_next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_error", sa.String(300), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "email_state in ('none', 'pending', 'sending', 'sent', 'failed')",
            name="ck_notifications_email_state_known",
        ),
        sa.CheckConstraint(
            "link like '/%' and link not like '//%'", name="ck_notifications_link_is_local_path"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_notifications_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint(
            "user_id",
            "source_event_id",
            "kind",
            name="uq_notifications_user_id_source_event_id_kind",
        ),
    )
    op.create_index(
        "ix_notifications_user_id_created_at", "notifications", ["user_id", "created_at"]
    )
    op.create_index(
        "ix_notifications_email_pending",
        "notifications",
        ["email_next_attempt_at"],
        postgresql_where=sa.text("email_state = 'pending'"),
    )

    op.execute("alter table notifications enable row level security")
    op.execute("alter table notifications force row level security")
    # Fail-closed like the tenant policy: without app.current_user_id nothing matches.
    op.execute(
        "create policy notifications_recipient_select on notifications for select "
        f"using (user_id = {CURRENT_USER})"
    )
    op.execute(
        "create policy notifications_recipient_update on notifications for update "
        f"using (user_id = {CURRENT_USER}) with check (user_id = {CURRENT_USER})"
    )
    op.execute(f'revoke insert, update, delete, truncate on notifications from "{app_role}"')
    op.execute(f'grant update (read_at, updated_at) on notifications to "{app_role}"')

    # The email outbox is cross-person system work, like the event relay: the system role
    # sends what is pending, sees only rows that ask for an email, and changes only their
    # email columns. It reads the recipient's address and language, and writes the dev
    # mailbox when no SMTP server is configured.
    op.execute(f'grant select on notifications to "{system_role}"')
    op.execute(f'grant update ({_EMAIL_COLUMNS}, updated_at) on notifications to "{system_role}"')
    for command in ("select", "update"):
        op.execute(
            f"create policy notifications_email_outbox_{command} on notifications "
            f"for {command} to \"{system_role}\" using (email_state <> 'none')"
        )
    op.execute(
        f'grant select (id, email, preferred_language, disabled_at) on users to "{system_role}"'
    )
    op.execute(f'grant insert on dev_mailbox to "{system_role}"')

    op.execute(
        "create policy module_votes_module_voters on module_votes for select to current_user "
        f"using ({_VOTERS_SETTING})"
    )
    # ON CONFLICT looks at the row already there, so the writer needs to see it too.
    for command, clause in (("insert", "with check"), ("select", "using")):
        op.execute(
            f"create policy notifications_module_voters_{command} on notifications "
            f"for {command} to current_user {clause} ({_VOTERS_SETTING})"
        )
    for function, signature in (
        (_VOTERS_FUNCTION, "module_voters(text)"),
        (_NOTIFY_FUNCTION, _NOTIFY_SIGNATURE),
    ):
        op.execute(function)
        op.execute(f"revoke all on function {signature} from public")
        op.execute(f'grant execute on function {signature} to "{app_role}"')


def downgrade() -> None:
    system_role = context.config.attributes.get("system_role", "xentri_system")
    op.execute(f"drop function if exists {_NOTIFY_SIGNATURE}")
    op.execute("drop function if exists module_voters(text)")
    op.execute("drop policy if exists module_votes_module_voters on module_votes")
    op.execute(f'revoke insert on dev_mailbox from "{system_role}"')
    op.execute(
        f'revoke select (id, email, preferred_language, disabled_at) on users from "{system_role}"'
    )
    op.drop_table("notifications")
