"""Finance's pages in the shell: customers (field errors, search, CSV import with per-row
errors), a draft invoice with lines and live totals, sending, payments (an overpayment refused
on its field), expenses with a receipt sent with the form, the reports and their CSV; refused
input keeps nothing and speaks the visitor's language; another org's records are a 404."""

from __future__ import annotations

import html
import re
import uuid

import pytest

from tests.support.db import as_org
from tests.support.shell import finish_wizard, form_token, sign_up_in_browser

pytestmark = pytest.mark.integration

BASE = "/c/finance"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def owner_of(make_app, client_for, *, org: str, language: str = "en"):
    client = client_for(make_app())
    client.owner_email = await sign_up_in_browser(client)
    await finish_wizard(client, org=org, language=language)
    return client


@pytest.fixture
async def owner(make_app, client_for):
    client = await owner_of(make_app, client_for, org="Bluebird Plumbing")
    yield client
    await client.aclose()


def org_of(owner_conn, client) -> uuid.UUID:
    return owner_conn.execute(
        "select created_org_id from onboarding_progress p join users u on u.id = p.user_id "
        "where u.email = %s",
        (client.owner_email,),
    ).fetchone()[0]


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def post(client, path: str, data: dict[str, str], *, page: str, files=None):
    token = await form_token(client, page)
    return await client.post(path, data={"csrf_token": token, **data}, files=files)


def count(owner_conn, org_id, table: str) -> int:
    with as_org(owner_conn, org_id):
        return owner_conn.execute(f"select count(*) from {table}").fetchone()[0]


def line(i: int, description: str, price: str, tax: str) -> dict[str, str]:
    return {
        f"line-{i}-description": description,
        f"line-{i}-quantity": "1",
        f"line-{i}-unit_price": price,
        f"line-{i}-tax": tax,
        f"line-{i}-discount": "0",
    }


async def customer(client, name: str = "Ñandú Café") -> str:
    made = await post(
        client,
        f"{BASE}/customers",
        {"name": name, "email": "pagos@example.mx"},
        page=f"{BASE}/customers/new",
    )
    assert made.status_code == 303, made.text
    listed = await client.get(f"{BASE}/customers", params={"q": name})
    return re.search(r"/c/finance/customers/([0-9a-f-]{36})/edit", listed.text).group(1)


async def draft(client, customer_id: str) -> str:
    data = {
        "customer_id": customer_id,
        "currency": "MXN",
        "issue_date": "2026-11-02",
        "payment_terms_days": "30",
        "rows": "2",
        **line(0, "Drain cleaning", "1,000.00", "16"),
        **line(1, "Training course", "500", "exempt"),
    }
    made = await post(client, f"{BASE}/invoices", data, page=f"{BASE}/invoices/new")
    assert made.status_code == 303, made.text
    return made.headers["location"].rsplit("/", 1)[1]


async def test_customers_bad_input_then_saved_and_found(owner, owner_conn):
    org_id = org_of(owner_conn, owner)
    empty = await owner.get(f"{BASE}/customers")
    refused = await post(
        owner,
        f"{BASE}/customers",
        {"name": "", "email": "not-an-email", "country": "Mexico"},
        page=f"{BASE}/customers/new",
    )

    assert "No customers yet" in text_of(empty.text)
    assert refused.status_code == 422
    shown = text_of(refused.text)
    assert "Give the customer a name." in shown
    assert "Enter a valid email address, like name@example.com." in shown
    assert "Use the two-letter country code, like MX or US." in shown
    assert 'value="not-an-email"' in refused.text  # what was typed is kept
    assert count(owner_conn, org_id, "finance_customers") == 0

    customer_id = await customer(owner, "Ñandú Café")
    await customer(owner, "Bluebonnet Bakery")
    found = await owner.get(f"{BASE}/customers", params={"q": "ñandú"})
    assert "Ñandú Café" in found.text
    assert "Bluebonnet Bakery" not in found.text
    edited = await post(
        owner,
        f"{BASE}/customers/{customer_id}/edit",
        {"name": "Ñandú Café SA", "email": "", "payment_terms_days": "400"},
        page=f"{BASE}/customers/{customer_id}/edit",
    )
    assert edited.status_code == 422
    assert "Enter a number of days from 0 to 365." in text_of(edited.text)


