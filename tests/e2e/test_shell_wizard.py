"""The first-run wizard in a real Chromium: the browser's time zone is the default, and a person
who closes the browser halfway resumes at the step they had reached."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_shell_journey import serious_accessibility_problems, shot, sign_up
from tests.support.identity import PASSWORD

pytestmark = pytest.mark.e2e


def test_the_wizard_resumes_after_closing_halfway(browser, live_server):
    person = {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}
    first = browser.new_context(timezone_id="America/Bogota")
    try:
        # Given a new owner in Bogotá who answers the first two steps
        page = first.new_page()
        sign_up(page, live_server, person)
        assert page.get_by_text("Step 1 of 3").is_visible()
        assert page.get_by_text(person["email"], exact=True).is_visible()  # pre-filled, shown
        shot(page, "30-wizard-profile")
        assert serious_accessibility_problems(page) == []
        page.get_by_label("Your name").fill("Ana Gómez")
        page.get_by_label("Phone").fill("+57 300 123 4567")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server}/welcome/organization")
        page.get_by_label("Organization name").fill("Tienda Andina")
        page.get_by_label("Industry").select_option("retail")
        page.get_by_label("Team size").select_option("2-10")
        shot(page, "31-wizard-organization")
        assert serious_accessibility_problems(page) == []
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server}/welcome/region")
    finally:
        # When they close the browser before the last step
        first.close()

    second = browser.new_context(timezone_id="America/Bogota")
    try:
        page = second.new_page()
        page.goto(f"{live_server}/login")
        page.get_by_label("Email").fill(person["email"])
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        # Then signing in again brings them back to the step they reached, with its guesses
        page.wait_for_url(f"{live_server}/welcome/region")
        assert page.get_by_label("Time zone").input_value() == "America/Bogota"
        assert page.get_by_label("Currency").input_value() == "COP"
        shot(page, "32-wizard-region")
        assert serious_accessibility_problems(page) == []
        page.get_by_role("link", name="Back").click()
        page.wait_for_url(f"{live_server}/welcome/organization")
        assert page.get_by_label("Organization name").input_value() == "Tienda Andina"
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server}/welcome/region")
        page.get_by_label("Language", exact=True).and_(page.locator("select")).select_option("es")
        page.get_by_role("button", name="Finish").click()

        # and finishing lands on the dashboard, in the language they chose
        page.wait_for_url(f"{live_server}/dashboard")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_role("heading", name="Tienda Andina").is_visible()
        assert page.get_by_text("Todo listo. Te damos la bienvenida a Xentri.").is_visible()
        shot(page, "33-wizard-done-es")
    finally:
        second.close()
