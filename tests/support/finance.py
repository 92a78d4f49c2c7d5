"""Helpers for Finance tests: a customer and invoices through the API."""

from __future__ import annotations

from typing import Any

from tests.support.identity import Person

IVA = "16"


async def new_customer(person: Person, name: str = "Panadería Lupita", **fields: Any) -> str:
    response = await person.client.post(
        "/api/v1/finance/customers",
        json={"name": name, "email": "lupita@example.mx", **fields},
        headers=person.headers(),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def new_invoice(person: Person, customer_id: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_id": customer_id,
        "currency": "MXN",
        "issue_date": "2026-11-02",
        "lines": [
            {
                "description": "Pastel de tres leches",
                "quantity": "2",
                "unit_price_minor": 45_000,
                "tax_rate": IVA,
            },
        ],
    }
    body.update(fields)
    response = await person.client.post(
        "/api/v1/finance/invoices", json=body, headers=person.headers()
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def sent_invoice(person: Person, customer_id: str, **fields: Any) -> dict[str, Any]:
    draft = await new_invoice(person, customer_id, **fields)
    response = await person.client.post(
        f"/api/v1/finance/invoices/{draft['id']}/send", headers=person.headers()
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def pay(person: Person, invoice_id: str, amount: int, **fields: Any) -> Any:
    return await person.client.post(
        f"/api/v1/finance/invoices/{invoice_id}/payments",
        json={"amount_minor": amount, "paid_on": "2026-11-20", **fields},
        headers=person.headers(),
    )


def events_of(owner_conn: Any, org_id: Any, prefix: str = "xentri.") -> list[tuple[str, dict]]:
    from tests.support.db import as_org

    with as_org(owner_conn, org_id):
        rows = owner_conn.execute(
            "select type, payload from system_events where org_id = %s and type like %s "
            "order by org_seq",
            (org_id, prefix + "%"),
        ).fetchall()
    return [(row[0], row[1]) for row in rows]