async def test_a_csv_import_previews_row_errors_and_imports_the_valid_rows(owner, owner_conn):
    org_id = org_of(owner_conn, owner)
    csv = (
        "nombre;correo;rfc\n"
        "Lupita;lupita@example.mx;XAXX010101000\n"
        ";sin-nombre@example.mx;\n"
        "Beto;no-es-correo;\n"
    )
    uploaded = await post(
        owner,
        f"{BASE}/customers/import",
        {},
        page=f"{BASE}/customers/import",
        files={"file": ("clientes.csv", csv.encode(), "text/csv")},
    )
    assert uploaded.status_code == 303, uploaded.text
    preview = await owner.get(uploaded.headers["location"])
    shown = text_of(preview.text)
    assert "1 row can be imported." in shown
    assert "name: Give the customer a name." in shown
    assert "email: Enter a valid email address, like name@example.com." in shown
    assert count(owner_conn, org_id, "finance_customers") == 0

    committed = await post(
        owner, uploaded.headers["location"], {}, page=uploaded.headers["location"]
    )
    assert committed.status_code == 303
    assert "1 customer was imported." in text_of(
        (await owner.get(committed.headers["location"])).text
    )
    assert count(owner_conn, org_id, "finance_customers") == 1


async def test_an_invoice_from_draft_to_paid_with_totals_and_an_overpayment_refused(
    owner, owner_conn
):
    org_id = org_of(owner_conn, owner)
    customer_id = await customer(owner)
    form = {"customer_id": customer_id, "currency": "MXN", "rows": "1", **line(0, "A", "10", "16")}
    grown = await post(
        owner, f"{BASE}/invoices", {**form, "action": "add_line"}, page=f"{BASE}/invoices/new"
    )
    totals = await post(
        owner,
        f"{BASE}/invoices/totals",
        {**form, "rows": "2", **line(1, "B", "5.50", "exempt")},
        page=f"{BASE}/invoices/new",
    )
    assert grown.status_code == 200
    assert 'id="f-line-1-description"' in grown.text
    assert count(owner_conn, org_id, "finance_invoices") == 0
    assert "Total MX$17.10" in text_of(totals.text)  # 10 + 1.60 IVA + 5.50 exempt

    invoice_id = await draft(owner, customer_id)
    page = text_of((await owner.get(f"{BASE}/invoices/{invoice_id}")).text)
    assert "Draft invoice" in page
    assert "Total MX$1,660.00" in page  # 1,000 + 160 IVA + 500 exempt
    sent = await post(
        owner, f"{BASE}/invoices/{invoice_id}/send", {}, page=f"{BASE}/invoices/{invoice_id}"
    )
    assert sent.status_code == 303
    here = f"{BASE}/invoices/{invoice_id}"
    assert "Invoice INV-0001" in text_of((await owner.get(here)).text)

    pay = {"paid_on": "2026-11-10", "method": "bank_transfer", "reference": ""}
    too_much = await post(owner, f"{here}/payments", {**pay, "amount": "1,700.00"}, page=here)
    assert too_much.status_code == 422
    assert "The payment is larger than the amount due (MX$1,660.00)." in text_of(too_much.text)
    assert count(owner_conn, org_id, "finance_payments") == 0
    partial = await post(owner, f"{here}/payments", {**pay, "amount": "660"}, page=here)
    assert partial.status_code == 303
    assert "Partially paid" in text_of((await owner.get(here)).text)
    rest = await post(owner, f"{here}/payments", {**pay, "amount": "1000.00"}, page=here)
    assert rest.status_code == 303
    with as_org(owner_conn, org_id):
        state = owner_conn.execute(
            "select state, paid_minor from finance_invoices where id = %s", (invoice_id,)
        ).fetchone()
    assert tuple(state) == ("paid", 166_000)

    pdf = await owner.get(f"{here}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    revenue = await owner.get(
        f"{BASE}/reports/revenue", params={"start": "2026-11", "end": "2026-11"}
    )
    csv = await owner.get(
        f"{BASE}/reports/revenue.csv", params={"start": "2026-11", "end": "2026-11"}
    )
    assert "MX$1,500.00" in text_of(revenue.text)  # before tax
    assert "<svg" in revenue.text
    assert "MXN,2026-11,1,1500.00,160.00,1660.00,1660.00" in csv.text


