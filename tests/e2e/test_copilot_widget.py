"""The co-pilot widget in a real Chromium, with the strategy and finance agent workers running
on the offline model: the right co-pilot per page (also after an htmx navigation), a dragged
button that keeps its place after a reload, the keyboard shortcut, a quick answer streamed
into the overlay, the panel and full modes (side kept on the account, focus held in full),
an inline error with retry when a category's worker is down, a 360 px screen, and the whole
widget in Spanish for a Spanish-speaking owner."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest

from tests.e2e.test_shell_journey import (
    serious_accessibility_problems,
    shot,
    sign_up,
    sign_up_and_set_up,
)
from tests.e2e.test_shell_roadmap import settled
from tests.e2e.test_strategy_interview import set_up_org
from xentri.ai.config import AiSettings
from xentri.kernel.dataplane import DataPlane

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def agent_workers(servers) -> Iterator[None]:
    """The strategy and finance workers, as `xentri serve` runs them, in a thread of their own
    (Playwright's sync API keeps an event loop in the test's thread). Sales has none: its
    co-pilot is down."""
    from xentri.runtime import run_agent_workers

    plane = DataPlane(
        owner_database_url=servers.owner_url,
        app_database_url=servers.app_url,
        system_database_url=servers.system_url,
        redis_url=servers.redis_url,
        roles=servers.roles,
    )
    ready = threading.Event()
    holder: dict[str, object] = {}

    async def main() -> None:
        stop = asyncio.Event()
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), stop
        ready.set()
        await run_agent_workers(
            stop,
            plane=plane,
            ai_settings=AiSettings(llm_provider="offline", agent_heartbeat_seconds=3),
            categories=["strategy", "finance"],
        )

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(30)
    yield
    loop, stop = holder["loop"], holder["stop"]
    loop.call_soon_threadsafe(stop.set)  # type: ignore[attr-defined]
    thread.join(timeout=30)


def widget_name(page) -> str:
    return page.locator("#copilot").get_attribute("data-name")


def launcher_box(page) -> dict[str, float]:
    box = page.locator("[data-copilot-launcher]").bounding_box()
    return {"x": round(box["x"]), "y": round(box["y"])}


def test_the_widget_summons_the_pages_copilot_and_keeps_its_place(page, live_server, agent_workers):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    person = {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, person, org="Panadería Sol")

    # Given a finance page and a strategy page, each names its own co-pilot
    page.goto(f"{live_server}/c/finance")
    launcher = page.locator("[data-copilot-launcher]")
    launcher.wait_for()
    assert widget_name(page) == "Finance Co-pilot"
    assert "Finance Co-pilot" in launcher.get_attribute("title")
    page.goto(f"{live_server}/c/strategy")
    assert widget_name(page) == "Strategy Co-pilot"

    # An htmx navigation from the sidebar swaps only the content: the widget follows it
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Finance").click()
    page.wait_for_url(f"{live_server}/c/finance")
    settled(page)
    page.wait_for_function(
        "() => document.querySelector('#copilot').dataset.name === 'Finance Co-pilot'"
    )
    assert page.locator("#copilot").get_attribute("data-scope") == "category.finance"

    # When the button is dragged, it stays where it was dropped after a reload
    start = launcher.bounding_box()
    page.mouse.move(start["x"] + 20, start["y"] + 20)
    page.mouse.down()
    page.mouse.move(300, 250, steps=8)
    page.mouse.move(320, 260, steps=4)
    page.mouse.up()
    dropped = launcher_box(page)
    assert dropped != {"x": round(start["x"]), "y": round(start["y"])}
    assert page.locator("[data-copilot-quick]").is_hidden()  # a drag is not a click
    page.reload()
    launcher.wait_for()
    assert launcher_box(page) == dropped

    # The keyboard shortcut opens the quick overlay with the focus in it; Escape closes it
    page.locator("#content").focus()
    page.keyboard.press("Control+.")
    quick = page.locator("[data-copilot-quick]")
    quick.wait_for()
    assert page.evaluate("document.activeElement.id") == "copilot-quick-question"
    # ... beside the dragged button, not in the corner it started from
    button, overlay = launcher.bounding_box(), quick.bounding_box()
    assert overlay["x"] < button["x"] + button["width"]
    assert button["x"] < overlay["x"] + overlay["width"]
    gap = min(
        abs(button["y"] - (overlay["y"] + overlay["height"])),
        abs(overlay["y"] - (button["y"] + button["height"])),
    )
    assert gap <= 16
    assert serious_accessibility_problems(page) == []
    page.keyboard.press("Escape")
    quick.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.hasAttribute('data-copilot-launcher')")

    # A quick question streams its answer into the overlay, in the page's co-pilot
    page.keyboard.press("Control+.")
    page.get_by_label("Ask a quick question").fill("How many invoices did I send?")
    page.get_by_role("button", name="Ask", exact=True).click()
    answer = page.locator("[data-copilot-quick-answer]")
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-copilot-quick-answer]');"
        " return a.textContent && a.textContent !== 'Thinking…'"
        " && !document.querySelector('[data-copilot-quick-form]').hasAttribute('aria-busy'); }"
    )
    assert answer.inner_text().strip() != ""
    assert page.locator("[data-copilot-error] [role=alert]").count() == 0
    shot(page, "copilot-quick")
    assert errors == []


def test_panel_full_and_errors(page, live_server, agent_workers):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    person = {"name": "Bea", "email": f"bea-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, person, org="Taller Norte")
    page.goto(f"{live_server}/c/strategy")
    widget = page.locator("#copilot")

    # Panel: the chat docks right; the person moves it to the bottom, which their account keeps
    page.locator("[data-copilot-launcher]").click()
    page.get_by_role("button", name="Open the chat").click()
    panel = page.locator("[data-copilot-panel]")
    panel.wait_for()
    assert widget.get_attribute("data-state") == "panel"
    assert widget.get_attribute("data-side") == "right"
    with page.expect_response("**/api/v1/users/me/copilot-widget") as saved:
        page.get_by_role("button", name="Dock to the bottom").click()
    assert saved.value.status == 200
    page.reload()
    panel.wait_for()  # the open state lasts for the browser session
    page.wait_for_function("() => document.querySelector('#copilot').dataset.side === 'bottom'")
    assert page.get_by_role("button", name="Dock to the right").is_visible()
    assert serious_accessibility_problems(page) == []

    # Full: the chat replaces the main section and holds the focus
    page.get_by_role("button", name="Full screen").click()
    assert widget.get_attribute("data-state") == "full"
    assert page.locator("#main").is_hidden()
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.querySelector('[data-copilot-panel]').contains(document.activeElement)"
        )

    # A message in a new conversation streams in and the conversation is listed with its title
    page.get_by_label("Your message").fill("What happened recently?")
    page.get_by_role("button", name="Send").click()
    reply = page.locator(".copilot__message--assistant").last
    page.wait_for_function(
        "() => { const f = document.querySelector('[data-copilot-chat-form]');"
        " const m = [...document.querySelectorAll('.copilot__message--assistant .copilot__text')];"
        " return m.length && !f.hasAttribute('aria-busy'); }"
    )
    assert "xentri.org.created.v1" in reply.inner_text()
    thread = page.get_by_label("Conversation")
    assert thread.locator("option:checked").inner_text() == "What happened recently?"
    shot(page, "copilot-full")
    page.keyboard.press("Escape")
    assert widget.get_attribute("data-state") == "collapsed"
    assert page.locator("#main").is_visible()

    # The history is there when the chat opens again
    page.keyboard.press("Control+.")  # back to the last open mode: full
    page.get_by_role("button", name="Exit full screen").click()
    thread.select_option(label="What happened recently?")
    page.locator(".copilot__message--user").first.wait_for()
    assert (
        page.locator(".copilot__message--user")
        .first.inner_text()
        .endswith("What happened recently?")
    )
    page.keyboard.press("Escape")

    # Sales has no worker running: the error is inline, in words, with a retry; tools still work
    page.goto(f"{live_server}/c/sales")
    page.keyboard.press("Control+.")  # the last open mode again: the panel
    panel.wait_for()
    page.get_by_label("Your message").fill("How many leads?")
    page.get_by_role("button", name="Send").click()
    alert = page.locator("[data-copilot-error] [role=alert]")
    alert.wait_for()
    assert "temporarily unavailable" in alert.inner_text()
    assert "Traceback" not in alert.inner_text()
    assert alert.get_by_role("button", name="Try again").is_visible()
    assert page.get_by_role("heading", name="Sales", level=1).is_visible()
    assert errors == []


def test_the_panel_is_a_bottom_sheet_on_a_360_px_screen(page, live_server, agent_workers):
    person = {"name": "Cata", "email": f"cata-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, person, org="Florería Luz")
    page.set_viewport_size({"width": 360, "height": 740})
    # The panel slides in over 120 ms (translateY): measured mid-way its bottom edge sat a few
    # pixels below the window. Measure where it rests.
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server}/c/finance")
    page.locator("[data-copilot-launcher]").click()
    page.get_by_role("button", name="Open the chat").click()
    panel = page.locator("[data-copilot-panel]")
    panel.wait_for()

    # A bottom sheet across the screen, whatever side was chosen: its edges are the window's.
    edges = page.evaluate(
        "() => { const r = document.querySelector('[data-copilot-panel]').getBoundingClientRect();"
        " return [r.left, r.right, r.bottom, document.documentElement.clientWidth, innerHeight]; }"
    )
    left, right, bottom, width, height = edges
    assert (left, round(right), round(bottom)) == (0, width, round(height))
    assert serious_accessibility_problems(page) == []
    shot(page, "copilot-360")


def test_the_widget_speaks_the_owners_spanish(page, live_server, agent_workers):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_up(page, live_server, {"name": "Lupe", "email": f"lupe-{uuid.uuid4().hex[:8]}@ejemplo.mx"})
    set_up_org(page, live_server, "Panadería Sol", "es")

    # The finance page's co-pilot, named in Spanish, answers a Spanish question in Spanish
    page.goto(f"{live_server}/c/finance")
    launcher = page.locator("[data-copilot-launcher]")
    launcher.wait_for()
    assert widget_name(page) == "Copiloto de Finanzas"
    page.locator("#content").focus()
    page.keyboard.press("Control+.")
    page.get_by_label("Haz una pregunta rápida").fill("¿Quién me debe dinero?")
    page.get_by_role("button", name="Preguntar", exact=True).click()
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-copilot-quick-answer]');"
        " return a.textContent && a.textContent !== 'Pensando…'"
        " && !document.querySelector('[data-copilot-quick-form]').hasAttribute('aria-busy'); }"
    )
    answer = page.locator("[data-copilot-quick-answer]").inner_text()
    assert "Nadie te debe dinero" in answer
    assert page.locator("[data-copilot-error] [role=alert]").count() == 0
    assert serious_accessibility_problems(page) == []
    assert errors == []
