"""Public links to issued invoices: an unguessable token (32 random bytes) of which only the
SHA-256 is stored, so a database copy holds no working link; revoked by the org at any time.

Several links may be live at once: each email carries one of its own (its token exists only in
that mail), and the org can issue one to share by hand. Issuing a shared link replaces every
earlier one of the invoice (a re-issue after a leak); revoking ends them all.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.categories.finance.documents_tables import invoice_links
from xentri.categories.finance.domain import InvoiceState
from xentri.categories.finance.errors import NotFoundError
from xentri.categories.finance.invoices import locked_invoice
from xentri.kernel.db.tenant import system_transaction, tenant_transaction
from xentri.kernel.errors import DomainError

PUBLIC_PATH = "/i/"
TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; anything far from that is not a token of ours.
_TOKEN_LENGTH = range(40, 50)
# How long after issuing a link its page may still show it (once): the redirect after the POST.
JUST_ISSUED_SECONDS = 600


class NotIssuedError(DomainError):
    status = 409
    code = "invoice-not-issued"
    title = "The invoice has not been sent yet"


@dataclass(frozen=True)
class IssuedLink:
    token: str  # shown once; only its hash is kept
    path: str  # /i/{token}


@dataclass(frozen=True)
class LinkStatus:
    live: int
    last_issued_at: datetime | None
    last_viewed_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return len(token) in _TOKEN_LENGTH and all(c.isalnum() or c in "-_" for c in token)


async def issue_link(
    *,
    tx: AsyncSession,
    org_id: uuid.UUID,
    invoice_id: uuid.UUID,
    purpose: str,
    created_by: uuid.UUID | None,
) -> IssuedLink:
    """A new link to an issued invoice; a shared one replaces every earlier link."""
    invoice = await locked_invoice(tx, invoice_id)
    if invoice.state == InvoiceState.DRAFT.value:
        raise NotIssuedError("A draft has no number yet: send it before sharing a link to it.")
    if purpose == "shared":
        await revoke_links(tx=tx, invoice_id=invoice_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await tx.execute(
        invoice_links.insert().values(
            id=uuid.uuid4(),
            org_id=org_id,
            invoice_id=invoice_id,
            token_hash=token_hash(token),
            purpose=purpose,
            created_by=created_by,
        )
    )
    return IssuedLink(token=token, path=f"{PUBLIC_PATH}{token}")


async def just_issued(
    *, tx: AsyncSession, invoice_id: uuid.UUID, token: str, created_by: uuid.UUID
) -> IssuedLink | None:
    """The shared link `created_by` issued for this invoice in the last few minutes, if `token`
    is its token and it is still live; else None. The page that shows a new link once reads
    the token from a cookie, so what it shows is checked here: never text someone else set."""
    if not looks_like_token(token):
        return None
    found = await tx.scalar(
        select(invoice_links.c.id).where(
            invoice_links.c.invoice_id == invoice_id,
            invoice_links.c.token_hash == token_hash(token),
            invoice_links.c.purpose == "shared",
            invoice_links.c.created_by == created_by,
            invoice_links.c.revoked_at.is_(None),
            invoice_links.c.created_at > func.now() - timedelta(seconds=JUST_ISSUED_SECONDS),
        )
    )
    return None if found is None else IssuedLink(token=token, path=f"{PUBLIC_PATH}{token}")


async def revoke_links(*, tx: AsyncSession, invoice_id: uuid.UUID) -> int:
    """End every live link of the invoice (they answer 404 from now on); how many ended."""
    result = await tx.execute(
        update(invoice_links)
        .where(invoice_links.c.invoice_id == invoice_id, invoice_links.c.revoked_at.is_(None))
        .values(revoked_at=func.now(), updated_at=func.now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def link_status(*, tx: AsyncSession, invoice_id: uuid.UUID) -> LinkStatus:
    row = (
        await tx.execute(
            select(
                func.count(),
                func.max(invoice_links.c.created_at),
                func.max(invoice_links.c.last_viewed_at),
            ).where(invoice_links.c.invoice_id == invoice_id, invoice_links.c.revoked_at.is_(None))
        )
    ).one()
    return LinkStatus(live=row[0], last_issued_at=row[1], last_viewed_at=row[2])


@dataclass(frozen=True)
class OpenedLink:
    org_id: uuid.UUID
    invoice_id: uuid.UUID
    link_id: uuid.UUID


async def find_link(engine: AsyncEngine, token: str) -> OpenedLink | None:
    """The live link a token opens, or None (unknown, revoked, malformed)."""
    if not looks_like_token(token):
        return None
    digest = token_hash(token)
    async with system_transaction(engine) as tx:
        # No org is known yet: the secret_lookup policy shows exactly the link whose hash the
        # caller proves it knows, and nothing else of any org (migration 0014).
        await tx.execute(
            text("select set_config('app.invoice_link_hash', :hash, true)"), {"hash": digest}
        )
        row = (
            await tx.execute(
                select(invoice_links.c.id, invoice_links.c.org_id, invoice_links.c.invoice_id)
                .where(invoice_links.c.token_hash == digest)
                .where(invoice_links.c.revoked_at.is_(None))
            )
        ).first()
    if row is None:
        return None
    return OpenedLink(org_id=row.org_id, invoice_id=row.invoice_id, link_id=row.id)


@asynccontextmanager
async def opened_invoice(
    engine: AsyncEngine, token: str
) -> AsyncIterator[tuple[AsyncSession, OpenedLink]]:
    """The org's tenant transaction for the invoice a live token opens (NotFoundError if none).

    The link is looked up again inside it (a revocation committed in between wins) and its
    last view is recorded."""
    found = await find_link(engine, token)
    if found is None:
        raise NotFoundError("No such invoice link.")
    async with tenant_transaction(engine, found.org_id) as tx:
        touched = await tx.execute(
            update(invoice_links)
            .where(invoice_links.c.id == found.link_id, invoice_links.c.revoked_at.is_(None))
            .values(last_viewed_at=func.now())
        )
        if not getattr(touched, "rowcount", 0):
            raise NotFoundError("No such invoice link.")
        yield tx, found
