"""A receipt chosen on the expense form goes straight to storage from the browser (finance.js:
an upload URL from the API, the file PUT there, the form then carrying only its key) and is
attached to the saved expense: the list links it and it comes back byte for byte."""

from __future__ import annotations

import re
import secrets
import uuid

import pytest

from tests.e2e.test_shell_journey import sign_up
from tests.e2e.test_strategy_interview import set_up_org

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + secrets.token_bytes(64)


def test_a_receipt_uploads_from_the_browser_and_is_attached(browser, live_server):
    context = browser.new_context(timezone_id="America/Mexico_City")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_up(page, live_server, {"name": "Eva", "email": f"eva-{uuid.uuid4().hex[:8]}@x.com"})
        set_up_org(page, live_server, "Ferretería Eva", "en")
        page.goto(f"{live_server}/c/finance/expenses/new")
        page.get_by_label("Date").fill("2026-11-03")
        page.get_by_label("Vendor").fill("Ferretería El Clavo")
        page.get_by_label("Category").fill("Equipment")
        page.get_by_label("Amount paid").fill("580.00")
        page.get_by_label("Currency").fill("MXN")

        with page.expect_request(lambda r: r.method == "PUT") as put:
            page.get_by_label("Receipt").set_input_files(
                files=[{"name": "clavo.png", "mimeType": "image/png", "buffer": PNG}]
            )
        # To the signed storage URL the API handed out, not through the form.
        assert re.search(r"/api/v1/storage/objects/.+/receipts/.+signature=", put.value.url)
        status = page.locator("[data-receipt-status]")
        status.filter(has_text="Receipt uploaded: clavo.png").wait_for()
        # The form now carries the stored file's key and name, not the file.
        key = page.locator("input[name=receipt_key]").input_value()
        assert re.search(r"\S", key)
        assert page.locator("input[name=receipt_name]").input_value() == "clavo.png"
        assert page.get_by_label("Receipt").evaluate("input => input.files.length") == 0

        page.get_by_role("button", name="Save the expense").click()
        page.wait_for_url(re.compile(r".*/c/finance/expenses(\?.*)?$"))
        row = page.get_by_role("row", name=re.compile("Ferretería El Clavo"))
        link = row.get_by_role("link", name="View")
        href = link.get_attribute("href")
        assert href is not None
        receipt = page.request.get(f"{live_server}{href}")
        assert receipt.ok
        assert receipt.body() == PNG
        assert errors == []
    finally:
        context.close()
