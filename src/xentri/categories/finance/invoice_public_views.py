"""The customer's view of an invoice: `GET /i/{token}` (a page in the invoice's language, no
sign-in, no app frame, kept out of search engines) and `GET /i/{token}/pdf`. An unknown or
revoked token gets the same friendly 404 page, so a guess learns nothing; both routes are
throttled per address."""

from __future__ import annotations

import asyncio
import base64
import math
from typing import Any

import structlog
from fastapi import APIRouter, Request
from redis.exceptions import RedisError
from starlette.responses import HTMLResponse, Response

from xentri.categories.finance.document_settings import translations
from xentri.categories.finance.errors import NotFoundError
from xentri.categories.finance.invoice_document import InvoiceDocument, load_document
from xentri.categories.finance.invoice_documents_api import logo_storage, pdf_response
from xentri.categories.finance.invoice_format import long_date, money, percent, quantity
from xentri.categories.finance.invoice_links import opened_invoice
from xentri.categories.finance.invoice_pdf import (
    STATUS_WORDS,
    customer_lines,
    rate_words,
    render_pdf,
    tax_row_words,
)
from xentri.identity.http import engine_of
from xentri.kernel.http.ratelimit import RateLimiter
from xentri.kernel.i18n import negotiate
from xentri.shell.logos import LogoRefusedError, logo_type

log = structlog.get_logger("xentri.finance")

public_invoice_pages = APIRouter(include_in_schema=False)

# Per client address: plenty for a customer opening and downloading their invoice, far too
# few for walking a token space (which 256 random bits make hopeless anyway).
PUBLIC_HITS_PER_MINUTE = 30
_PRIVATE = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    # The token is in the address: never hand it to another site in a Referer.
    "Referrer-Policy": "no-referrer",
}


@public_invoice_pages.get("/i/{token}", response_class=HTMLResponse)
async def public_invoice(request: Request, token: str) -> Response:
    if (refused := await _throttled(request)) is not None:
        return refused
    try:
        async with opened_invoice(engine_of(request), token) as (tx, found):
            document = await load_document(
                tx=tx,
                org_id=found.org_id,
                invoice_id=found.invoice_id,
                storage=logo_storage(request),
            )
    except NotFoundError:
        return _gone(request)
    context = page_context(document)
    context["pdf_url"] = f"/i/{token}/pdf"
    html = request.app.state.shell.renderer.render(
        document.language, "finance/public_invoice.html", context
    )
    return HTMLResponse(html, headers={**_PRIVATE, "Content-Language": document.language})


@public_invoice_pages.get("/i/{token}/pdf")
async def public_invoice_pdf(request: Request, token: str) -> Response:
    if (refused := await _throttled(request)) is not None:
        return refused
    try:
        async with opened_invoice(engine_of(request), token) as (tx, found):
            document = await load_document(
                tx=tx,
                org_id=found.org_id,
                invoice_id=found.invoice_id,
                storage=logo_storage(request),
            )
    except NotFoundError:
        return _gone(request)
    response = pdf_response(document, await asyncio.to_thread(render_pdf, document))
    response.headers.update(_PRIVATE)
    return response


def page_context(document: InvoiceDocument) -> dict[str, Any]:
    """Every figure already written as the document writes it (ISO decimals, its locale)."""
    _ = translations(document.language).gettext
    locale, currency = document.locale, document.currency

    def written(minor: int) -> str:
        return money(minor, currency, locale)

    return {
        "doc": document,
        "title": _("Invoice %(number)s") % {"number": document.number},
        "status_word": _(STATUS_WORDS[document.status]),
        "status": document.status.value,
        "logo_src": _logo_src(document.logo),
        "customer_lines": customer_lines(document.customer, _),
        "issue_date": long_date(document.issue_date, locale),
        "due_date": long_date(document.due_date, locale),
        "lines": [
            {
                "description": line.description,
                "quantity": quantity(line.quantity, locale),
                "unit_price": written(line.unit_price_minor),
                "discount": percent(line.discount_percent, locale) if line.discount_percent else "",
                "tax": rate_words(line.tax_rate, line.tax_label, locale, _),
                "amount": written(line.net_minor),
            }
            for line in document.lines
        ],
        "taxes": [
            {"label": tax_row_words(tax, document, _), "amount": written(tax.tax_minor)}
            for tax in document.taxes
        ],
        "subtotal": written(document.subtotal_minor),
        "discount": written(-document.discount_minor) if document.discount_minor else None,
        "total": written(document.total_minor),
        "paid": written(-document.paid_minor) if document.paid_minor else None,
        "amount_due": written(document.amount_due_minor),
    }


def _logo_src(logo: bytes | None) -> str | None:
    # Inlined: the shell serves logos to members only, and this page has no session.
    if not logo:
        return None
    try:
        content_type = logo_type(logo)
    except LogoRefusedError:
        return None
    return f"data:{content_type};base64,{base64.b64encode(logo).decode()}"


def _gone(request: Request) -> Response:
    language = negotiate(choice=None, accept_language=request.headers.get("accept-language"))
    html = request.app.state.shell.renderer.render(language, "finance/public_invoice_gone.html", {})
    return HTMLResponse(html, status_code=404, headers={**_PRIVATE, "Content-Language": language})


async def _throttled(request: Request) -> Response | None:
    limiter: RateLimiter = request.app.state.rate_limiter
    address = request.client.host if request.client else "unknown"
    try:
        decision = await limiter.hit_window(
            f"throttle:invoice-link:addr:{address}", limit=PUBLIC_HITS_PER_MINUTE, period_seconds=60
        )
    except (RedisError, OSError) as exc:  # fails open, like every rate limit here
        log.warning("invoice_link_throttle_unavailable", error=str(exc))
        return None
    if decision.allowed:
        return None
    retry = max(1, math.ceil(decision.retry_after))
    language = negotiate(choice=None, accept_language=request.headers.get("accept-language"))
    html = request.app.state.shell.renderer.render(
        language, "finance/public_invoice_busy.html", {"retry_after": retry}
    )
    return HTMLResponse(
        html,
        status_code=429,
        headers={**_PRIVATE, "Retry-After": str(retry), "Content-Language": language},
    )
