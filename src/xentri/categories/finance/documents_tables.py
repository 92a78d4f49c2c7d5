"""Finance's document tables: the invoice's language, its public links, the emails that carry
it (an outbox) and the org's payment instructions (migration 0014, ADR 0022)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

from xentri.kernel.db.metadata import metadata, timestamp_columns

EMAIL_STATES = ("pending", "sending", "sent", "failed", "skipped")

# One row per org: what the invoice documents print beside the org's own details.
document_settings = Table(
    "finance_document_settings",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("payment_instructions", Text, nullable=True),
    *timestamp_columns(),
)

# One row per invoice that has been rendered, linked or mailed: the language its documents
# speak, chosen once (the org's default language) and changeable by the org.
invoice_documents = Table(
    "finance_invoice_documents",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "invoice_id",
        UUID(as_uuid=True),
        ForeignKey("finance_invoices.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("language", String(5), nullable=False),
    *timestamp_columns(),
    Index("ix_finance_invoice_documents_org_id", "org_id"),
)

# A public link to an invoice: only the SHA-256 of its token is kept, so the table (or a
# backup, or an export) never holds a working link. Several may be live at once: each email
# carries a link of its own (its token exists only in that mail); revoking ends them all.
invoice_links = Table(
    "finance_invoice_links",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "invoice_id",
        UUID(as_uuid=True),
        ForeignKey("finance_invoices.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("purpose", String(10), nullable=False),  # shared | email
    Column("created_by", UUID(as_uuid=True), nullable=True),  # None: the mailer
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_viewed_at", DateTime(timezone=True), nullable=True),
    *timestamp_columns(),
    CheckConstraint("purpose in ('shared', 'email')", name="purpose_known"),
    Index("ix_finance_invoice_links_org_id_invoice_id", "org_id", "invoice_id"),
)

# The email outbox (ADR 0017's idea, per org): a row is written in the transaction that asks
# for the mail, claimed (`sending`, committed) before the mail leaves and marked `sent` after,
# so a retry or a second delivery never sends it twice. `dedupe_key` makes the issuing of an
# invoice one mail however often its event arrives; each resend has a key of its own.
invoice_emails = Table(
    "finance_invoice_emails",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", UUID(as_uuid=True), nullable=False),
    Column(
        "invoice_id",
        UUID(as_uuid=True),
        ForeignKey("finance_invoices.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("dedupe_key", String(80), nullable=False),
    Column("to_address", String(320), nullable=True),  # None: the customer has no email
    Column("language", String(5), nullable=False),
    Column("state", String(10), nullable=False),
    Column("attempts", SmallInteger, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("error", String(300), nullable=True),
    Column("requested_by", UUID(as_uuid=True), nullable=True),  # None: the invoice was issued
    *timestamp_columns(),
    UniqueConstraint("org_id", "dedupe_key", name="uq_finance_invoice_emails_org_id_dedupe_key"),
    CheckConstraint(
        "state in ('pending', 'sending', 'sent', 'failed', 'skipped')", name="state_known"
    ),
    Index("ix_finance_invoice_emails_org_id_invoice_id", "org_id", "invoice_id"),
    Index(
        "ix_finance_invoice_emails_pending",
        "next_attempt_at",
        postgresql_where=text("state = 'pending'"),
    ),
)
