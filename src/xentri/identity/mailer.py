"""Outgoing email: SMTP when XENTRI_SMTP_URL is set, else the local dev mailbox (works offline)."""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.identity.tables import dev_mailbox, dev_mailbox_attachments


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    async def send(self, mail: Mail, *, tx: AsyncSession) -> None: ...


class DevMailbox:
    """Keeps mail in a table (shown at a dev-only page) in the caller's transaction."""

    async def send(self, mail: Mail, *, tx: AsyncSession) -> None:
        mail_id = uuid.uuid4()
        await tx.execute(
            dev_mailbox.insert().values(
                id=mail_id, to_address=mail.to, subject=mail.subject, body_text=mail.body
            )
        )
        for attachment in mail.attachments:
            await tx.execute(
                dev_mailbox_attachments.insert().values(
                    id=uuid.uuid4(),
                    mail_id=mail_id,
                    filename=attachment.filename,
                    content_type=attachment.content_type,
                    content=attachment.data,
                )
            )


class SmtpMailer:
    """smtp://user:pass@host:port or smtps://… ; From defaults to no-reply@<host>."""

    def __init__(self, url: str, *, sender: str | None = None) -> None:
        parts = urlsplit(url)
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.tls else 587)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender or f"Xentri <no-reply@{self.host}>"

    async def send(self, mail: Mail, *, tx: AsyncSession) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
        message.set_content(mail.body)
        for attachment in mail.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            message.add_attachment(
                attachment.data,
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=attachment.filename,
            )
        await asyncio.to_thread(self._deliver, message)

    def _deliver(self, message: EmailMessage) -> None:
        smtp_class = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=10) as smtp:
            smtp.ehlo()
            if not self.tls and smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            elif not self.tls and self.user:
                # Never send a password over a connection that could not be encrypted.
                raise smtplib.SMTPException(f"{self.host} offers no STARTTLS; use smtps://")
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