async def test_bad_invoice_lines_are_refused_in_spanish_and_nothing_is_saved(
    make_app, client_for, owner_conn
):
    owner = await owner_of(make_app, client_for, org="Panadería Sol", language="es")
    org_id = org_of(owner_conn, owner)
    customer_id = await customer(owner)
    data = {
        "customer_id": customer_id,
        "currency": "MXN",
        "issue_date": "2026-11-02",
        "due_date": "2026-10-01",
        "payment_terms_days": "30",
        "rows": "2",
        **line(0, "Pan", "0", "16"),
        **line(1, "Pastel", "12.345", "120"),
    }
    refused = await post(owner, f"{BASE}/invoices", data, page=f"{BASE}/invoices/new")
    shown = text_of(refused.text)
    assert refused.status_code == 422
    assert "La fecha de vencimiento no puede ser anterior a la fecha de emisión." in shown
    assert "Escribe un precio mayor que 0 en MXN, con sus decimales como máximo." in shown
    assert "Una tasa de impuesto es un porcentaje de 0 a 100." in shown
    assert count(owner_conn, org_id, "finance_invoices") == 0
    await owner.aclose()


async def test_another_orgs_invoice_and_customer_are_not_found(make_app, client_for, owner):
    customer_id = await customer(owner)
    invoice_id = await draft(owner, customer_id)
    other = await owner_of(make_app, client_for, org="Someone Else")
    for path in (
        f"{BASE}/invoices/{invoice_id}",
        f"{BASE}/invoices/{invoice_id}/edit",
        f"{BASE}/invoices/{invoice_id}/pdf",
        f"{BASE}/customers/{customer_id}/edit",
    ):
        assert (await other.get(path)).status_code == 404, path
    deleted = await post(other, f"{BASE}/invoices/{invoice_id}/delete", {}, page=f"{BASE}/invoices")
    assert deleted.status_code == 404
    assert (await owner.get(f"{BASE}/invoices/{invoice_id}")).status_code == 200
    await other.aclose()


async def test_expenses_with_a_receipt_sent_with_the_form(owner, owner_conn):
    org_id = org_of(owner_conn, owner)
    fields = {"spent_on": "2026-11-05", "vendor": "Ferretería", "category": "Office supplies"}
    refused = await post(
        owner,
        f"{BASE}/expenses",
        {**fields, "amount": "100", "tax": "200", "currency": "MXN"},
        page=f"{BASE}/expenses/new",
    )
    assert refused.status_code == 422
    assert "The tax is part of the amount: it cannot be larger." in text_of(refused.text)
    assert count(owner_conn, org_id, "finance_expenses") == 0

    saved = await post(
        owner,
        f"{BASE}/expenses",
        {**fields, "amount": "116.00", "tax": "16", "currency": "MXN"},
        page=f"{BASE}/expenses/new",
        files={"receipt": ("ticket.png", PNG, "image/png")},
    )
    assert saved.status_code == 303, saved.text
    listed = await owner.get(f"{BASE}/expenses", params={"q": "ferre"})
    assert "Office supplies" in text_of(listed.text)
    with as_org(owner_conn, org_id):
        row = owner_conn.execute(
            "select category, amount_minor, receipt_content_type from finance_expenses"
        ).fetchone()
    assert tuple(row) == ("office_supplies", 11_600, "image/png")
    report = await owner.get(
        f"{BASE}/reports/expenses", params={"start": "2026-11-01", "end": "2026-11-30"}
    )
    assert "MX$116.00" in text_of(report.text)
