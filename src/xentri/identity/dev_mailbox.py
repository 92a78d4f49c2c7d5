"""The dev mailbox page: mail Xentri would have sent, readable without an SMTP server."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import HTMLResponse, Response

from xentri.identity.errors import OrgNotFoundError
from xentri.identity.tables import dev_mailbox, dev_mailbox_attachments
from xentri.kernel.db.tenant import system_transaction
from xentri.kernel.storage import content_disposition

dev_router = APIRouter(include_in_schema=False)
_URL = re.compile(r"https?://[^\s<\"]+")

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev mailbox · Xentri</title></head>
<body><main><h1>Dev mailbox</h1>
<p>Mail Xentri would have sent. Set XENTRI_SMTP_URL to send real mail; this page only exists
outside production.</p>{items}</main></body></html>"""


@dev_router.get("/dev/mailbox", response_class=HTMLResponse)
async def mailbox_page(request: Request) -> HTMLResponse:
    _not_in_production(request)
    async with system_transaction(request.app.state.engine) as tx:
        rows = (
            await tx.execute(
                select(dev_mailbox).order_by(dev_mailbox.c.created_at.desc()).limit(50)
            )
        ).all()
        attached = (
            await tx.execute(
                select(
                    dev_mailbox_attachments.c.id,
                    dev_mailbox_attachments.c.mail_id,
                    dev_mailbox_attachments.c.filename,
                ).where(dev_mailbox_attachments.c.mail_id.in_([row.id for row in rows]))
            )
        ).all()
    if not rows:
        items = "<p>No mail yet. Sign up or ask for a password reset to see one here.</p>"
    else:
        items = "".join(
            f"<article><h2>{escape(row.subject)}</h2>"
            f"<p>To {escape(row.to_address)} · {row.created_at:%Y-%m-%d %H:%M:%S} UTC</p>"
            f"<pre>{_linkify(escape(row.body_text))}</pre>"
            f"{_attachment_list(row.id, attached)}</article>"
            for row in rows
        )
    return HTMLResponse(_PAGE.format(items=items))


@dev_router.get("/dev/mailbox/attachments/{attachment_id}")
async def mailbox_attachment(request: Request, attachment_id: uuid.UUID) -> Response:
    _not_in_production(request)
    async with system_transaction(request.app.state.engine) as tx:
        found = (
            await tx.execute(
                select(dev_mailbox_attachments).where(dev_mailbox_attachments.c.id == attachment_id)
            )
        ).first()
    if found is None:
        raise OrgNotFoundError("Not found.")
    return Response(
        found.content,
        media_type=found.content_type,
        headers={"Content-Disposition": content_disposition(found.filename, kind="attachment")},
    )


def _not_in_production(request: Request) -> None:
    if request.app.state.settings.environment == "production":
        raise OrgNotFoundError("Not found.")  # answered as a 404 problem, like any unknown page


def _attachment_list(mail_id: uuid.UUID, attached: Sequence[Any]) -> str:
    links = "".join(
        f'<li><a href="/dev/mailbox/attachments/{quote(str(item.id))}">'
        f"{escape(item.filename)}</a></li>"
        for item in attached
        if item.mail_id == mail_id
    )
    return f'<ul aria-label="Attachments">{links}</ul>' if links else ""


def _linkify(text: str) -> str:
    return _URL.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', text)
