"""The interview on a configured model: with XENTRI_LLM_PROVIDER=openai pointing at an
OpenAI-compatible server (here a real HTTP server on 127.0.0.1 answering like one), each answer
goes to that model, its facts land in the draft and its question is the one shown; when the
model fails, the offline engine takes the turn, the chat says so and nothing is lost."""

from __future__ import annotations

import json

import pytest

from tests.integration.test_strategy_pages import BASE, answer, org_of, text_of
from tests.support.db import as_org
from tests.support.identity import create_org, sign_up
from tests.support.shell import finish_wizard, sign_up_in_browser
from xentri.ai.config import AiSettings

pytestmark = pytest.mark.integration

ANSWER = "We are Bluebird Plumbing in Austin, Texas. We fix leaks for $95 an hour."
MODEL_QUESTION = "Who calls you most: homeowners, landlords or businesses?"
FACTS = {
    "identity": {
        "name": "Bluebird Plumbing",
        "locations": [{"city": "Austin", "region": "Texas", "country": "US"}],
    },
    "offerings": [
        {"name": "Leak repair", "price_minor": 9500, "currency": "USD", "unit": "per hour"}
    ],
}


@pytest.fixture
async def owner(make_app, client_for, fake_model):
    app = make_app()
    # What XENTRI_LLM_PROVIDER=openai, XENTRI_LLM_BASE_URL and a key configure at startup.
    app.state.ai_settings = fake_model.settings()
    client = client_for(app)
    client.owner_email = await sign_up_in_browser(client)
    await finish_wizard(client, org="Bluebird Plumbing")
    return client


def stored(owner_conn, client) -> tuple[dict, list[tuple[str, str]], list[tuple]]:
    with as_org(owner_conn, org_of(owner_conn, client)):
        draft = owner_conn.execute("select draft from brief_flows").fetchone()[0]
        messages = owner_conn.execute(
            "select role, content from brief_messages order by created_at, id"
        ).fetchall()
        usage = owner_conn.execute(
            "select agent_id, provider, model, metered from ai_usage"
        ).fetchall()
    return draft, messages, usage


async def test_an_answer_goes_to_the_configured_model(owner, owner_conn, fake_model):
    fake_model.replies.append({"facts": FACTS, "reply": MODEL_QUESTION, "complete": False})

    sent = await answer(owner, ANSWER)
    page = await owner.get(f"{BASE}/interview")

    assert sent.status_code == 303
    [request] = fake_model.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["model"] == "fake-llm"
    assert ANSWER in json.dumps(request["body"], ensure_ascii=False)
    draft, messages, usage = stored(owner_conn, owner)
    assert draft["identity"]["name"] == "Bluebird Plumbing"
    assert draft["identity"]["locations"] == [
        {"city": "Austin", "region": "Texas", "country": "US"}
    ]
    assert [(o["name"], o["price_minor"], o["currency"]) for o in draft["offerings"]] == [
        ("Leak repair", 9500, "USD")
    ]
    assert [role for role, _ in messages] == ["copilot", "owner", "copilot"]
    assert messages[1:] == [("owner", ANSWER), ("copilot", MODEL_QUESTION)]
    assert usage == [("strategy.copilot", "openai", "fake-llm", True)]
    shown = text_of(page.text)
    assert MODEL_QUESTION in shown
    assert 'data-question="model"' in page.text
    assert 'data-fact="name">Bluebird Plumbing<' in page.text


async def test_the_model_says_the_draft_can_be_written(owner, owner_conn, fake_model):
    fake_model.replies.append(
        {"facts": FACTS, "reply": "Thank you, I can draft it now.", "complete": True}
    )

    await answer(owner, ANSWER)
    page = await owner.get(f"{BASE}/interview")

    assert "Thank you, I can draft it now." in text_of(page.text)
    assert "The co-pilot has what it needs for a first draft." in text_of(page.text)


async def test_a_failing_model_hands_the_turn_to_the_offline_engine(owner, owner_conn, fake_model):
    fake_model.replies.append(500)

    sent = await answer(owner, ANSWER)
    page = await owner.get(f"{BASE}/interview")

    assert sent.status_code == 303
    assert len(fake_model.requests) == 1
    draft, messages, usage = stored(owner_conn, owner)
    assert messages[1] == ("owner", ANSWER)
    assert messages[2][1].startswith("(Your configured assistant is not answering right now")
    # The offline engine read the answer: the name is in the draft, it asks the next thing.
    assert draft["identity"]["name"] == "Bluebird Plumbing"
    assert usage == []
    shown = text_of(page.text)
    assert ANSWER in shown
    assert "not answering right now" in shown

    # The model is back: the next answer goes to it again and keeps what the first one gave.
    fake_model.replies.append(
        {"facts": {"audience": {"segments": [{"name": "Homeowners"}]}}, "reply": "Where?"}
    )
    await answer(owner, "Mostly homeowners.")
    draft, messages, _ = stored(owner_conn, owner)
    assert draft["identity"]["name"] == "Bluebird Plumbing"
    assert [s["name"] for s in draft["audience"]["segments"]] == ["Homeowners"]
    assert messages[-2:] == [("owner", "Mostly homeowners."), ("copilot", "Where?")]


async def test_the_api_answer_uses_the_model_too(make_app, client_for, fake_model):
    app = make_app()
    app.state.ai_settings = AiSettings(
        llm_provider="openai", llm_base_url=fake_model.base_url, llm_max_retries=0
    )
    person = await sign_up(client_for(app))
    org = await create_org(person, "Bluebird Plumbing")
    fake_model.replies.append({"facts": FACTS, "reply": "¿Quién te llama más?", "complete": False})

    response = await person.client.post(
        "/api/v1/strategy/interview/answers",
        json={"text": "Somos Bluebird Plumbing en Austin."},
        headers=person.headers(**{"x-org-id": str(org), "accept-language": "es-MX"}),
    )

    assert response.status_code == 200, response.text
    assert response.json()["question"] == "¿Quién te llama más?"
    assert response.json()["draft"]["identity"]["name"] == "Bluebird Plumbing"
    sent = json.dumps(fake_model.requests[0]["body"], ensure_ascii=False)
    assert "Somos Bluebird Plumbing en Austin." in sent
    assert "Spanish" in sent  # asked to reply in the owner's language
