"""'Get a public link' on the invoice page: post/redirect/get, so reloading the page shows the
new link no more and issues no other one, while the page it redirects to shows the link once;
a cookie someone else set never puts a link on the page."""

from __future__ import annotations

import re

import pytest

from tests.integration.test_finance_pages import BASE, customer, draft, org_of, owner_of, post
from tests.support.db import as_org

pytestmark = pytest.mark.integration

SHOWN = re.compile(r'id="public-link" value="[^"]*(/i/[A-Za-z0-9_-]+)"')


@pytest.fixture
async def owner(make_app, client_for):
    client = await owner_of(make_app, client_for, org="Bluebird Plumbing")
    yield client
    await client.aclose()


def links(owner_conn, org_id) -> list[tuple[str, bool]]:
    with as_org(owner_conn, org_id):
        return owner_conn.execute(
            "select purpose, revoked_at is null from finance_invoice_links order by created_at"
        ).fetchall()


async def sent_invoice(client) -> str:
    invoice_id = await draft(client, await customer(client))
    here = f"{BASE}/invoices/{invoice_id}"
    sent = await post(client, f"{here}/send", {}, page=here)
    assert sent.status_code == 303, sent.text
    return here


async def test_the_new_link_is_shown_once_after_a_redirect_and_a_reload_makes_none(
    owner, owner_conn
):
    org_id = org_of(owner_conn, owner)
    here = await sent_invoice(owner)
    before = links(owner_conn, org_id)  # the emailed invoice's own link, if any

    issued = await post(owner, f"{here}/link", {}, page=here)

    # Post/redirect/get: the POST answers with a redirect to the invoice's page...
    assert issued.status_code == 303
    assert issued.headers["location"] == here
    assert "/i/" not in issued.text
    # ...which shows the one new link, once.
    shown = await owner.get(here)
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    found = SHOWN.search(shown.text)
    assert found is not None
    assert (await owner.get(found.group(1))).status_code == 200  # it opens the invoice
    after = links(owner_conn, org_id)
    assert after.count(("shared", True)) == 1
    assert len(after) == len(before) + 1

    # Reloading (twice) shows it no more and issues no other link.
    for _ in range(2):
        again = await owner.get(here)
        assert again.status_code == 200
        assert SHOWN.search(again.text) is None
    assert links(owner_conn, org_id) == after


async def test_a_token_in_the_cookie_that_is_not_this_persons_new_link_shows_nothing(
    owner, owner_conn
):
    here = await sent_invoice(owner)
    # A made-up token, and a real one of another invoice, put in the cookie by hand.
    owner.cookies.set("xentri_new_link", "A" * 43, path=here)
    forged = await owner.get(here)
    other = await sent_invoice(owner)
    assert (await post(owner, f"{other}/link", {}, page=other)).status_code == 303
    other_token = owner.cookies.get("xentri_new_link", path=other)
    owner.cookies.set("xentri_new_link", other_token, path=here)
    borrowed = await owner.get(here)

    assert forged.status_code == borrowed.status_code == 200
    assert SHOWN.search(forged.text) is None
    assert SHOWN.search(borrowed.text) is None
    # The other invoice's page still shows its own link.
    assert SHOWN.search((await owner.get(other)).text) is not None
