"""The Pulse in a real Chromium: dismissing an item hides it for that person only, a new item
appears on an open Pulse page (and the badge counts it) without a reload, and an item its
producer withdraws leaves the open page and the badge without a reload."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest

from tests.e2e.test_shell_journey import sign_up, sign_up_and_set_up
from tests.support.identity import add_member
from tests.support.pulse import seed_item, withdraw
from xentri.kernel.db.engine import create_engine

pytestmark = pytest.mark.e2e


def in_thread(work) -> object:
    """Run a coroutine from another thread: Playwright's sync API keeps a loop in this one."""
    found: list[object] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            found.append(asyncio.run(work()))
        except Exception as exc:  # noqa: BLE001 - re-raised below, in the test's thread
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    if failure:
        raise failure[0]
    return found[0]


def seed(servers, org_id, **fields) -> uuid.UUID:
    async def work():
        engine = create_engine(servers.app_url, pool_size=1)
        try:
            return await seed_item(engine, org_id, **fields)
        finally:
            await engine.dispose()

    return in_thread(work)  # type: ignore[return-value]


def take_back(servers, org_id, key: str) -> list[uuid.UUID]:
    async def work():
        engine = create_engine(servers.app_url, pool_size=1)
        try:
            return await withdraw(engine, org_id, key)
        finally:
            await engine.dispose()

    return in_thread(work)  # type: ignore[return-value]


def org_of(owner_conn, email: str) -> uuid.UUID:
    """The org the person just created (memberships show their own rows by the user setting)."""
    user_id = owner_conn.execute("select id from users where email = %s", (email,)).fetchone()[0]
    with owner_conn.transaction():
        owner_conn.execute("select set_config('app.current_user_id', %s, true)", (str(user_id),))
        return owner_conn.execute(
            "select org_id from memberships where user_id = %s", (user_id,)
        ).fetchone()[0]


def test_dismiss_is_per_person_and_new_items_arrive_live(
    browser, page, live_server, servers, owner_conn
):
    org_name = f"Panadería {uuid.uuid4().hex[:6]}"
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, owner, org=org_name)
    org_id = org_of(owner_conn, owner["email"])
    teammate_context = browser.new_context()
    teammate = teammate_context.new_page()
    mate = {"name": "Adan", "email": f"adan-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up(teammate, live_server, mate)
    mate_id = owner_conn.execute(
        "select id from users where email = %s", (mate["email"],)
    ).fetchone()[0]
    add_member(owner_conn, org_id, mate_id, "admin")
    seed(servers, org_id, scope="category.finance", title="Invoice 12 is overdue")

    # Given both see the item in the Finance Pulse
    page.goto(f"{live_server}/pulse/category.finance")
    teammate.goto(f"{live_server}/pulse/category.finance")
    assert page.get_by_text("Invoice 12 is overdue").is_visible()
    assert teammate.get_by_text("Invoice 12 is overdue").is_visible()

    # When the owner dismisses it, it leaves their page (and stays gone after a reload)
    page.get_by_role("button", name="Dismiss: Invoice 12 is overdue").click()
    page.get_by_text("Invoice 12 is overdue").wait_for(state="detached")
    page.reload()
    assert page.get_by_text("Invoice 12 is overdue").count() == 0
    # ...while the teammate still has it
    teammate.reload()
    assert teammate.get_by_text("Invoice 12 is overdue").is_visible()

    # Given the owner's page listening (the first count arrived), no reload from here on
    page.wait_for_function("() => document.querySelector('[data-pulse-badge]').textContent !== ''")
    page.evaluate("window.__sameDocument = true")

    # When new items are recorded, the open list and the landing badge update by themselves
    seed(servers, org_id, scope="category.finance", title="Payment received from Luna")
    page.get_by_text("Payment received from Luna").wait_for(timeout=15_000)
    seed(servers, org_id, scope="strategy", title="Cash is short next month", importance=1)
    page.wait_for_function(
        "() => document.querySelector('[data-pulse-badge]').textContent === '1'", timeout=15_000
    )

    assert page.evaluate("window.__sameDocument === true")
    assert page.locator("[data-pulse-badge]").is_visible()
    teammate_context.close()


def test_a_withdrawn_item_leaves_the_open_pulse_live(page, live_server, servers, owner_conn):
    owner = {"name": "Olga", "email": f"olga-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, owner, org=f"Panadería {uuid.uuid4().hex[:6]}")
    org_id = org_of(owner_conn, owner["email"])
    key = "finance.invoice_overdue:test"
    seed(servers, org_id, scope="strategy", title="Invoice 7 is overdue", importance=1, key=key)
    seed(servers, org_id, scope="strategy", title="Invoice 8 is overdue", importance=1)

    # Given the owner's CEO briefing open and listening, with both items and the badge at 2
    page.goto(f"{live_server}/pulse/strategy")
    first = page.get_by_role("heading", name="Invoice 7 is overdue")
    assert first.is_visible()
    assert "2 things reached your briefing" in page.locator("[data-pulse-summary]").inner_text()
    page.wait_for_function(
        "() => document.querySelector('[data-pulse-badge]').textContent === '2'", timeout=15_000
    )
    page.evaluate("window.__sameDocument = true")

    # When the producer withdraws the first (its invoice was paid)
    assert len(take_back(servers, org_id, key)) == 1

    # Then it leaves the open page and the badge, without a reload; the other stays
    first.wait_for(state="detached", timeout=15_000)
    page.wait_for_function(
        "() => document.querySelector('[data-pulse-badge]').textContent === '1'", timeout=15_000
    )
    assert page.get_by_role("heading", name="Invoice 8 is overdue").is_visible()
    # ...and the briefing's summary no longer counts it
    summary = page.locator("[data-pulse-summary]").inner_text()
    assert "Invoice 7" not in summary
    assert "Invoice 8 is overdue" in summary
    assert page.evaluate("window.__sameDocument === true")
