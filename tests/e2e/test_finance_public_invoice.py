"""The customer's side of an invoice in a real Chromium: the public link opens a page in the
invoice's language at phone width, its Download PDF button gives the PDF, and after the owner
revokes the link the same address shows the friendly not-found page."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


def owner_with_sent_invoice(base_url: str) -> tuple[httpx.Client, dict[str, str], str]:
    client = httpx.Client(base_url=base_url, timeout=30)
    email = f"sol-{uuid.uuid4().hex[:8]}@example.com"
    signed = client.post(
        "/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "name": "Sol"}
    )
    assert signed.status_code == 201, signed.text
    headers = {"x-csrf-token": signed.json()["csrf_token"]}
    org = client.post(
        "/api/v1/orgs",
        json={"name": "Panadería Sol", "currency": "MXN", "default_language": "es"},
        headers=headers,
    )
    assert org.status_code == 201, org.text
    customer = client.post(
        "/api/v1/finance/customers",
        json={"name": "Ñandú Café", "email": "pagos@example.mx"},
        headers=headers,
    ).json()["id"]
    draft = client.post(
        "/api/v1/finance/invoices",
        json={
            "customer_id": customer,
            "issue_date": "2026-11-02",
            "lines": [
                {
                    "description": "Pastel de tres leches",
                    "quantity": "2",
                    "unit_price_minor": 45_000,
                    "tax_rate": "16",
                    "tax_label": "IVA",
                }
            ],
        },
        headers=headers,
    ).json()
    sent = client.post(f"/api/v1/finance/invoices/{draft['id']}/send", headers=headers)
    assert sent.status_code == 200, sent.text
    return client, headers, draft["id"]


def test_the_customer_opens_downloads_and_then_loses_the_link(live_server, page) -> None:
    owner, headers, invoice_id = owner_with_sent_invoice(live_server)
    link = owner.post(f"/api/v1/finance/invoices/{invoice_id}/link", headers=headers)
    assert link.status_code == 201, link.text
    url = link.json()["url"]

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(url)

    assert page.title() == "Factura INV-0001 · Panadería Sol"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"
    assert page.locator(".invoice-due__amount").inner_text() == "$1,044.00"
    assert "IVA 16% sobre $900.00" in page.locator(".invoice-totals").inner_text()
    # Nothing of the app: no frame, no sign-in, no scripts.
    assert page.locator("nav, .sidebar, script").count() == 0
    # Readable on a phone: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "finance_public_invoice_360.png"), full_page=True)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Descargar PDF").click()
    download = downloading.value
    assert download.suggested_filename == "Factura-INV-0001.pdf"
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages
    )
    assert "Factura INV-0001" in text
    assert "$1,044.00" in text

    revoked = owner.delete(f"/api/v1/finance/invoices/{invoice_id}/link", headers=headers)
    assert revoked.status_code == 204
    response = page.goto(url)
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() in {
        "This invoice link does not work",
        "Este enlace de factura no funciona",
    }
    owner.close()
