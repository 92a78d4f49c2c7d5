"""Finance in a real Chromium: a new owner signs up, walks the wizard, adds a customer, writes
an invoice with a line at IVA 16% and an exempt one (the totals follow as they type), sends it
(INV-0001), records a partial payment, is refused an overpayment on the amount field, pays the
rest; the dev mailbox holds the invoice with its PDF and the revenue report shows the sale.
Then the invoice form in Spanish, with money written for Spanish in MXN."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.test_shell_journey import serious_accessibility_problems, shot, sign_up
from tests.e2e.test_strategy_interview import set_up_org
from xentri.shell.formatting import money_in

pytestmark = pytest.mark.e2e


def add_customer(page, live_server: str, name: str, email: str, labels: dict[str, str]) -> None:
    page.goto(f"{live_server}/c/finance/customers")
    page.locator(".empty-state").get_by_role("link", name=labels["add"]).click()
    page.get_by_label(labels["name"], exact=True).fill(name)
    page.get_by_label(labels["email"]).fill(email)
    page.get_by_role("button", name=labels["save"]).click()
    page.wait_for_url(f"{live_server}/c/finance/customers")


def fill_line(page, index: int, description: str, price: str, tax: str) -> None:
    page.locator(f"#f-line-{index}-description").fill(description)
    page.locator(f"#f-line-{index}-unit_price").fill(price)
    page.locator(f"#f-line-{index}-tax").select_option(tax)


def test_from_nothing_to_a_paid_invoice(browser, live_server, owner_conn):
    email = f"sam-{uuid.uuid4().hex[:8]}@example.com"
    customer_email = f"pagos-{uuid.uuid4().hex[:8]}@example.mx"
    context = browser.new_context(timezone_id="America/Mexico_City")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_up(page, live_server, {"name": "Sam", "email": email})
        set_up_org(page, live_server, "Bluebird Plumbing", "en")
        page.goto(f"{live_server}/c/finance/invoices")
        # The sidebar lists Finance's pages, the invoices' empty state says what to do.
        sidebar_pages = page.locator(".sidebar a[href^='/c/finance/']")
        assert sidebar_pages.count() == 5  # invoices, customers, expenses, reports, settings
        assert page.get_by_role("heading", name="No invoices yet").is_visible()
        add_customer(
            page,
            live_server,
            "Ñandú Café",
            customer_email,
            {
                "add": "Add a customer",
                "name": "Name",
                "email": "Email",
                "save": "Save the customer",
            },
        )
        assert page.get_by_role("cell", name="Ñandú Café", exact=True).is_visible()

        page.goto(f"{live_server}/c/finance/invoices/new")
        page.locator("#f-customer_id").select_option(label="Ñandú Café")
        page.get_by_label("Currency", exact=True).select_option("MXN")
        fill_line(page, 0, "Drain cleaning", "1,000.00", "16")
        page.get_by_role("button", name="Add a line").click()
        page.locator("#f-line-1-description").wait_for()
        fill_line(page, 1, "Plumbing course", "500", "exempt")
        # htmx posts the lines as they are typed; the server's totals come back.
        total = page.locator("#invoice-totals [data-total=total]")
        total.filter(has_text="MX$1,660.00").wait_for()
        assert page.locator("#invoice-totals").inner_text().count("MX$") >= 4
        assert serious_accessibility_problems(page) == []
        shot(page, "finance-10-invoice-form")
        page.get_by_role("button", name="Save the draft").click()
        page.wait_for_url(re.compile(r".*/c/finance/invoices/[0-9a-f-]{36}$"))
        here = page.url

        page.get_by_role("link", name="Send").click()
        assert page.get_by_text("It takes the number INV-0001").is_visible()
        page.get_by_role("button", name="Send the invoice").click()
        page.get_by_role("heading", name=re.compile("Invoice INV-0001")).wait_for()

        page.get_by_label("Amount (MXN)").fill("660")
        page.get_by_role("button", name="Record the payment").click()
        page.wait_for_url(f"{here}#payments")
        assert page.locator("[data-invoice-status]").inner_text() == "Partially paid"

        page.get_by_label("Amount (MXN)").fill("1,700.00")
        page.get_by_role("button", name="Record the payment").click()
        refusal = page.locator("#f-amount-error")
        assert refusal.inner_text() == "The payment is larger than the amount due (MX$1,000.00)."
        assert page.get_by_label("Amount (MXN)").get_attribute("aria-invalid") == "true"
        assert serious_accessibility_problems(page) == []

        page.get_by_label("Amount (MXN)").fill("1000")
        page.get_by_role("button", name="Record the payment").click()
        page.wait_for_url(f"{here}#payments")
        assert page.locator("[data-invoice-status]").inner_text() == "Paid"
        assert page.locator("[data-amount=due]").inner_text() == "MX$0.00"

        page.get_by_role("button", name="Email it again").click()
        page.wait_for_url(here)
        mails = owner_conn.execute(
            "select m.subject, a.filename, a.content_type from dev_mailbox m "
            "join dev_mailbox_attachments a on a.mail_id = m.id where m.to_address = %s",
            (customer_email,),
        ).fetchall()
        assert [(s, f, c) for s, f, c in mails] == [
            ("Invoice INV-0001 from Bluebird Plumbing", "Invoice-INV-0001.pdf", "application/pdf")
        ]

        page.get_by_role("link", name="Reports").first.click()
        page.get_by_role("link", name="Revenue by month").click()
        revenue = page.locator("[data-currency=MXN] [data-report-total=net]")
        assert revenue.inner_text() == "MX$1,500.00"
        assert page.locator("[data-currency=MXN] svg[role=img]").count() == 1
        assert serious_accessibility_problems(page) == []
        shot(page, "finance-20-revenue")
        assert errors == []
    finally:
        context.close()


def test_the_invoice_form_in_spanish(browser, live_server):
    context = browser.new_context(timezone_id="America/Mexico_City")
    page = context.new_page()
    try:
        sign_up(
            page, live_server, {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}
        )
        set_up_org(page, live_server, "Panadería Sol", "es")
        add_customer(
            page,
            live_server,
            "Lupita",
            "lupita@example.mx",
            {
                "add": "Agregar un cliente",
                "name": "Nombre",
                "email": "Correo electrónico",
                "save": "Guardar el cliente",
            },
        )
        page.goto(f"{live_server}/c/finance/invoices/new")
        assert page.get_by_role("heading", level=1).inner_text() == "Nueva factura"
        page.locator("#f-customer_id").select_option(label="Lupita")
        page.get_by_label("Moneda", exact=True).select_option("MXN")
        fill_line(page, 0, "Pastel de tres leches", "1000", "16")
        expected = money_in(116_000, "MXN", "es")
        page.locator("#invoice-totals [data-total=total]").filter(has_text=expected).wait_for()
        assert "Impuesto 16% sobre" in page.locator("#invoice-totals").inner_text()
        assert page.get_by_role("button", name="Agregar una línea").is_visible()
        assert page.get_by_label("Precio unitario").count() == 1
        assert serious_accessibility_problems(page) == []
        shot(page, "finance-30-invoice-form-es")
    finally:
        context.close()
