"""Changes to the Brief asked for in words, on a configured model (a real HTTP server on
127.0.0.1 answering like an OpenAI-compatible one) and on the offline rules: the model's change
is applied and shown with Undo; a change that would lose what the words did not name is refused
and the offline rules take the words; a failing model hands over with a notice; a draft that
changed during the model call is not overwritten (409); the API does the same."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.test_strategy_pages import BASE, interview_to_review, org_of, post
from tests.integration.test_strategy_pages import text_of as raw_text_of
from tests.support.db import as_org
from tests.support.fake_model import FakeModelServer
from tests.support.identity import create_org, sign_up
from tests.support.shell import finish_wizard, sign_up_in_browser
from xentri.ai.config import AiSettings

pytestmark = pytest.mark.integration

BRIEF = f"{BASE}/brief"
WORDS = "We no longer do drain cleaning; our tagline is now Pipes fixed the same day"


def model_settings(server: FakeModelServer, **overrides: Any) -> AiSettings:
    # What XENTRI_LLM_PROVIDER=openai, XENTRI_LLM_BASE_URL and a key configure at startup.
    return AiSettings(
        llm_provider="openai",
        llm_base_url=server.base_url,
        openai_api_key="sk-dummy",
        llm_model="fake-llm",
        llm_max_retries=0,
        **overrides,
    )


async def owner_in_review(make_app, client_for, fake_model, *, language: str = "en"):
    """An owner whose Brief is out for review (interviewed offline), then a model configured."""
    app = make_app()
    client = client_for(app)
    client.owner_email = await sign_up_in_browser(client)
    await finish_wizard(client, org="Bluebird Plumbing", language=language)
    await interview_to_review(client)
    app.state.ai_settings = model_settings(fake_model)
    client.app_state = app.state
    return client


@pytest.fixture
async def owner(make_app, client_for, fake_model):
    return await owner_in_review(make_app, client_for, fake_model)


def draft_of(owner_conn, client) -> dict[str, Any]:
    with as_org(owner_conn, org_of(owner_conn, client)):
        return owner_conn.execute("select draft from brief_flows").fetchone()[0]


def usage_of(owner_conn, client) -> list[tuple]:
    with as_org(owner_conn, org_of(owner_conn, client)):
        return owner_conn.execute("select agent_id, provider from ai_usage").fetchall()


def removing_drain_cleaning(draft: dict[str, Any]) -> dict[str, Any]:
    """The model's answer to WORDS: the two sections it changes, whole."""
    return {
        "sections": {
            "identity": {**draft["identity"], "tagline": "Pipes fixed the same day"},
            "offerings": [o for o in draft["offerings"] if o["name"] != "Drain cleaning"],
        },
        "summary": "Removed drain cleaning and set the new tagline.",
    }


def text_of(page: str) -> str:
    return " ".join(raw_text_of(page).split())


async def ask(client, words: str):
    return await post(client, f"{BRIEF}/ask", {"request": words}, page=BRIEF)


async def test_the_model_changes_the_draft_and_the_page_shows_it_with_undo(
    owner, owner_conn, fake_model
):
    before = draft_of(owner_conn, owner)
    assert "Drain cleaning" in [o["name"] for o in before["offerings"]]
    fake_model.replies.append(removing_drain_cleaning(before))

    asked = await ask(owner, WORDS)
    page = await owner.get(BRIEF)

    assert asked.status_code == 303
    assert asked.headers["location"] == f"{BRIEF}#last-change"
    [request] = fake_model.requests
    sent = json.dumps(request["body"], ensure_ascii=False)
    assert WORDS in sent
    assert "English" in sent  # the summary is asked for in the owner's language
    after = draft_of(owner_conn, owner)
    assert after["identity"]["tagline"] == "Pipes fixed the same day"
    assert [o["name"] for o in after["offerings"]] == [
        o["name"] for o in before["offerings"] if o["name"] != "Drain cleaning"
    ]
    unchanged = ("audience", "goals", "brand_voice", "competitors", "constraints")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert usage_of(owner_conn, owner) == [("strategy.copilot", "openai")]
    shown = text_of(page.text)
    assert "Your last change in words" in shown
    assert f"You asked: “{WORDS}”" in shown
    assert "By your assistant" in shown
    assert "Removed drain cleaning and set the new tagline." in shown
    assert "Identity \u203a Tagline" in shown
    assert "Pipes fixed the same day" in shown
    assert 'action="/c/strategy/brief/undo"' in page.text

    undone = await post(owner, f"{BRIEF}/undo", {}, page=BRIEF)
    again = await owner.get(BRIEF)

    assert undone.status_code == 303
    assert draft_of(owner_conn, owner) == before
    shown = text_of(again.text)
    assert "The draft is back as it was before this change." in shown
    assert 'action="/c/strategy/brief/undo"' not in again.text
    twice = await post(owner, f"{BRIEF}/undo", {}, page=BRIEF)
    assert twice.status_code == 409
    assert "There is no change to undo." in text_of(twice.text)


