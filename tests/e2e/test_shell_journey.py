"""A person's first visit in a real Chromium: sign up, confirm the email from the dev mailbox,
log out and in, find their way around, switch to Spanish, log out; and the same at 360 px."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.support.identity import PASSWORD

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"shell-{name}.png"), full_page=True)


def serious_accessibility_problems(page) -> list[str]:
    """axe-core (from npm) run in the page; only serious and critical findings count."""
    # Evaluated through the DevTools protocol: our CSP rightly refuses an injected <script>.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']})"
        for v in result
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def person():
    return {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}


def sign_up(page, live_server: str, person: dict[str, str]) -> None:
    page.goto(f"{live_server}/signup")
    page.get_by_label("Your name").fill(person["name"])
    page.get_by_label("Email").fill(person["email"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # A new account continues in the first-run wizard.
    page.wait_for_url(f"{live_server}/welcome/profile")


def set_up(page, live_server: str, org: str = "Café Oaxaca") -> None:
    """Walk the first-run wizard with its guesses kept, from its first step to the dashboard."""
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/welcome/organization")
    page.get_by_label("Organization name").fill(org)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/welcome/region")
    page.get_by_role("button", name="Finish").click()
    page.wait_for_url(f"{live_server}/dashboard")


def sign_up_and_set_up(page, live_server: str, person: dict[str, str], org: str = "Café Oaxaca"):
    sign_up(page, live_server, person)
    set_up(page, live_server, org)


def log_in(page, live_server: str, person: dict[str, str]) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(person["email"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/dashboard")


def test_sign_up_to_spanish_dashboard_and_out(page, live_server, person):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Any failed response but /favicon.ico, which only the dev mailbox page (no icon) asks for.
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )

    # Given a new visitor, when they sign up
    page.goto(f"{live_server}/signup")
    shot(page, "01-signup")
    assert serious_accessibility_problems(page) == []
    sign_up(page, live_server, person)
    assert page.get_by_role("heading", name="Welcome, Ana").is_visible()
    assert page.get_by_text("Your account is ready.").is_visible()

    # they confirm their email from the link in the dev mailbox
    page.goto(f"{live_server}/dev/mailbox")
    mail = page.locator("article", has_text=person["email"])
    mail.locator('a[href*="/verify-email?token="]').first.click()
    page.get_by_role("button", name="Confirm my email").wait_for()
    shot(page, "01b-verify-email")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Confirm my email").click()
    page.wait_for_url(f"{live_server}/welcome/profile")
    assert page.get_by_text("Your email is confirmed.").is_visible()

    # set up their organization in the wizard, log out and back in
    set_up(page, live_server, "Café Oaxaca")
    page.get_by_label("Account menu for Ana").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/login")
    assert page.get_by_text("You are signed out.").is_visible()
    shot(page, "02-login")
    log_in(page, live_server, person)

    # and see the empty dashboard: their Strategy Pulse, which says where to start
    assert page.get_by_role("heading", name="Café Oaxaca").is_visible()
    assert page.get_by_text("Nothing in your briefing yet").is_visible()
    assert page.get_by_text("Online", exact=True).is_visible()
    shot(page, "03-dashboard")
    assert serious_accessibility_problems(page) == []

    # the sidebar swaps the content, keeps the URL and the back button right
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Finance").click()
    page.wait_for_url(f"{live_server}/c/finance")
    assert page.get_by_role("heading", name="Finance", level=1).is_visible()
    assert nav.get_by_role("link", name="Finance").get_attribute("aria-current") == "page"
    assert page.title() == "Finance · Xentri"
    shot(page, "04-finance")
    page.go_back()
    page.wait_for_url(f"{live_server}/dashboard")
    page.get_by_role("heading", name="Café Oaxaca").wait_for()

    # switch to Spanish and see Spanish, kept on the account
    page.locator("summary[data-language-menu]").click()
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_text("Idioma cambiado.").is_visible()
    nav = page.get_by_role("navigation", name="Principal")
    assert nav.get_by_role("link", name="Finanzas").is_visible()
    assert page.get_by_text("Tu resumen todavía está vacío").is_visible()
    shot(page, "05-dashboard-es")
    assert serious_accessibility_problems(page) == []

    # and log out, in Spanish
    page.get_by_label("Menú de la cuenta de Ana").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(f"{live_server}/login")
    assert page.get_by_role("heading", name="Inicia sesión en Xentri").is_visible()
    assert errors == []


def test_a_failed_navigation_shows_an_inline_error_with_retry(page, live_server, person):
    sign_up_and_set_up(page, live_server, person)
    page.route(re.compile(r".*/c/legal$"), lambda route: route.fulfill(status=503, body="down"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Legal").click()

    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "We could not load this page." in alert.inner_text()
    shot(page, "06-load-error")
    page.unroute(re.compile(r".*/c/legal$"))
    page.get_by_role("button", name="Try again").click()
    page.get_by_role("heading", name="Legal", level=1).wait_for()
    assert page.url == f"{live_server}/c/legal"


def test_pages_fit_a_360px_screen_without_sideways_scrolling(browser, live_server, person):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        for path in ("/signup", "/login", "/forgot-password"):
            page.goto(f"{live_server}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        shot(page, "07-forgot-360")
        sign_up(page, live_server, person)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "/welcome/profile"
        set_up(page, live_server)
        for path in ("/dashboard", "/c/operations", "/notifications", "/orgs/new"):
            page.goto(f"{live_server}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
            shot(page, "08-" + path.strip("/").replace("/", "-") + "-360")
        assert (
            page.get_by_role("navigation", name="Main")
            .get_by_role("link", name="Team")
            .is_visible()
        )
    finally:
        context.close()


def test_the_frame_is_usable_from_the_keyboard(page, live_server, person):
    sign_up_and_set_up(page, live_server, person)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Sales").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/c/sales")
    assert page.get_by_role("heading", name="Sales", level=1).is_visible()
    outline = page.evaluate(
        "() => { const link = document.querySelector('#sidebar a[href=\"/c/brand\"]');"
        " link.focus(); return getComputedStyle(link).outlineStyle; }"
    )
    assert outline == "solid"
