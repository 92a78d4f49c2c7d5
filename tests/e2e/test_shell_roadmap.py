"""Voting for a module in a real Chromium: open a planned module's dialog from its category page
(keyboard: focus inside, Escape closes and gives focus back), vote with a use case, and see the
count go up on /roadmap, filtered by category, in English and in Spanish."""

from __future__ import annotations

import asyncio
import re
import threading
import uuid

import pytest

from tests.e2e.test_shell_journey import serious_accessibility_problems, shot, sign_up_and_set_up
from tests.support.catalog import synced

pytestmark = pytest.mark.e2e

MODULE = "legal.privacy_policy"  # planned in modules.yaml


@pytest.fixture
def catalogue(servers) -> None:
    """The shipped catalogue in the live server's database, as `xentri migrate` leaves it.

    Synced from another thread: Playwright's sync API keeps an event loop in this one."""
    failure: list[BaseException] = []

    def sync() -> None:
        try:
            asyncio.run(synced(servers.owner_url))
        except Exception as exc:  # noqa: BLE001 - reported below, in the test's thread
            failure.append(exc)

    worker = threading.Thread(target=sync)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the catalogue sync did not finish"
    if failure:
        raise failure[0]


def settled(page) -> None:
    """Wait until htmx has finished an update: its new links act only once it has processed
    them (a click before that is a plain link, which opens the module's page, not its dialog)."""
    page.wait_for_function(
        "() => window.htmx && !document.querySelector('.htmx-added, .htmx-settling, .htmx-request')"
    )


def votes_on_roadmap(page, live_server: str) -> int:
    page.goto(f"{live_server}/roadmap?category=legal")
    text = page.locator(f'[data-module="{MODULE}"] [data-vote-count]').inner_text()
    return int(re.search(r"\d+", text).group(0))


def test_vote_for_a_planned_module_and_see_it_on_the_roadmap(page, live_server, catalogue):
    person = {"name": "Ana", "email": f"ana-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, person, org="Imprenta Luna")
    before = votes_on_roadmap(page, live_server)

    # Given the Legal page, where the planned module wears its gray "On our radar" badge
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Legal").click()
    page.wait_for_url(f"{live_server}/c/legal")
    settled(page)
    item = page.locator(f'[data-module="{MODULE}"]')
    assert item.locator(".badge--gray").inner_text() == "On our radar"
    link = item.get_by_role("link", name="Privacy policy")

    # When they open it from the keyboard, a modal dialog holds the focus; Escape closes it
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Privacy policy")
    dialog.wait_for()
    assert page.evaluate("document.querySelector('#module-dialog').matches(':modal')")
    assert page.evaluate(
        "document.querySelector('#module-dialog').contains(document.activeElement)"
    )
    assert dialog.get_by_text("On our radar").is_visible()
    assert serious_accessibility_problems(page) == []
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/modules/{MODULE}"

    # and they vote with what they would use it for
    link.click()
    dialog.wait_for()
    dialog.get_by_label("What would you use this for?").fill("A privacy page for our shop")
    dialog.get_by_role("button", name="Vote for Privacy policy").click()
    dialog.get_by_text("Thanks! Your vote is counted.").wait_for()
    assert dialog.get_by_text(f"Votes: {before + 1}").is_visible()
    assert dialog.get_by_text("A privacy page for our shop").is_visible()
    assert dialog.get_by_role("button", name="Withdraw my vote").is_visible()
    shot(page, "60-module-voted")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")

    # Then the roadmap, reached from the sidebar and filtered to Legal, counts the vote
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Roadmap").click()
    page.wait_for_url(f"{live_server}/roadmap")
    settled(page)
    page.get_by_label("Category").select_option("legal")
    page.wait_for_url(f"{live_server}/roadmap?category=legal")
    settled(page)
    row = page.locator(f'[data-module="{MODULE}"]')
    assert page.locator('[data-module="finance.invoicing"]').count() == 0
    assert row.locator("[data-vote-count]").inner_text() == f"Votes: {before + 1}"
    assert row.get_by_text("You voted").is_visible()
    shot(page, "61-roadmap-legal")
    assert serious_accessibility_problems(page) == []

    # a vote from the roadmap's own dialog updates the list behind it, without a reload
    other = page.locator('#roadmap-results [data-module="legal.contract_repository"]')
    votes_before = int(re.search(r"\d+", other.locator("[data-vote-count]").inner_text())[0])
    other.get_by_role("link", name="Contract repository").click()
    dialog = page.get_by_role("dialog", name="Contract repository")
    dialog.get_by_role("button", name="Vote for Contract repository").click()
    dialog.get_by_text("Thanks! Your vote is counted.").wait_for()
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="detached")
    other.get_by_text("You voted", exact=True).wait_for()
    assert other.locator("[data-vote-count]").inner_text() == f"Votes: {votes_before + 1}"
    assert page.url == f"{live_server}/roadmap?category=legal"

    # and in Spanish too
    page.locator("summary[data-language-menu]").click()
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Hoja de ruta", level=1).is_visible()
    row = page.locator(f'[data-module="{MODULE}"]')
    assert row.locator("[data-vote-count]").inner_text() == f"Votos: {before + 1}"
    assert row.get_by_text("Votaste").is_visible()
    shot(page, "62-roadmap-legal-es")