async def test_a_change_that_wipes_what_the_words_did_not_name_goes_to_the_rules(
    owner, owner_conn, fake_model
):
    before = draft_of(owner_conn, owner)
    # Only the new tagline, as if the rest of the section were kept; and no offerings at all.
    fake_model.replies.append(
        {
            "sections": {"identity": {"tagline": "Pipes fixed today"}, "offerings": []},
            "summary": "Set the tagline.",
        }
    )

    asked = await ask(owner, "tagline: Pipes fixed today")
    page = await owner.get(BRIEF)

    assert asked.status_code == 303
    after = draft_of(owner_conn, owner)
    # The offline rules made the change; nothing else moved.
    assert after == {
        **before,
        "identity": {**before["identity"], "tagline": "Pipes fixed today"},
    }
    shown = text_of(page.text)
    assert "By the built-in rules" in shown
    assert "Changed: Identity \u203a Tagline." in shown
    assert "would have removed things your words did not mention" in shown


async def test_a_failing_model_hands_the_words_to_the_rules_with_a_notice(
    owner, owner_conn, fake_model
):
    fake_model.replies.append(500)

    asked = await ask(owner, "add a competitor: Mr. Rooter")
    page = await owner.get(BRIEF)
    fake_model.replies.append(503)
    nothing = await ask(owner, "sing me a song")

    assert asked.status_code == 303
    assert draft_of(owner_conn, owner)["competitors"][-1] == "Mr. Rooter"
    assert "Your assistant is not answering right now" in text_of(page.text)
    assert usage_of(owner_conn, owner) == []
    assert nothing.status_code == 422
    shown = text_of(nothing.text)
    assert "I could not turn that into a change." in shown
    assert "Your assistant is not answering right now" in shown
    assert "sing me a song" in shown  # the words stay in the box


async def test_a_draft_changed_during_the_model_call_is_not_overwritten(
    owner, owner_conn, fake_model
):
    before = draft_of(owner_conn, owner)
    org_id = org_of(owner_conn, owner)

    class EditedMeanwhile(list):
        def pop(self, index: int = -1) -> Any:
            # Someone saves the identity section while the model is thinking.
            with as_org(owner_conn, org_id):
                owner_conn.execute(
                    "update brief_flows set draft = jsonb_set(draft, '{identity,story}', "
                    "'\"Founded by two brothers\"')"
                )
            return super().pop(index)

    fake_model.replies = EditedMeanwhile([removing_drain_cleaning(before)])

    asked = await ask(owner, WORDS)

    assert asked.status_code == 409
    shown = text_of(asked.text)
    assert "The Brief changed while your assistant was working on it." in shown
    assert WORDS in shown
    after = draft_of(owner_conn, owner)
    assert after["identity"]["story"] == "Founded by two brothers"
    assert after["offerings"] == before["offerings"]  # the model's change was not applied
    assert after["identity"]["tagline"] == before["identity"]["tagline"]


