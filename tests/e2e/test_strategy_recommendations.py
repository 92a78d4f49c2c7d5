"""The Recommendations page in a real Chromium with JavaScript switched off: after the Brief is
approved the owner sees the modules to start with and a rewrite of a vague goal, uses that
wording, is told the Brief is being edited again, follows the link and approves it; the page
then has nothing left to sharpen."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_shell_journey import serious_accessibility_problems, shot, sign_up
from tests.e2e.test_strategy_interview import set_up_org

pytestmark = pytest.mark.e2e

DRAFT = {
    "identity": {"name": "Café Luna", "locations": [{"city": "Oaxaca", "country": "MX"}]},
    "offerings": [{"name": "Latte", "price_minor": 4500, "currency": "MXN", "unit": "cup"}],
    "goals": [
        {"statement": "More customers", "metric": "customers", "target": "50",
         "deadline": "2027-06-30"},
        {"statement": "Be better known"},
    ],
}  # fmt: skip


def approve_through_the_api(page, live_server: str) -> None:
    """The Brief as the interview would leave it, approved (the interview has its own test)."""
    csrf = page.locator("#copilot").get_attribute("data-csrf")
    headers = {"x-csrf-token": csrf}
    put = page.request.put(
        f"{live_server}/api/v1/strategy/brief/draft", data=DRAFT, headers=headers
    )
    assert put.ok, put.text()
    for action in ("ready", "approve"):
        done = page.request.post(
            f"{live_server}/api/v1/strategy/brief/flow/{action}", headers=headers
        )
        assert done.ok, done.text()


def test_start_here_without_javascript(browser, live_server):
    person = {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}
    with_scripts = browser.new_context()
    page = with_scripts.new_page()
    try:
        sign_up(page, live_server, person)
        set_up_org(page, live_server, "Café Luna", "en")
        page.goto(f"{live_server}/c/strategy/recommendations")
        assert page.get_by_text("No recommendations yet").is_visible()
        approve_through_the_api(page, live_server)
        page.goto(f"{live_server}/c/strategy/recommendations")
        # axe-core runs in the page, so this check needs scripts on.
        assert serious_accessibility_problems(page) == []
        signed_in = with_scripts.storage_state()
    finally:
        with_scripts.close()

    context = browser.new_context(java_script_enabled=False, storage_state=signed_in)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/c/strategy/brief")
        page.locator(".strategy-tabs").get_by_role("link", name="Recommendations").click()
        page.wait_for_url(f"{live_server}/c/strategy/recommendations")
        assert page.get_by_text("You sell Latte: invoice it and get paid on time.").is_visible()
        assert page.get_by_text("Reach 50 customers by 30 June 2027").first.is_visible()
        shot(page, "strategy-20-start-here-en")

        page.get_by_role("button", name="Use this wording for “More customers”").click()
        page.wait_for_url(f"{live_server}/c/strategy/recommendations?applied=0#applied")
        assert page.locator("#applied").is_visible()
        assert page.get_by_text("In the draft").is_visible()
        shot(page, "strategy-21-wording-used-en")

        page.get_by_role("link", name="Check it and approve it on the Brief page.").click()
        page.wait_for_url(f"{live_server}/c/strategy/brief")
        page.locator("form[action='/c/strategy/brief/approve'] button").click()
        page.wait_for_url(f"{live_server}/c/strategy/brief")

        page.goto(f"{live_server}/c/strategy/recommendations")
        # Version 2 says its number and date: only the goal without them is left.
        assert page.get_by_text("version 2 of the Brief").is_visible()
        assert page.get_by_role("button", name="Use this wording for “More customers”").count() == 0
        assert page.get_by_text("To make “Be better known” measurable").is_visible()
    finally:
        context.close()
