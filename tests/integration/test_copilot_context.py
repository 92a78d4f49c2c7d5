"""What the copilot widget sends and reads as context: the Brief section on screen travels with
the question to the worker's prompt; the recent events come from the org's own events, read
server-side under row-level security, through GET /api/v1/copilot/{scope}/context."""

from __future__ import annotations

import json

import pytest
from pydantic_ai import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from tests.integration.test_copilot_api import running_worker, sse_events
from tests.support.identity import create_org, sign_up
from xentri.ai.config import AiSettings

pytestmark = pytest.mark.integration

SECTION_NOTE = 'They are looking at the Brief\'s "offerings" section'


def instructions_echo() -> FunctionModel:
    """Answers whether the instructions it was given name the Brief section on screen."""

    def seen(info: AgentInfo) -> str:
        return "section seen" if SECTION_NOTE in (info.instructions or "") else "no section"

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[TextPart(seen(info))])

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        yield seen(info)

    return FunctionModel(respond, stream_function=stream, model_name="echo")


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org


async def test_the_brief_section_on_screen_reaches_the_copilots_prompt(owner):
    app, person, _org = owner
    cloud = AiSettings(llm_provider="anthropic", anthropic_api_key="sk-ant-test")
    async with running_worker(app, "strategy", cloud, test_model=instructions_echo()):
        with_section = await person.client.post(
            "/api/v1/copilot/strategy/ask",
            json={"question": "Is this clear?", "context": {"brief_section": "offerings"}},
            headers=person.headers(),
        )
        without = await person.client.post(
            "/api/v1/copilot/strategy/ask",
            json={"question": "Is this clear?"},
            headers=person.headers(),
        )
        thread = await person.client.post(
            "/api/v1/copilot/strategy/threads", json={}, headers=person.headers()
        )
        in_thread = await person.client.post(
            f"/api/v1/copilot/threads/{thread.json()['id']}/messages",
            json={"content": "And now?", "context": {"brief_section": "offerings"}},
            headers=person.headers(),
        )

    assert sse_events(with_section.text)[-1][1]["text"] == "section seen"
    assert sse_events(without.text)[-1][1]["text"] == "no section"
    assert sse_events(in_thread.text)[-1][1]["text"] == "section seen"


async def test_an_unknown_brief_section_is_a_422_naming_the_field(owner):
    _app, person, _org = owner

    response = await person.client.post(
        "/api/v1/copilot/strategy/ask",
        json={"question": "?", "context": {"brief_section": "horoscope"}},
        headers=person.headers(),
    )

    assert response.status_code == 422
    assert "brief_section" in json.dumps(response.json())


async def test_the_context_names_the_scopes_copilot_and_its_recent_events(owner):
    _app, person, _org = owner

    strategy = await person.client.get("/api/v1/copilot/strategy/context", headers=person.headers())
    finance = await person.client.get(
        "/api/v1/copilot/category.finance/context?language=es", headers=person.headers()
    )

    assert strategy.status_code == 200
    assert strategy.json()["agent_id"] == "strategy.copilot"
    assert strategy.json()["agent_name"] == "Strategy Co-pilot"
    # The strategy scope sees everything the org did: creating it is its first event.
    assert "xentri.org.created.v1" in [event["type"] for event in strategy.json()["events"]]
    assert finance.json()["agent_name"] == "Copiloto de Finanzas"
    # Finance follows invoices and payments, none of which this new org has.
    assert finance.json()["events"] == []


async def test_the_context_shows_only_the_callers_org(owner, client_for):
    app, _person, org = owner
    async with client_for(app) as other_client:
        stranger = await sign_up(other_client)
        await create_org(stranger)

        mine = await stranger.client.get(
            "/api/v1/copilot/strategy/context", headers=stranger.headers()
        )
        theirs = await stranger.client.get(
            "/api/v1/copilot/strategy/context", headers=stranger.headers(**{"x-org-id": str(org)})
        )

    assert [event["type"] for event in mine.json()["events"]].count("xentri.org.created.v1") == 1
    assert theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"


async def test_an_unknown_scope_has_no_context(owner):
    _app, person, _org = owner

    response = await person.client.get(
        "/api/v1/copilot/module.finance.astrology/context", headers=person.headers()
    )

    assert response.status_code == 404
    assert response.json()["type"].endswith("unknown-scope")
