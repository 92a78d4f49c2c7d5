"""The dev mailbox page: mail Xentri would have sent, readable without an SMTP server."""

from __future__ import annotations

import re
from html import escape

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import HTMLResponse

from xentri.identity.errors import OrgNotFoundError
from xentri.identity.tables import dev_mailbox
from xentri.kernel.db.tenant import system_transaction

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
    if request.app.state.settings.environment == "production":
        raise OrgNotFoundError("Not found.")  # answered as a 404 problem, like any unknown page
    async with system_transaction(request.app.state.engine) as tx:
        rows = (
            await tx.execute(
                select(dev_mailbox).order_by(dev_mailbox.c.created_at.desc()).limit(50)
            )
        ).all()
    if not rows:
        items = "<p>No mail yet. Sign up or ask for a password reset to see one here.</p>"
    else:
        items = "".join(
            f"<article><h2>{escape(row.subject)}</h2>"
            f"<p>To {escape(row.to_address)} · {row.created_at:%Y-%m-%d %H:%M:%S} UTC</p>"
            f"<pre>{_linkify(escape(row.body_text))}</pre></article>"
            for row in rows
        )
    return HTMLResponse(_PAGE.format(items=items))


def _linkify(text: str) -> str:
    return _URL.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', text)
