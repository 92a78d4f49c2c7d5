"""JSON API of invoice documents: the PDF, the public link (issue, revoke), emailing it again,
the invoice's document language and state, and the org's payment instructions."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.categories.finance import document_settings, invoice_links, invoice_mail
from xentri.categories.finance.document_settings import translations
from xentri.categories.finance.invoice_document import InvoiceDocument, load_document
from xentri.categories.finance.invoice_mail_outbox import Delivery, send_now
from xentri.categories.finance.invoice_pdf import PDF_FILENAME_WORD, render_pdf
from xentri.categories.finance.invoices import get_invoice
from xentri.categories.finance.org_defaults import org_defaults
from xentri.identity.http import (
    CurrentCaller,
    base_url_of,
    engine_of,
    mailer_of,
    org_scope,
    requested_org,
)
from xentri.identity.permissions import Permission
from xentri.kernel.storage import ObjectStorage, content_disposition

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])

Language = Literal["en", "es"]


class LinkRead(BaseModel):
    url: str = Field(description="The public link; shown this once (only its hash is kept).")
    path: str


class LinkStatusRead(BaseModel):
    live_links: int = Field(description="Links that open the invoice now (shared and emailed).")
    last_issued_at: datetime | None
    last_viewed_at: datetime | None


class EmailRead(BaseModel):
    id: uuid.UUID
    to: str | None
    language: str
    state: str = Field(description="pending, sending, sent, failed or skipped.")
    skipped_because: Literal["no-email", "void"] | None = Field(
        description="Why nothing was sent: the customer has no email, or the invoice is void."
    )
    error: str | None = Field(description="The mail server's last refusal, when it refused.")
    resend: bool
    created_at: datetime
    sent_at: datetime | None


class DocumentRead(BaseModel):
    language: str
    link: LinkStatusRead
    emails: list[EmailRead]


class DocumentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: Language


class DocumentSettingsRead(BaseModel):
    payment_instructions: str | None


class DocumentSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payment_instructions: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None
    ) = None


def logo_storage(request: Request) -> ObjectStorage | None:
    """Where the shell keeps org logos (none when the shell is not installed)."""
    shell = getattr(request.app.state, "shell", None)
    return shell.storage if shell is not None else None


def delivery_of(request: Request) -> Delivery:
    return Delivery(
        mailer=mailer_of(request), storage=logo_storage(request), base_url=base_url_of(request)
    )


@router.get(
    "/invoices/{invoice_id}/pdf",
    summary="The invoice as a PDF, in its language",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def invoice_pdf(request: Request, caller: CurrentCaller, invoice_id: uuid.UUID) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        document = await load_document(
            tx=tx, org_id=org_id, invoice_id=invoice_id, storage=logo_storage(request)
        )
    return pdf_response(document, await asyncio.to_thread(render_pdf, document))


def pdf_response(document: InvoiceDocument, pdf: bytes) -> Response:
    word = translations(document.language).gettext(PDF_FILENAME_WORD)
    filename = document.filename(word)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(filename, kind="attachment"),
            "Cache-Control": "no-store",
        },
    )


@router.get("/invoices/{invoice_id}/document", summary="The invoice's language, links, emails")
async def invoice_document(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID
) -> DocumentRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        return await _document_read(tx, org_id, invoice_id)


@router.patch("/invoices/{invoice_id}/document", summary="Change the invoice's language")
async def update_invoice_document(
    request: Request, caller: CurrentCaller, invoice_id: uuid.UUID, document_in: DocumentUpdate
) -> DocumentRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        await _existing(tx, org_id, invoice_id)
        await document_settings.set_invoice_language(
            tx=tx, org_id=org_id, invoice_id=invoice_id, language=document_in.language
        )
        return await _document_read(tx, org_id, invoice_id)


@router.post(
    "/invoices/{invoice_id}/link",
    status_code=201,
    summary="Issue a public link (replaces every earlier link); the URL is shown only now",
)
async def issue_link(request: Request, caller: CurrentCaller, invoice_id: uuid.UUID) -> LinkRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        issued = await invoice_links.issue_link(
            tx=tx, org_id=org_id, invoice_id=invoice_id, purpose="shared", created_by=caller.user_id
        )
    return LinkRead(url=f"{base_url_of(request)}{issued.path}", path=issued.path)


@router.delete(
    "/invoices/{invoice_id}/link",
    status_code=204,
    summary="Revoke every public link of the invoice (emailed ones too)",
)
async def revoke_links(request: Request, caller: CurrentCaller, invoice_id: uuid.UUID) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        await _existing(tx, org_id, invoice_id)
        await invoice_links.revoke_links(tx=tx, invoice_id=invoice_id)
    return Response(status_code=204)


@router.post(
    "/invoices/{invoice_id}/send-email",
    summary="Email the invoice (PDF and a new link) to the customer again, now",
)
async def send_email(request: Request, caller: CurrentCaller, invoice_id: uuid.UUID) -> EmailRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        record = await invoice_mail.request_email(
            tx=tx,
            org_id=org_id,
            invoice_id=invoice_id,
            dedupe_key=f"resend:{uuid.uuid4()}",
            requested_by=caller.user_id,
        )
    assert record is not None  # a fresh key never conflicts
    if record.state == "pending":
        await send_now(
            engine=engine_of(request),
            org_id=org_id,
            email_id=record.id,
            delivery=delivery_of(request),
        )
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return email_read(await invoice_mail.email_record(tx=tx, email_id=record.id))


@router.get("/document-settings", summary="What invoice documents print: payment instructions")
async def get_document_settings(request: Request, caller: CurrentCaller) -> DocumentSettingsRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_READ)
        found = await document_settings.payment_instructions(tx=tx)
    return DocumentSettingsRead(payment_instructions=found)


@router.put("/document-settings", summary="Set the payment instructions invoices print")
async def put_document_settings(
    request: Request, caller: CurrentCaller, settings_in: DocumentSettingsUpdate
) -> DocumentSettingsRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)  # what customers are told to pay into
        stored = await document_settings.set_payment_instructions(
            tx=tx, org_id=org_id, instructions=settings_in.payment_instructions
        )
    return DocumentSettingsRead(payment_instructions=stored)


def email_read(record: invoice_mail.EmailRecord) -> EmailRead:
    skipped = record.error if record.state == "skipped" else None
    return EmailRead(
        id=record.id,
        to=record.to_address,
        language=record.language,
        state=record.state,
        skipped_because="void" if skipped == "void" else "no-email" if skipped else None,
        error=record.error if record.state != "skipped" else None,
        resend=record.requested_by is not None,
        created_at=record.created_at,
        sent_at=record.sent_at,
    )


async def _existing(tx: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID) -> None:
    # Under row-level security another org's invoice is simply not there: a 404, as for any id.
    today = (await org_defaults(tx=tx, org_id=org_id)).today()
    await get_invoice(tx=tx, invoice_id=invoice_id, today=today)


async def _document_read(
    tx: AsyncSession, org_id: uuid.UUID, invoice_id: uuid.UUID
) -> DocumentRead:
    await _existing(tx, org_id, invoice_id)
    language = await document_settings.invoice_language(tx=tx, org_id=org_id, invoice_id=invoice_id)
    status = await invoice_links.link_status(tx=tx, invoice_id=invoice_id)
    emails = await invoice_mail.email_history(tx=tx, invoice_id=invoice_id)
    return DocumentRead(
        language=language,
        link=LinkStatusRead(
            live_links=status.live,
            last_issued_at=status.last_issued_at,
            last_viewed_at=status.last_viewed_at,
        ),
        emails=[email_read(record) for record in emails],
    )
