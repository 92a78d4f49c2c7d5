"""Finance's settings page: the invoice prefix, default terms and payment instructions saved in
one form; bad input is refused in the visitor's language, keeps what was typed and saves
nothing; a member (who may not change the business's settings) is refused; the next invoice
sent takes the new prefix."""

from __future__ import annotations

import pytest

from tests.integration.test_finance_pages import (
    BASE,
    customer,
    draft,
    org_of,
    owner_of,
    post,
    text_of,
)
from tests.integration.test_shell_settings import member_in
from tests.support.db import as_org

pytestmark = pytest.mark.integration

HERE = f"{BASE}/settings"


def stored(owner_conn, org_id) -> tuple[object, ...]:
    with as_org(owner_conn, org_id):
        numbers = owner_conn.execute(
            "select invoice_prefix, default_payment_terms_days from finance_settings"
        ).fetchone()
        instructions = owner_conn.execute(
            "select payment_instructions from finance_document_settings"
        ).fetchone()
    return (
        *(numbers or ("INV-", 30)),
        instructions[0] if instructions else None,
    )


async def test_saving_the_settings_and_the_next_invoice_takes_the_new_prefix(
    make_app, client_for, owner_conn
):
    owner = await owner_of(make_app, client_for, org="Bluebird Plumbing")
    org_id = org_of(owner_conn, owner)
    first = await draft(owner, await customer(owner))
    await post(owner, f"{BASE}/invoices/{first}/send", {}, page=f"{BASE}/invoices/{first}")

    shown = await owner.get(HERE)
    assert shown.status_code == 200
    page = text_of(shown.text)
    assert "A new prefix applies to invoices sent from now on" in page
    assert "The next invoice sent will be numbered INV-0002." in page
    assert 'href="/c/finance/settings"' in shown.text  # the tab (and the sidebar's page)

    saved = await post(
        owner,
        HERE,
        {
            "invoice_prefix": "BB/2026-",
            "default_payment_terms_days": "15",
            "payment_instructions": "CLABE 012180001234567891\nBBVA México",
        },
        page=HERE,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == HERE
    assert stored(owner_conn, org_id) == (
        "BB/2026-",
        15,
        "CLABE 012180001234567891\nBBVA México",
    )
    after = text_of((await owner.get(HERE)).text)
    assert "Finance settings saved." in after
    assert "The next invoice sent will be numbered BB/2026-0002." in after

    # The invoice already sent keeps its number; the next one sent takes the new prefix.
    second = await draft(owner, await customer(owner, "Otro Cliente"))
    sent = await post(owner, f"{BASE}/invoices/{second}/send", {}, page=f"{BASE}/invoices/{second}")
    assert sent.status_code == 303
    assert "Invoice BB/2026-0002" in text_of((await owner.get(f"{BASE}/invoices/{second}")).text)
    assert "Invoice INV-0001" in text_of((await owner.get(f"{BASE}/invoices/{first}")).text)
    await owner.aclose()


async def test_bad_settings_are_refused_in_spanish_keep_what_was_typed_and_save_nothing(
    make_app, client_for, owner_conn
):
    owner = await owner_of(make_app, client_for, org="Panadería Sol", language="es")
    org_id = org_of(owner_conn, owner)
    before = stored(owner_conn, org_id)

    refused = await post(
        owner,
        HERE,
        {
            "invoice_prefix": "FAC#<2026>",
            "default_payment_terms_days": "400",
            "payment_instructions": "Transferencia a BBVA",
        },
        page=HERE,
    )

    assert refused.status_code == 422
    page = text_of(refused.text)
    assert "Usa como máximo 20 letras, dígitos, espacios o los caracteres / . _ -" in page
    assert "Escribe un número de días de 0 a 365." in page
    assert 'value="FAC#&lt;2026&gt;"' in refused.text
    assert 'value="400"' in refused.text
    assert "Transferencia a BBVA" in page
    assert stored(owner_conn, org_id) == before
    await owner.aclose()


async def test_a_member_cannot_change_the_settings(make_app, client_for, owner_conn):
    owner = await owner_of(make_app, client_for, org="Bluebird Plumbing")
    org_id = org_of(owner_conn, owner)
    member = await member_in(make_app, client_for, owner_conn, org_id)
    before = stored(owner_conn, org_id)

    shown = await member.get(HERE)
    assert shown.status_code == 200
    assert "Only the organization's owners and admins can change these settings." in text_of(
        shown.text
    )
    refused = await post(
        member,
        HERE,
        {"invoice_prefix": "X-", "default_payment_terms_days": "5", "payment_instructions": "No"},
        page=HERE,
    )

    assert refused.status_code == 403
    assert "Your role does not allow this." in text_of(refused.text)
    assert stored(owner_conn, org_id) == before
    await member.aclose()
    await owner.aclose()
