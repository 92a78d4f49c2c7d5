"""The invoice form's customer picker with 500 customers: it lists the first matches, a search
(htmx, or the form's own "Search" button without scripts) finds any other, the chosen customer
stays chosen while searching, and the 450th customer can be invoiced."""

from __future__ import annotations

import re

import pytest

from tests.integration.test_finance_pages import BASE, count, line, org_of, owner_of, post
from tests.support.db import as_org
from xentri.categories.finance import customers
from xentri.categories.finance.customers_schemas import CustomerCreate
from xentri.kernel.db.tenant import tenant_transaction

pytestmark = pytest.mark.integration

CUSTOMERS = 500
OPTION = re.compile(r'<option value="([0-9a-f-]{36})"( selected)?>([^<]*)</option>')


@pytest.fixture
async def owner(make_app, client_for):
    client = await owner_of(make_app, client_for, org="Panadería Sol", language="es")
    yield client
    await client.aclose()


@pytest.fixture
async def many(owner, owner_conn, app_engine) -> dict[str, str]:
    """500 customers, "Cliente 001" to "Cliente 500"; their ids by name."""
    org_id = org_of(owner_conn, owner)
    async with tenant_transaction(app_engine, org_id) as tx:
        for number in range(1, CUSTOMERS + 1):
            await customers.create_customer(
                tx=tx,
                org_id=org_id,
                customer_in=CustomerCreate(
                    name=f"Cliente {number:03d}", email=f"c{number}@example.mx"
                ),
            )
    with as_org(owner_conn, org_id):
        rows = owner_conn.execute("select name, id from finance_customers").fetchall()
    assert len(rows) == CUSTOMERS
    return {name: str(customer_id) for name, customer_id in rows}


def options(page: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), name) for value, selected, name in OPTION.findall(page)]


async def test_the_form_lists_the_first_fifty_and_says_how_to_find_the_rest(owner, many):
    page = (await owner.get(f"{BASE}/invoices/new")).text

    listed = options(page)
    assert [name for _id, _sel, name in listed] == [f"Cliente {n:03d}" for n in range(1, 51)]
    assert 'data-customer-matches="500"' in page
    assert "Se muestran 50 de 500 clientes: busca para encontrar los demás." in page
    assert 'hx-get="/c/finance/invoices/customer-options"' in page


async def test_typing_finds_the_450th_and_a_chosen_customer_stays_chosen(owner, many):
    found = await owner.get(
        f"{BASE}/invoices/customer-options", params={"customer_q": "cliente 450"}
    )
    chosen = many["Cliente 450"]
    kept = await owner.get(
        f"{BASE}/invoices/customer-options",
        params={"customer_q": "nadie se llama así", "customer_id": chosen},
    )
    by_email = await owner.get(f"{BASE}/invoices/customer-options", params={"customer_q": "c45"})

    assert found.status_code == 200
    assert options(found.text) == [(chosen, False, "Cliente 450")]
    assert 'id="customer-picker"' in found.text
    assert "<html" not in found.text  # a fragment for htmx, not a page
    # Nothing matches, but the customer already picked is still there, and still picked.
    assert options(kept.text) == [(chosen, True, "Cliente 450")]
    assert "Ningún cliente coincide con «nadie se llama así»." in kept.text
    # Email matches too: c45, c450-c459.
    assert len(options(by_email.text)) == 11


async def test_without_scripts_search_then_pick_the_450th_and_save(owner, owner_conn, many):
    org_id = org_of(owner_conn, owner)
    lines = {"currency": "MXN", "rows": "1", **line(0, "Pan de muerto", "45", "16")}

    # The "Search" button sends the form back with the list narrowed and the lines kept.
    searched = await post(
        owner,
        f"{BASE}/invoices",
        {**lines, "customer_id": "", "customer_q": "Cliente 450", "action": "find_customer"},
        page=f"{BASE}/invoices/new",
    )
    assert searched.status_code == 200
    assert options(searched.text) == [(many["Cliente 450"], False, "Cliente 450")]
    assert 'value="Pan de muerto"' in searched.text
    assert count(owner_conn, org_id, "finance_invoices") == 0

    # Picking it from that list and saving makes the draft for the 450th customer.
    saved = await post(
        owner,
        f"{BASE}/invoices",
        {**lines, "customer_id": many["Cliente 450"], "customer_q": "Cliente 450"},
        page=f"{BASE}/invoices/new",
    )
    assert saved.status_code == 303, saved.text
    with as_org(owner_conn, org_id):
        billed = owner_conn.execute(
            "select c.name from finance_invoices i join finance_customers c on c.id = i.customer_id"
        ).fetchall()
    assert billed == [("Cliente 450",)]


async def test_another_orgs_customer_is_never_offered(owner, many, make_app, client_for):
    other = await owner_of(make_app, client_for, org="Otra")
    try:
        found = await other.get(
            f"{BASE}/invoices/customer-options",
            params={"customer_q": "Cliente", "customer_id": many["Cliente 450"]},
        )
    finally:
        await other.aclose()
    assert found.status_code == 200
    assert options(found.text) == []
