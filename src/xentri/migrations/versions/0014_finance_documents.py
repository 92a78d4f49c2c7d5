"""Finance documents: the invoice's language, public links (hashed tokens), the invoice email
outbox, the org's payment instructions, and attachments in the dev mailbox.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from xentri.kernel.db.rls import secret_lookup_statements, tenant_rls_statements

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_TABLES = (
    "finance_document_settings",
    "finance_invoice_documents",
    "finance_invoice_links",
    "finance_invoice_emails",
)


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def _invoice_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["invoice_id"],
        ["finance_invoices.id"],
        name=f"fk_{table}_invoice_id_finance_invoices",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    system_role = context.config.attributes.get("system_role", "xentri_system")
    op.create_table(
        "finance_document_settings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("payment_instructions", sa.Text(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_finance_document_settings"),
        sa.UniqueConstraint("org_id", name="uq_finance_document_settings_org_id"),
    )
    op.create_table(
        "finance_invoice_documents",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        *_timestamps(),
        _invoice_fk("finance_invoice_documents"),
        sa.PrimaryKeyConstraint("id", name="pk_finance_invoice_documents"),
        sa.UniqueConstraint("invoice_id", name="uq_finance_invoice_documents_invoice_id"),
    )
    op.create_index("ix_finance_invoice_documents_org_id", "finance_invoice_documents", ["org_id"])
    op.create_table(
        "finance_invoice_links",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_viewed_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "purpose in ('shared', 'email')", name="ck_finance_invoice_links_purpose_known"
        ),
        _invoice_fk("finance_invoice_links"),
        sa.PrimaryKeyConstraint("id", name="pk_finance_invoice_links"),
        sa.UniqueConstraint("token_hash", name="uq_finance_invoice_links_token_hash"),
    )
    op.create_index(
        "ix_finance_invoice_links_org_id_invoice_id",
        "finance_invoice_links",
        ["org_id", "invoice_id"],
    )
    op.create_table(
        "finance_invoice_emails",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("dedupe_key", sa.String(80), nullable=False),
        sa.Column("to_address", sa.String(320), nullable=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(300), nullable=True),
        sa.Column("requested_by", sa.UUID(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "state in ('pending', 'sending', 'sent', 'failed', 'skipped')",
            name="ck_finance_invoice_emails_state_known",
        ),
        _invoice_fk("finance_invoice_emails"),
        sa.PrimaryKeyConstraint("id", name="pk_finance_invoice_emails"),
        sa.UniqueConstraint(
            "org_id", "dedupe_key", name="uq_finance_invoice_emails_org_id_dedupe_key"
        ),
    )
    op.create_index(
        "ix_finance_invoice_emails_org_id_invoice_id",
        "finance_invoice_emails",
        ["org_id", "invoice_id"],
    )
    op.create_index(
        "ix_finance_invoice_emails_pending",
        "finance_invoice_emails",
        ["next_attempt_at"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    for table in _TABLES:
        for statement in tenant_rls_statements(table):
            op.execute(statement)
    # A public link is opened before any org is known: the transaction sets the hash of the
    # presented token and sees exactly that link's row (as API keys and invitations do), from
    # which it learns the org to read the invoice under. A token it does not hold shows nothing.
    for statement in secret_lookup_statements(
        "finance_invoice_links", column="token_hash", setting="app.invoice_link_hash"
    ):
        op.execute(statement)
    # The outbox is drained across orgs by the minutely job: the system role may see pending
    # rows and move them to `sending` (the claim), nothing else. Rendering, sending and marking
    # run afterwards in each org's own tenant transaction.
    op.execute(f'grant select on finance_invoice_emails to "{system_role}"')
    op.execute(
        f'grant update (state, attempts, updated_at) on finance_invoice_emails to "{system_role}"'
    )
    # (An UPDATE ... RETURNING must also see the new row: hence `sending` in the select.)
    op.execute(
        "create policy finance_invoice_emails_claim_select on finance_invoice_emails "
        f"for select to \"{system_role}\" using (state in ('pending', 'sending'))"
    )
    op.execute(
        "create policy finance_invoice_emails_claim_update on finance_invoice_emails "
        f"for update to \"{system_role}\" using (state = 'pending') "
        "with check (state = 'sending')"
    )

    # Mail attachments (an invoice's PDF) kept beside the dev mailbox's mail, like the mail
    # itself a development aid with no org.
    op.create_table(
        "dev_mailbox_attachments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("mail_id", sa.UUID(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["mail_id"],
            ["dev_mailbox.id"],
            name="fk_dev_mailbox_attachments_mail_id_dev_mailbox",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_dev_mailbox_attachments"),
    )
    op.create_index("ix_dev_mailbox_attachments_mail_id", "dev_mailbox_attachments", ["mail_id"])
    op.execute(f'grant insert on dev_mailbox_attachments to "{system_role}"')


def downgrade() -> None:
    system_role = context.config.attributes.get("system_role", "xentri_system")
    op.execute(f'revoke insert on dev_mailbox_attachments from "{system_role}"')
    op.drop_table("dev_mailbox_attachments")
    op.execute(f'revoke all on finance_invoice_emails from "{system_role}"')
    for table in reversed(_TABLES):
        op.drop_table(table)
