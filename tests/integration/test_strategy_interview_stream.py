"""The interview's reply, streamed: the answer is stored before anything reads it, the reply
comes as server-sent events (token by token from a configured model), no transaction or row
lock is held while a model writes, and an answer whose reply never came is kept, shown, and
answered when asked again: exactly once, however many ask."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest

from tests.integration.test_strategy_pages import BASE, answer, org_of, post, text_of
from tests.support.db import as_org
from tests.support.fake_model import Cut
from tests.support.identity import add_member, create_org, sign_up
from tests.support.shell import finish_wizard, form_token, sign_up_in_browser
from xentri.categories.strategy import interview_service
from xentri.kernel.db.tenant import tenant_transaction

pytestmark = pytest.mark.integration

STREAM = {"accept": "text/event-stream"}
ANSWER = "We are Bluebird Plumbing in Austin, Texas."
MODEL_QUESTION = "Who calls you most: homeowners, landlords or businesses?"
FACTS = {
    "identity": {"name": "Bluebird Plumbing", "locations": [{"city": "Austin", "region": "Texas"}]}
}


def events(body: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in body.split("\n\n"):
        if not block.strip():
            continue
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        found.append((lines["event"], json.loads(lines["data"])))
    return found


def stored(owner_conn, org_id) -> tuple[list[tuple[str, str]], dict | None]:
    with as_org(owner_conn, org_id):
        messages = owner_conn.execute(
            "select role, content from brief_messages order by created_at, id"
        ).fetchall()
        interview = owner_conn.execute("select interview from brief_flows").fetchone()[0]
    return messages, interview


@pytest.fixture
async def site(make_app, client_for):
    """An owner signed in to the pages, and the app (its engine, its AI settings)."""
    app = make_app()
    client = client_for(app)
    client.owner_email = await sign_up_in_browser(client)
    await finish_wizard(client, org="Bluebird Plumbing")
    client.app = app
    return client


@pytest.fixture
async def api_owner(make_app, client_for):
    app = make_app()
    person = await sign_up(client_for(app))
    org = await create_org(person, "Bluebird Plumbing")
    person.app, person.org = app, org
    person.api_headers = person.headers(**{"x-org-id": str(org)})
    return person


async def waiting_answer(app, org_id: uuid.UUID, text: str) -> None:
    """An answer stored whose reply never came (the server stopped mid-reply)."""
    async with tenant_transaction(app.state.engine, org_id) as tx:
        await interview_service.take(tx=tx, org_id=org_id, text=text, language="en")


async def test_the_page_streams_the_reply_after_storing_the_answer(site, owner_conn):
    token = await form_token(site, f"{BASE}/interview")

    sent = await site.post(
        f"{BASE}/interview", data={"csrf_token": token, "answer": ANSWER}, headers=STREAM
    )

    assert sent.status_code == 200
    assert sent.headers["content-type"].startswith("text/event-stream")
    found = events(sent.text)
    assert [name for name, _ in found][-1] == "done"
    streamed = "".join(data["text"] for name, data in found if name == "delta")
    messages, interview = stored(owner_conn, org_of(owner_conn, site))
    assert messages[1] == ("owner", ANSWER)
    assert messages[2] == ("copilot", streamed)  # what streamed is what was stored
    assert "pending" not in interview


async def test_a_refused_answer_comes_back_as_the_page_not_a_stream(site, owner_conn):
    token = await form_token(site, f"{BASE}/interview")

    sent = await site.post(
        f"{BASE}/interview", data={"csrf_token": token, "answer": ""}, headers=STREAM
    )

    assert sent.status_code == 200  # shown in place by the script
    assert sent.headers["content-type"].startswith("text/html")
    assert "Write an answer first." in text_of(sent.text)


async def test_an_answer_without_its_reply_is_kept_shown_and_answered(site, owner_conn):
    org_id = org_of(owner_conn, site)
    await waiting_answer(site.app, org_id, ANSWER)

    page = await site.get(f"{BASE}/interview")
    again = await answer(site, "Drain cleaning is $150.")
    draft = await post(site, f"{BASE}/interview/draft", {}, page=f"{BASE}/interview")
    messages_meanwhile, _ = stored(owner_conn, org_id)
    got = await post(site, f"{BASE}/interview/reply", {}, page=f"{BASE}/interview")
    after = await site.get(f"{BASE}/interview")

    shown = text_of(page.text)
    assert ANSWER in shown
    assert "The co-pilot has not replied to it yet." in shown
    assert 'action="/c/strategy/interview/reply"' in page.text
    assert 'name="answer"' not in page.text  # no second answer while one waits
    assert 'action="/c/strategy/interview/draft"' not in page.text
    # Posted anyway (an old tab): refused in words, nothing stored, the draft not taken.
    assert again.status_code == 409
    assert "still replying" in text_of(again.text)
    assert draft.status_code == 409
    assert [role for role, _ in messages_meanwhile] == ["copilot", "owner"]
    assert got.status_code == 303
    messages, interview = stored(owner_conn, org_id)
    assert [role for role, _ in messages] == ["copilot", "owner", "copilot"]
    assert "pending" not in interview
    assert 'name="answer"' in after.text
    assert 'data-fact="name">Bluebird Plumbing<' in after.text


async def test_two_asking_for_one_reply_store_it_once(api_owner, owner_conn):
    await waiting_answer(api_owner.app, api_owner.org, ANSWER)

    replies = await asyncio.gather(
        *(
            api_owner.client.post("/api/v1/strategy/interview/reply", headers=api_owner.api_headers)
            for _ in range(3)
        )
    )

    assert {reply.status_code for reply in replies} == {200}
    messages, _ = stored(owner_conn, api_owner.org)
    assert [role for role, _ in messages] == ["copilot", "owner", "copilot"]
    assert all(reply.json()["pending"] is False for reply in replies)


async def test_nothing_waiting_means_nothing_to_reply(api_owner, owner_conn):
    reply = await api_owner.client.post(
        "/api/v1/strategy/interview/reply", headers={**api_owner.api_headers, **STREAM}
    )

    assert [name for name, _ in events(reply.text)] == ["done"]
    with as_org(owner_conn, api_owner.org):
        assert owner_conn.execute("select count(*) from brief_messages").fetchone()[0] == 0


async def test_a_configured_model_streams_its_reply_token_by_token(
    api_owner, owner_conn, fake_model
):
    api_owner.app.state.ai_settings = fake_model.settings()
    fake_model.chunk = 6
    fake_model.replies.append({"reply": MODEL_QUESTION, "facts": FACTS, "complete": False})

    sent = await api_owner.client.post(
        "/api/v1/strategy/interview/answers",
        json={"text": ANSWER},
        headers={**api_owner.api_headers, **STREAM},
    )

    assert sent.status_code == 200, sent.text
    assert fake_model.requests[0]["body"]["stream"] is True
    found = events(sent.text)
    deltas = [data["text"] for name, data in found if name == "delta"]
    assert len(deltas) >= 5  # piece by piece, as the model wrote it
    assert "".join(deltas) == MODEL_QUESTION
    name, done = found[-1]
    assert name == "done"
    assert done["interview"]["messages"][-1]["content"] == MODEL_QUESTION
    assert done["interview"]["question"] == MODEL_QUESTION
    assert done["interview"]["draft"]["identity"]["name"] == "Bluebird Plumbing"
    assert done["interview"]["pending"] is False


async def test_no_transaction_is_held_while_the_model_writes(api_owner, owner_conn, fake_model):
    api_owner.app.state.ai_settings = fake_model.settings()
    fake_model.replies.append({"reply": MODEL_QUESTION, "facts": FACTS})
    fake_model.hold.clear()  # the model "thinks" until the test lets it answer

    sending = asyncio.create_task(
        api_owner.client.post(
            "/api/v1/strategy/interview/answers",
            json={"text": ANSWER},
            headers=api_owner.api_headers,
        )
    )
    assert await asyncio.to_thread(fake_model.received.wait, 10)
    # The flow's row is free: the answer's transaction ended before the model was called.
    with as_org(owner_conn, api_owner.org):
        owner_conn.execute("select 1 from brief_flows for update nowait").fetchone()
    # The answer is already stored; a second one waits its turn (409), nothing is lost.
    second = await api_owner.client.post(
        "/api/v1/strategy/interview/answers",
        json={"text": "Mostly homeowners."},
        headers=api_owner.api_headers,
    )
    messages_meanwhile, _ = stored(owner_conn, api_owner.org)
    fake_model.hold.set()
    sent = await sending

    assert second.status_code == 409
    assert second.json()["type"].endswith("reply-pending")
    assert messages_meanwhile[1:] == [("owner", ANSWER)]
    assert sent.status_code == 200
    messages, _ = stored(owner_conn, api_owner.org)
    assert messages[1:] == [("owner", ANSWER), ("copilot", MODEL_QUESTION)]


async def test_asking_again_while_the_model_writes_waits_for_that_reply(
    api_owner, owner_conn, fake_model
):
    api_owner.app.state.ai_settings = fake_model.settings()
    fake_model.replies.append({"reply": MODEL_QUESTION, "facts": FACTS})
    fake_model.hold.clear()
    sending = asyncio.create_task(
        api_owner.client.post(
            "/api/v1/strategy/interview/answers",
            json={"text": ANSWER},
            headers=api_owner.api_headers,
        )
    )
    assert await asyncio.to_thread(fake_model.received.wait, 10)

    # A reload mid-reply asks for the reply again: it waits for the one being written.
    asking = asyncio.create_task(
        api_owner.client.post("/api/v1/strategy/interview/reply", headers=api_owner.api_headers)
    )
    await asyncio.sleep(0.5)
    assert not asking.done()
    fake_model.hold.set()
    sent, asked = await sending, await asking

    assert len(fake_model.requests) == 1  # one reply paid for, not two
    assert sent.status_code == asked.status_code == 200
    assert asked.json()["pending"] is False
    assert asked.json()["messages"][-1]["content"] == MODEL_QUESTION
    messages, _ = stored(owner_conn, api_owner.org)
    assert messages[1:] == [("owner", ANSWER), ("copilot", MODEL_QUESTION)]


async def test_a_model_cut_off_mid_reply_hands_the_turn_to_the_offline_engine(
    api_owner, owner_conn, fake_model
):
    api_owner.app.state.ai_settings = fake_model.settings()
    fake_model.replies.append(Cut({"reply": MODEL_QUESTION, "facts": FACTS}, after=30))

    sent = await api_owner.client.post(
        "/api/v1/strategy/interview/answers",
        json={"text": ANSWER},
        headers={**api_owner.api_headers, **STREAM},
    )

    name, done = events(sent.text)[-1]
    assert name == "done"
    reply = done["interview"]["messages"][-1]["content"]
    assert reply.startswith("(Your configured assistant is not answering right now")
    # The offline engine read the answer; the owner's words are kept.
    assert done["interview"]["draft"]["identity"]["name"] == "Bluebird Plumbing"
    messages, interview = stored(owner_conn, api_owner.org)
    assert messages[1:] == [("owner", ANSWER), ("copilot", reply)]
    assert "pending" not in interview


async def test_a_member_cannot_get_a_reply(site, owner_conn, make_app, client_for):
    org_id = org_of(owner_conn, site)
    await waiting_answer(site.app, org_id, ANSWER)
    member = await sign_up(client_for(site.app), name="Mia")
    add_member(owner_conn, org_id, member.user_id, role="member")

    reply = await member.client.post(
        "/api/v1/strategy/interview/reply", headers=member.headers(**{"x-org-id": str(org_id)})
    )

    assert reply.status_code == 403
    messages, _ = stored(owner_conn, org_id)
    assert [role for role, _ in messages] == ["copilot", "owner"]
