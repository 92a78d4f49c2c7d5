"""The shell's browser behaviour: without JavaScript, dark theme, prefetch, collapsing, a11y."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_shell_journey import (
    log_in,
    serious_accessibility_problems,
    shot,
    sign_up,
    sign_up_and_set_up,
)
from tests.support.identity import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def person():
    return {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}


def test_the_forms_work_with_javascript_disabled(browser, live_server, person):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/signup")
        page.get_by_role("button", name="Create account").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Enter your name.").is_visible()
        sign_up(page, live_server, person)
        assert page.get_by_role("heading", name="Welcome, Ana").is_visible()

        page.locator("summary[data-language-menu]").click()
        page.get_by_role("button", name="Español").click()
        page.wait_for_url(f"{live_server}/welcome/profile")
        assert page.get_by_text("Te damos la bienvenida, Ana").is_visible()
        # The wizard is plain forms: without scripts the time zone starts at UTC.
        page.get_by_role("button", name="Continuar").click()
        page.get_by_label("Nombre de la organización").fill("Café sin JS")
        page.get_by_role("button", name="Continuar").click()
        page.get_by_role("button", name="Terminar").click()
        page.wait_for_url(f"{live_server}/dashboard")
        assert page.get_by_role("heading", name="Café sin JS").is_visible()
        page.goto(f"{live_server}/c/brand")
        assert page.get_by_role("heading", name="Marca", level=1).is_visible()
        shot(page, "10-no-js-brand-es")

        page.get_by_label("Menú de la cuenta de Ana").click()
        page.get_by_role("button", name="Cerrar sesión").click()
        page.wait_for_url(f"{live_server}/login")
        page.get_by_label("Correo electrónico").fill(person["email"])
        page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Iniciar sesión").click()
        page.wait_for_url(f"{live_server}/dashboard")
    finally:
        context.close()


def test_the_dark_theme_is_kept_and_stays_readable(page, live_server, person):
    sign_up_and_set_up(page, live_server, person)
    toggle = page.get_by_role("button", name="Switch to dark theme")

    toggle.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    page.reload()

    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert page.get_by_role("button", name="Switch to light theme").is_visible()
    shot(page, "11-dashboard-dark")
    assert serious_accessibility_problems(page) == []


def test_sidebar_links_prefetch_on_hover_and_on_keyboard_focus(page, live_server, person):
    sign_up_and_set_up(page, live_server, person)
    nav = page.get_by_role("navigation", name="Main")

    def prefetch_of(path: str):
        return lambda request: (
            request.url == f"{live_server}{path}" and request.headers.get("hx-preloaded") == "true"
        )

    with page.expect_request(prefetch_of("/c/brand")):
        nav.get_by_role("link", name="Brand").hover()
    with page.expect_request(prefetch_of("/c/sales")):
        nav.get_by_role("link", name="Sales").focus()

    nav.get_by_role("link", name="Brand").click()
    page.wait_for_url(f"{live_server}/c/brand")
    assert page.get_by_role("heading", name="Brand", level=1).is_visible()


def test_the_sidebar_collapses_and_remembers(page, live_server, person):
    sign_up_and_set_up(page, live_server, person)
    toggle = page.get_by_role("button", name="Show or hide the navigation")
    assert toggle.get_attribute("aria-expanded") == "true"

    toggle.click()

    assert toggle.get_attribute("aria-expanded") == "false"
    # The sidebar's own label: the landing Pulse may name the category too.
    sidebar = page.locator("#sidebar")
    assert not sidebar.get_by_text("Operations", exact=True).is_visible()
    page.reload()
    assert sidebar.get_attribute("data-collapsed") == "true"
    page.get_by_role("button", name="Show or hide the navigation").click()
    assert sidebar.get_by_text("Operations", exact=True).is_visible()


@pytest.mark.parametrize("width", [1280, 360])
def test_no_serious_accessibility_problems_on_the_shells_pages(browser, live_server, width):
    person = {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        signed_out = (
            "/signup",
            "/login",
            "/forgot-password",
            "/reset-password?token=x",
            "/verify-email?token=x",
            "/invitations/accept?token=x",
            "/no-such-page",
        )
        for path in signed_out:
            page.goto(f"{live_server}{path}")
            found[path] = serious_accessibility_problems(page)
            shot(page, f"12-{width}-" + path.strip("/").split("?")[0].replace("/", "-"))
        sign_up(page, live_server, person)
        for step in ("profile", "organization", "region"):
            page.goto(f"{live_server}/welcome/{step}")
            found[f"/welcome/{step}"] = serious_accessibility_problems(page)
            shot(page, f"12-{width}-welcome-{step}")
            if step == "organization":
                page.get_by_label("Organization name").fill("Café")
            if step != "region":
                page.get_by_role("button", name="Continue").click()
                page.wait_for_load_state("load")
        page.get_by_role("button", name="Finish").click()
        page.wait_for_url(f"{live_server}/dashboard")
        page.get_by_label("Account menu for Ana").click()
        page.get_by_role("button", name="Log out").click()
        log_in(page, live_server, person)
        for path in ("/dashboard", "/c/strategy", "/notifications", "/orgs/new"):
            page.goto(f"{live_server}{path}")
            found[path] = serious_accessibility_problems(page)
            shot(page, f"12-{width}-" + path.strip("/").replace("/", "-"))
    finally:
        context.close()
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_a_skeleton_shows_while_the_content_loads(page, live_server, person):
    sign_up_and_set_up(page, live_server, person)
    held = []

    def hold(route) -> None:  # Playwright wants a Python function, not a bound builtin
        held.append(route)

    page.route("**/c/finance", hold)
    skeleton = page.locator("#content-skeleton")
    assert not skeleton.is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Finance").click()

    skeleton.wait_for(state="visible")
    assert not page.locator("#content").is_visible()
    shot(page, "13-skeleton")
    # The hover's prefetch and the click's request are both held here: let them all go.
    for route in held:
        route.continue_()
    page.unroute("**/c/finance")
    page.get_by_role("heading", name="Finance", level=1).wait_for()
    assert not skeleton.is_visible()
