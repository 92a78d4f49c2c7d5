"""Changes in words on the Brief page in a real Chromium: the change is shown with what it did
and an Undo button that puts the draft back, in English with scripts and in Spanish without."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_shell_journey import serious_accessibility_problems, shot, sign_up
from tests.e2e.test_strategy_interview import (
    AT_BRIEF,
    CAFE,
    CAFE_OPENING,
    PLUMBER,
    interview,
    org_of,
    set_up_org,
)
from tests.support.db import as_org

pytestmark = pytest.mark.e2e


def draft_of(owner_conn, email: str) -> dict:
    with as_org(owner_conn, org_of(owner_conn, email)):
        return owner_conn.execute("select draft from brief_flows").fetchone()[0]


def to_review(page) -> None:
    page.locator("form[action='/c/strategy/interview/draft'] button").click()
    page.wait_for_url(AT_BRIEF)


def ask(page, words: str) -> None:
    page.locator("#f-request").fill(words)
    page.locator("form[action='/c/strategy/brief/ask'] button").click()
    page.wait_for_url(AT_BRIEF)


def undo(page) -> None:
    page.locator("form[action='/c/strategy/brief/undo'] button").click()
    page.wait_for_url(AT_BRIEF)


def test_a_change_in_words_is_shown_and_undone(browser, live_server, owner_conn):
    email = f"sam-{uuid.uuid4().hex[:8]}@example.com"
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_up(page, live_server, {"name": "Sam", "email": email})
        set_up_org(page, live_server, "Bluebird Plumbing", "en")
        interview(page, live_server, PLUMBER, "en")
        to_review(page)
        before = draft_of(owner_conn, email)
        assert before["competitors"] == ["Roto-Rooter"]

        ask(page, "remove the competitor Roto-Rooter")

        card = page.locator("#last-change")
        assert card.get_by_text("By the built-in rules").is_visible()
        assert card.get_by_text("Changed: Competitors \u203a 1.").is_visible()
        assert card.locator("table.brief-diff").get_by_text("Roto-Rooter").is_visible()
        assert draft_of(owner_conn, email)["competitors"] == []
        shot(page, "strategy-20-change-in-words-en")
        assert serious_accessibility_problems(page) == []

        undo(page)

        assert page.locator("#last-change").get_by_text("Undone").is_visible()
        assert page.locator("form[action='/c/strategy/brief/undo']").count() == 0
        assert draft_of(owner_conn, email) == before
        assert errors == []
    finally:
        context.close()


def test_the_same_in_spanish_without_scripts(browser, live_server, owner_conn):
    email = f"ana-{uuid.uuid4().hex[:8]}@example.com"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_up(page, live_server, {"name": "Ana", "email": email})
        set_up_org(page, live_server, "Café Luna", "es")
        interview(page, live_server, CAFE, "es", opening=CAFE_OPENING)
        to_review(page)
        before = draft_of(owner_conn, email)

        ask(page, "eslogan: Café de la Sierra Sur")

        card = page.locator("#last-change")
        assert card.get_by_text("Tu último cambio pedido en palabras").is_visible()
        assert card.get_by_text("Por las reglas integradas").is_visible()
        assert draft_of(owner_conn, email)["identity"]["tagline"] == "Café de la Sierra Sur"
        shot(page, "strategy-21-change-in-words-es")

        undo(page)

        assert page.locator("#last-change").get_by_text("Deshecho").is_visible()
        assert draft_of(owner_conn, email) == before
    finally:
        context.close()
