"""The interview's reply streams into the page as a configured model writes it, in Chromium; and
closing the tab mid-reply loses nothing: the reply is written and stored anyway, and is there
when the owner comes back."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_shell_journey import sign_up
from tests.e2e.test_strategy_interview import REPLIED, org_of, set_up_org
from tests.support.db import as_org

pytestmark = pytest.mark.e2e

ANSWER = "We are Bluebird Plumbing in Austin, Texas."
MODEL_QUESTION = "Thanks! Who calls you most: homeowners, landlords or businesses?"
FACTS = {"identity": {"name": "Bluebird Plumbing"}}
# The copilot's bubble holds part of the reply, not yet all of it: it is being written.
PART_WRITTEN = """(whole) => {
  const bubble = document.querySelector("[data-interview] [data-pending] [data-reply-text]");
  const text = bubble ? bubble.textContent : "";
  return text.length > 0 && text.length < whole.length && whole.startsWith(text);
}"""


def start(browser, live_server: str, name: str):
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    context = browser.new_context()
    page = context.new_page()
    sign_up(page, live_server, {"name": name, "email": email})
    set_up_org(page, live_server, "Bluebird Plumbing", "en")
    page.goto(f"{live_server}/c/strategy/interview")
    return context, page, email


def send(page, text: str) -> None:
    page.locator("#answer").fill(text)
    page.locator("form.chat__form button[type=submit]").click()


def test_the_reply_streams_in_as_the_model_writes_it(browser, live_server, live_model):
    live_model.chunk, live_model.delay = 4, 0.08
    live_model.replies.append({"reply": MODEL_QUESTION, "facts": FACTS, "complete": False})
    context, page, _ = start(browser, live_server, "Sam")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        send(page, ANSWER)

        # The answer shows at once; the reply grows in place before it is whole.
        assert page.locator(".chat__message--owner").last.inner_text() == ANSWER
        page.wait_for_function(PART_WRITTEN, arg=MODEL_QUESTION, timeout=10_000)
        page.wait_for_function(REPLIED, timeout=15_000)
        assert page.locator(".chat__message--copilot .chat__text").last.inner_text() == (
            MODEL_QUESTION
        )
        assert page.locator("[data-fact=name]").inner_text() == "Bluebird Plumbing"
        assert page.locator("#answer").is_enabled()
        assert live_model.requests[0]["body"]["stream"] is True
        assert errors == []
    finally:
        context.close()


def test_closing_the_tab_mid_reply_loses_nothing(browser, live_server, live_model, owner_conn):
    live_model.chunk, live_model.delay = 4, 0.1
    live_model.replies.append({"reply": MODEL_QUESTION, "facts": FACTS, "complete": False})
    context, page, email = start(browser, live_server, "Ana")
    try:
        send(page, ANSWER)
        page.wait_for_function(PART_WRITTEN, arg=MODEL_QUESTION, timeout=10_000)
        page.close()  # mid-reply: the stream's connection goes with the tab

        # Back at once, while the reply is still being written: the page asks for it again
        # and waits for that one rather than paying for a second.
        back = context.new_page()
        back.goto(f"{live_server}/c/strategy/interview")
        back.wait_for_function(REPLIED, timeout=10_000)

        owner = back.locator(".chat__message--owner .chat__text")
        copilot = back.locator(".chat__message--copilot .chat__text")
        assert owner.all_inner_texts() == [ANSWER]
        assert copilot.last.inner_text() == MODEL_QUESTION
        assert len(live_model.requests) == 1  # written once, by the turn the tab left
        with as_org(owner_conn, org_of(owner_conn, email)):
            stored = owner_conn.execute("select role from brief_messages").fetchall()
        assert [role for (role,) in stored].count("copilot") == 2  # the opening and the reply
    finally:
        context.close()


def test_an_answer_sent_offline_stays_in_the_box(browser, live_server, owner_conn):
    context, page, email = start(browser, live_server, "Leo")
    try:
        context.set_offline(True)
        send(page, ANSWER)

        note = page.locator("[data-unsent-note]")
        note.wait_for()
        assert "offline" in note.inner_text()
        assert page.locator("#answer").input_value() == ANSWER
        assert page.locator(".chat__message--owner").count() == 0
        with as_org(owner_conn, org_of(owner_conn, email)):
            assert owner_conn.execute("select count(*) from brief_messages").fetchone()[0] == 0

        context.set_offline(False)  # back online: the same answer, sent again
        page.locator("form.chat__form button[type=submit]").click()
        page.wait_for_function(REPLIED, timeout=10_000)
        assert page.locator(".chat__message--owner .chat__text").all_inner_texts() == [ANSWER]
        assert page.locator("[data-fact=name]").inner_text() == "Bluebird Plumbing"
    finally:
        context.close()