async def test_undo_is_refused_once_the_draft_changed_again(owner, owner_conn, fake_model):
    fake_model.replies.append(removing_drain_cleaning(draft_of(owner_conn, owner)))
    await ask(owner, WORDS)
    fake_model.replies.append(500)
    await ask(owner, "add a competitor: Mr. Rooter")
    changed = draft_of(owner_conn, owner)
    # The second change is the one shown; a section saved after it hides it.
    await post(
        owner,
        f"{BRIEF}/sections/competitors",
        {"competitors": "Roto-Rooter\nMr. Rooter\nDrain Kings"},
        page=BRIEF,
    )

    refused = await post(owner, f"{BRIEF}/undo", {}, page=BRIEF)

    assert refused.status_code == 409
    assert "undoing it would lose that" in text_of(refused.text)
    assert draft_of(owner_conn, owner)["competitors"] == [
        "Roto-Rooter",
        "Mr. Rooter",
        "Drain Kings",
    ]
    assert draft_of(owner_conn, owner)["offerings"] == changed["offerings"]


async def test_the_page_in_spanish(make_app, client_for, owner_conn, fake_model):
    owner = await owner_in_review(make_app, client_for, fake_model, language="es")
    before = draft_of(owner_conn, owner)
    fake_model.replies.append(
        {
            "sections": {"competitors": [*before["competitors"], "Plomeros Unidos"]},
            "summary": "Agregué Plomeros Unidos a tus competidores.",
        }
    )

    asked = await ask(owner, "agrega a Plomeros Unidos como competidor")
    page = await owner.get(BRIEF)
    fake_model.replies.append(500)
    nothing = await ask(owner, "cántame una canción")

    assert asked.status_code == 303
    assert "Spanish" in json.dumps(fake_model.requests[0]["body"])
    assert draft_of(owner_conn, owner)["competitors"][-1] == "Plomeros Unidos"
    shown = text_of(page.text)
    assert "Tu último cambio pedido en palabras" in shown
    assert "Por tu asistente" in shown
    assert "Agregué Plomeros Unidos a tus competidores." in shown
    assert "Qué hizo este cambio" in shown
    assert "Deshacer este cambio" in shown
    assert nothing.status_code == 422
    assert "Tu asistente no responde en este momento" in text_of(nothing.text)


# The API.


@pytest.fixture
async def api_owner(make_app, client_for, fake_model):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person, "Bluebird Plumbing")
        headers = person.headers(**{"x-org-id": str(org)})
        draft = {
            "identity": {"name": "Bluebird Plumbing", "tagline": "Pipes fixed fast"},
            "offerings": [
                {"name": "Drain cleaning", "price_minor": 15000, "currency": "USD"},
                {"name": "Emergency calls", "price_minor": 20000, "currency": "USD"},
            ],
            "competitors": ["Roto-Rooter"],
        }
        await client.put("/api/v1/strategy/brief/draft", json=draft, headers=headers)
        await client.post("/api/v1/strategy/brief/flow/ready", headers=headers)
        yield app, person, org, headers


async def change(person, headers, words: str, **more_headers: str):
    return await person.client.post(
        "/api/v1/strategy/brief/changes",
        json={"words": words},
        headers={**headers, **more_headers},
    )


async def test_the_api_changes_in_words_on_the_model_and_undoes(api_owner, fake_model):
    app, person, _org, headers = api_owner
    app.state.ai_settings = model_settings(fake_model)
    draft = (await person.client.get("/api/v1/strategy/brief/flow", headers=headers)).json()
    fake_model.replies.append(
        {
            "sections": {
                "identity": {**draft["draft"]["identity"], "tagline": "Same-day plumbing"},
                "offerings": [draft["draft"]["offerings"][0]],
            },
            "summary": "No more emergency calls; new tagline.",
        }
    )

    changed = await change(
        person, headers, "we no longer do emergency calls; our tagline is now Same-day plumbing"
    )
    undone = await person.client.post("/api/v1/strategy/brief/changes/undo", headers=headers)
    again = await person.client.post("/api/v1/strategy/brief/changes/undo", headers=headers)
    interview = await person.client.get("/api/v1/strategy/interview", headers=headers)

    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["source"] == "model"
    assert body["state"] == "editing"
    assert body["summary"] == "No more emergency calls; new tagline."
    assert body["notice"] is None
    assert body["changed_sections"] == ["identity", "offerings"]
    assert [o["name"] for o in body["draft"]["offerings"]] == ["Drain cleaning"]
    assert body["draft"]["identity"]["tagline"] == "Same-day plumbing"
    assert {c["path"] for c in body["changes"]} >= {"identity.tagline", "offerings[1]"}
    assert undone.status_code == 200
    assert undone.json()["draft"] == draft["draft"]
    assert again.status_code == 409
    assert again.json()["detail"] == "There is no change to undo."
    assert interview.status_code == 200  # a Brief made without an interview still shows one


