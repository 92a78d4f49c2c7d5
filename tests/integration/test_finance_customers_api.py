"""Customers through the API: create, change, search with pages, and the CSV import."""

from __future__ import annotations

import pytest

from tests.support.finance import new_customer
from tests.support.identity import create_org, sign_up

pytestmark = pytest.mark.integration

CSV = (
    "Nombre;RFC;Correo;Ciudad;Moneda;Plazo\n"
    "Panadería Lupita;PALU800101AB1;lupita@example.mx;Oaxaca;MXN;15\n"
    ";;sin-nombre@example.mx;;;\n"
    "Taller Toño;TATO900101XY2;no es correo;Puebla;MXN;30\n"
    "Café Juárez;CAJU700101ZZ3;cafe@example.mx;Oaxaca;XYZ;quince\n"
    "Dulces Ana;;ana@example.mx;Tlaxcala;;\n"
)


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person, currency="MXN")
        yield app, person, org


async def upload(person, data: bytes, name: str = "clientes.csv"):
    return await person.client.post(
        "/api/v1/finance/customer-imports",
        files={"file": (name, data, "text/csv")},
        headers=person.headers(),
    )


async def test_a_csv_is_previewed_with_row_errors_then_only_valid_rows_are_imported(owner):
    _app, person, _org = owner
    await new_customer(person, "Ana ya existe", email="ana@example.mx")

    preview = await upload(person, CSV.encode("cp1252"))
    before = await person.client.get("/api/v1/finance/customers", headers=person.headers())
    committed = await person.client.post(
        f"/api/v1/finance/customer-imports/{preview.json()['id']}/commit", headers=person.headers()
    )
    twice = await person.client.post(
        f"/api/v1/finance/customer-imports/{preview.json()['id']}/commit", headers=person.headers()
    )
    after = await person.client.get("/api/v1/finance/customers", headers=person.headers())

    assert preview.status_code == 201, preview.text
    body = preview.json()
    assert (body["status"], body["valid_rows"], body["invalid_rows"]) == ("previewed", 1, 4)
    assert {r["line"]: sorted(e["field"] for e in r["errors"]) for r in body["rows"]} == {
        2: [],
        3: ["name"],
        4: ["email"],
        5: ["currency", "payment_terms_days"],
        6: ["email"],  # Dulces Ana: that email is already a customer's
    }
    assert before.json()["total"] == 1  # the preview imported nothing
    assert committed.status_code == 200
    assert (committed.json()["status"], committed.json()["imported_count"]) == ("committed", 1)
    assert twice.status_code == 409
    assert twice.json()["imported_count"] == 1
    names = [c["name"] for c in after.json()["items"]]
    assert names == ["Ana ya existe", "Panadería Lupita"]
    lupita = after.json()["items"][1]
    assert (lupita["tax_id"], lupita["currency"], lupita["payment_terms_days"]) == (
        "PALU800101AB1",
        "MXN",
        15,
    )
    assert lupita["billing_address"] == {
        "line1": None,
        "line2": None,
        "city": "Oaxaca",
        "region": None,
        "postal_code": None,
        "country": None,
    }


async def test_a_customer_created_after_the_preview_is_not_imported_twice(owner):
    _app, person, _org = owner
    preview = await upload(person, b"name,email\nLupita,lupita@example.mx\n")
    await new_customer(person, "Lupita (a mano)", email="LUPITA@example.mx")

    committed = await person.client.post(
        f"/api/v1/finance/customer-imports/{preview.json()['id']}/commit", headers=person.headers()
    )

    assert committed.json()["imported_count"] == 0
    assert committed.json()["rows"][0]["errors"][0]["code"] == "duplicate"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"email\nx@example.com\n", "missing-name-column"),
        (b"name\n", "no-rows"),
        (b"\x00\x01\x02", "not-csv"),
    ],
)
async def test_unreadable_files_are_a_field_error_on_the_file(owner, data, code):
    _app, person, _org = owner
    refused = await upload(person, data)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "file", "message": refused.json()["detail"], "code": code}
    ]


async def test_customers_are_searched_by_name_email_or_tax_id_and_paged(owner):
    _app, person, _org = owner
    for n in range(30):
        await new_customer(
            person, f"Cliente {n:02d}", email=f"c{n}@example.mx", tax_id=f"RFC{n:04d}X"
        )
    h = person.headers()

    first = await person.client.get("/api/v1/finance/customers?page_size=25", headers=h)
    second = await person.client.get("/api/v1/finance/customers?page=2&page_size=25", headers=h)
    by_email = await person.client.get("/api/v1/finance/customers?q=C7@EXAMPLE", headers=h)
    by_tax = await person.client.get("/api/v1/finance/customers?q=rfc0012", headers=h)
    wildcard = await person.client.get("/api/v1/finance/customers?q=%25", headers=h)
    too_big = await person.client.get("/api/v1/finance/customers?page_size=500", headers=h)

    assert (first.json()["total"], len(first.json()["items"])) == (30, 25)
    assert [c["name"] for c in second.json()["items"]] == [f"Cliente {n}" for n in range(25, 30)]
    assert [c["name"] for c in by_email.json()["items"]] == ["Cliente 07"]
    assert [c["name"] for c in by_tax.json()["items"]] == ["Cliente 12"]
    assert wildcard.json()["total"] == 0
    assert too_big.status_code == 422


async def test_customers_are_changed_field_by_field_and_bad_input_is_refused(owner):
    _app, person, _org = owner
    customer = await new_customer(person, currency="USD", payment_terms_days=45)
    h = person.headers()

    changed = await person.client.patch(
        f"/api/v1/finance/customers/{customer}", json={"phone": "+52 951 123 4567"}, headers=h
    )
    cleared = await person.client.patch(
        f"/api/v1/finance/customers/{customer}", json={"currency": None}, headers=h
    )
    bad = await person.client.post(
        "/api/v1/finance/customers",
        json={"name": " ", "email": "nope", "currency": "ABC", "payment_terms_days": 400},
        headers=h,
    )
    no_name = await person.client.patch(
        f"/api/v1/finance/customers/{customer}", json={"name": None}, headers=h
    )

    assert changed.json()["phone"] == "+52 951 123 4567"
    assert changed.json()["payment_terms_days"] == 45
    assert cleared.json()["currency"] is None
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {
        "body.name",
        "body.email",
        "body.currency",
        "body.payment_terms_days",
    }
    assert no_name.status_code == 422
