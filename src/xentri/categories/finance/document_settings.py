"""What the org decides about its invoice documents: the payment instructions they print (an
org setting) and each invoice's language (the org's default language until changed)."""

from __future__ import annotations

import functools
import gettext
import uuid
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance.documents_tables import document_settings, invoice_documents
from xentri.identity.tables import organizations
from xentri.kernel.i18n import DEFAULT_LANGUAGE, Catalogs, load_catalogs, supported_language

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for extraction; it is translated where it is written."""
    return message


@functools.cache
def _catalogs() -> Catalogs:
    # Compiled once on first use: the mail sender and the PDF run without the shell.
    return load_catalogs(LOCALES_DIR)


def translations(language: str) -> gettext.NullTranslations:
    return _catalogs().get(language)


async def payment_instructions(*, tx: AsyncSession) -> str | None:
    return await tx.scalar(select(document_settings.c.payment_instructions))


async def set_payment_instructions(
    *, tx: AsyncSession, org_id: uuid.UUID, instructions: str | None
) -> str | None:
    value = instructions.strip() if instructions and instructions.strip() else None
    await tx.execute(
        insert(document_settings)
        .values(id=uuid.uuid4(), org_id=org_id, payment_instructions=value)
        .on_conflict_do_update(
            index_elements=["org_id"],
            set_={"payment_instructions": value, "updated_at": func.now()},
        )
    )
    return value


async def invoice_language(*, tx: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID) -> str:
    """The invoice's language, decided (as the org's default language) the first time."""
    stored = await tx.scalar(
        select(invoice_documents.c.language).where(invoice_documents.c.invoice_id == invoice_id)
    )
    if stored is not None:
        return str(stored)
    org_language = await tx.scalar(
        select(organizations.c.default_language).where(organizations.c.id == org_id)
    )
    language = supported_language(org_language) or DEFAULT_LANGUAGE
    await tx.execute(
        insert(invoice_documents)
        .values(id=uuid.uuid4(), org_id=org_id, invoice_id=invoice_id, language=language)
        .on_conflict_do_nothing(index_elements=["invoice_id"])
    )
    # A concurrent first use may have decided first; its choice stands.
    decided = await tx.scalar(
        select(invoice_documents.c.language).where(invoice_documents.c.invoice_id == invoice_id)
    )
    return str(decided or language)


async def set_invoice_language(
    *, tx: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID, language: str
) -> str:
    await invoice_language(tx=tx, org_id=org_id, invoice_id=invoice_id)
    await tx.execute(
        update(invoice_documents)
        .where(invoice_documents.c.invoice_id == invoice_id)
        .values(language=language, updated_at=func.now())
    )
    return language