async def test_the_api_on_the_offline_rules_and_its_refusals(api_owner, make_app, client_for):
    _app, person, _org, headers = api_owner

    changed = await change(person, headers, "tagline: Pipes fixed today")
    nothing = await change(person, headers, "blah", **{"accept-language": "es-MX"})
    empty = await change(person, headers, "   ")
    long = await change(person, headers, "x" * 1001)
    flow = await person.client.get("/api/v1/strategy/brief/flow", headers=headers)

    assert changed.status_code == 200, changed.text
    assert changed.json()["source"] == "offline"
    assert changed.json()["summary"] == "Changed: Identity \u203a Tagline."
    assert changed.json()["changes"] == [
        {"path": "identity.tagline", "before": "Pipes fixed fast", "after": "Pipes fixed today"}
    ]
    assert nothing.status_code == 422
    assert nothing.headers["content-type"] == "application/problem+json"
    [error] = nothing.json()["errors"]
    assert error["field"] == "body.words"
    assert error["code"] == "not_understood"
    assert error["message"].startswith("No supe convertir eso en un cambio.")
    assert (empty.status_code, empty.json()["errors"][0]["code"]) == (422, "missing")
    assert (long.status_code, long.json()["errors"][0]["code"]) == (422, "too_long")
    assert long.json()["errors"][0]["message"] == "Use at most 1000 characters."
    assert flow.json()["draft"]["identity"]["tagline"] == "Pipes fixed today"

    # A flow that has no draft yet cannot be changed in words.
    newcomer = await sign_up(person.client)
    other = await create_org(newcomer, "Café Luna")
    refused = await change(newcomer, newcomer.headers(**{"x-org-id": str(other)}), "tagline: x")
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("illegal-transition")


async def test_the_api_refuses_a_change_to_a_draft_that_moved_and_notes_a_spent_budget(
    api_owner, owner_conn, fake_model
):
    app, person, org, headers = api_owner
    # One call's worth of tokens: the first call spends it, the second finds the budget spent.
    app.state.ai_settings = model_settings(fake_model, llm_tokens_per_window=100)
    flow = (await person.client.get("/api/v1/strategy/brief/flow", headers=headers)).json()

    class EditedMeanwhile(list):
        def pop(self, index: int = -1) -> Any:
            with as_org(owner_conn, org):
                owner_conn.execute(
                    "update brief_flows set draft = jsonb_set(draft, '{competitors}', "
                    '\'["Roto-Rooter", "Mr. Rooter"]\')'
                )
            return super().pop(index)

    fake_model.replies = EditedMeanwhile(
        [
            {
                "sections": {"offerings": [flow["draft"]["offerings"][0]]},
                "summary": "Removed emergency calls.",
            }
        ]
    )

    moved = await change(person, headers, "we no longer do emergency calls")
    resting = await change(person, headers, "add a competitor: Drain Kings")

    assert moved.status_code == 409
    assert moved.json()["type"].endswith("brief-changed-meanwhile")
    assert moved.json()["detail"].startswith("The Brief changed while your assistant")
    assert resting.status_code == 200, resting.text
    assert resting.json()["source"] == "offline"
    assert resting.json()["notice"].startswith("Your assistant is on a break")
    final = (await person.client.get("/api/v1/strategy/brief/flow", headers=headers)).json()
    assert final["draft"]["competitors"] == ["Roto-Rooter", "Mr. Rooter", "Drain Kings"]
    assert len(final["draft"]["offerings"]) == 2
    assert len(fake_model.requests) == 1  # the spent budget stopped the second call