def admin_moves_it_on_and_the_spine_delivers(servers, module_id: str, status: str) -> None:
    """`xentri modules set-status` (its service, as the owner), then the relay and the
    notifications consumer deliver the event, as `xentri serve` runs them in the background.

    In another thread: Playwright's sync API keeps an event loop in this one."""

    async def work() -> None:
        from redis.asyncio import Redis

        from tests.support.notifications import set_module_status
        from tests.support.spine import drain, make_consumer
        from xentri.kernel.db.engine import create_engine
        from xentri.kernel.events.relay import Relay, RelaySettings
        from xentri.notifications.handlers import subscription

        await set_module_status(servers.owner_url, module_id, status)
        stream = f"test:e2e:{uuid.uuid4().hex[:10]}"
        app_engine = create_engine(servers.app_url, pool_size=2)
        system_engine = create_engine(servers.system_url, pool_size=2)
        redis = Redis.from_url(servers.redis_url)
        try:
            relay = Relay(engine=system_engine, redis=redis, settings=RelaySettings(stream=stream))
            consumer = make_consumer(
                f"notifications-e2e-{uuid.uuid4().hex[:6]}",
                dict(subscription().handlers),
                engine=app_engine,
                redis=redis,
                stream=stream,
            )
            await drain(relay, [consumer])
        finally:
            await redis.delete(stream)
            await redis.aclose()
            await app_engine.dispose()
            await system_engine.dispose()

    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(work())
        except Exception as exc:  # noqa: BLE001 - reported below, in the test's thread
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the status change was not delivered in time"
    if failure:
        raise failure[0]


def test_a_voter_hears_when_the_module_goes_into_development(page, live_server, servers, catalogue):
    import psycopg

    from tests.support.catalog import fresh_module
    from xentri.kernel.db.urls import libpq_uri

    with psycopg.connect(libpq_uri(servers.owner_url), autocommit=True) as owner_conn:
        module_id = fresh_module(owner_conn, status="coming_soon", category="legal")
    person = {"name": "Lucía", "email": f"lucia-{uuid.uuid4().hex[:8]}@example.com"}
    sign_up_and_set_up(page, live_server, person, org="Taller Norte")

    # Given Lucía voted for a coming-soon module
    page.goto(f"{live_server}/modules/{module_id}")
    page.get_by_role("button", name="Vote for Test module").click()
    page.get_by_text("Thanks! Your vote is counted.").wait_for()
    bell = page.get_by_role("link", name="Notifications", exact=True)
    assert bell.is_visible()

    # When an admin moves it into development and the event is delivered
    admin_moves_it_on_and_the_spine_delivers(servers, module_id, "in_development")

    # Then the bell counts one unread notification, which leads to the module
    page.goto(f"{live_server}/dashboard")
    bell = page.get_by_role("link", name="Notifications: 1 unread")
    assert bell.locator("[data-unread-count]").inner_text() == "1"
    shot(page, "70-bell-unread")
    bell.click()
    page.wait_for_url(f"{live_server}/notifications")
    item = page.locator(".notification--unread")
    assert item.count() == 1
    assert item.get_by_text("You voted for Test module.", exact=False).is_visible()
    assert serious_accessibility_problems(page) == []
    shot(page, "71-notifications")
    item.get_by_role("link", name="Test module is now in development").click()
    page.wait_for_url(f"{live_server}/modules/{module_id}")
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
    assert page.locator("[data-unread-count]").count() == 0

    # and in Spanish too, read now
    page.locator("summary[data-language-menu]").click()
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state("load")
    page.goto(f"{live_server}/notifications")
    assert page.get_by_role("heading", name="Notificaciones", level=1).is_visible()
    link = page.get_by_role("link", name="Módulo de prueba ya está en desarrollo")
    assert link.get_attribute("href").endswith("/open")
    assert page.locator(".notification--unread").count() == 0
    shot(page, "72-notifications-es")
