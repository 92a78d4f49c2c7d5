"""The copilot API: quick answers streamed over SSE by the category's worker, threads that keep
their history, and 503s (plane down, budget spent) that name their reason."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from pydantic_ai import ModelMessage, ModelRequest, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from redis.asyncio import Redis

from tests.support.db import as_org
from tests.support.identity import add_member, create_org, sign_up
from xentri.ai.config import AiSettings
from xentri.ai.copilot.offline import copilot_responder
from xentri.ai.heartbeat import heartbeat_key
from xentri.ai.offline_model import offline_model
from xentri.ai.providers import model_factory
from xentri.ai.registry import load_agent_registry
from xentri.ai.runner import AgentRunner
from xentri.ai.worker import AgentWorker

pytestmark = pytest.mark.integration


def sse_events(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def history_counting_model() -> FunctionModel:
    """Answers with how many earlier turns it was given, so a test sees the history arrive."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        earlier = sum(1 for m in messages[:-1] if isinstance(m, ModelRequest))
        return ModelResponse(parts=[TextPart(f"turn {earlier + 1}")])

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        earlier = sum(1 for m in messages[:-1] if isinstance(m, ModelRequest))
        yield "turn "
        yield str(earlier + 1)

    return FunctionModel(respond, stream_function=stream, model_name="counting")


@contextlib.asynccontextmanager
async def running_worker(app, category: str, ai: AiSettings, *, test_model=None):
    """The category's worker in this event loop, with its own Redis client as in production."""
    registry = load_agent_registry()
    redis = Redis.from_url(app.state.settings.redis_url, socket_timeout=5)
    factory = model_factory(ai, offline=offline_model(lambda p: "unused"), test=test_model)
    models = (lambda choice: test_model) if test_model is not None else factory
    runner = AgentRunner(settings=ai, engine=app.state.engine, redis=app.state.redis, models=models)
    worker = AgentWorker(
        category=category,
        registry=registry,
        runner=runner,
        settings=ai,
        engine=app.state.engine,
        redis=redis,
        offline_for=copilot_responder,
        heartbeat_every=0.2,
        heartbeat_timeout=1.0,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        for _ in range(100):
            if await app.state.redis.exists(heartbeat_key(category)):
                break
            await asyncio.sleep(0.02)
        yield worker
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await redis.aclose()


@pytest.fixture
async def owner(make_app, client_for):
    app = make_app()
    async with client_for(app) as client:
        person = await sign_up(client)
        org = await create_org(person)
        yield app, person, org


async def test_a_quick_answer_streams_from_the_offline_engine(owner):
    app, person, _org = owner
    async with running_worker(app, "finance", AiSettings()):
        response = await person.client.post(
            "/api/v1/copilot/category.finance/ask",
            json={"question": "Should I raise my prices?"},
            headers=person.headers(),
        )

    events = sse_events(response.text)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert {name for name, _ in events[:-1]} == {"delta"}
    assert events[-1][0] == "done"
    text = "".join(data["text"] for name, data in events[:-1])
    assert text == events[-1][1]["text"]
    assert "needs a cloud AI model" in text  # advice: said plainly, never guessed
    assert events[-1][1]["agent_id"] == "finance.copilot"
    assert events[-1][1]["provider"] == "offline"


async def test_the_answer_is_in_the_users_language_and_reads_the_orgs_events(owner):
    app, person, _org = owner
    async with running_worker(app, "strategy", AiSettings()):
        response = await person.client.post(
            "/api/v1/copilot/strategy/ask",
            json={"question": "¿Qué pasó recientemente?"},
            headers=person.headers(**{"accept-language": "es-MX,es;q=0.9"}),
        )

    done = sse_events(response.text)[-1][1]
    assert done["text"].startswith("Los últimos")
    assert "xentri.org.created.v1" in done["text"]


async def test_without_a_running_worker_the_copilot_is_a_503_and_tools_still_work(owner):
    _app, person, org = owner

    response = await person.client.post(
        "/api/v1/copilot/category.sales/ask",
        json={"question": "How many leads?"},
        headers=person.headers(),
    )
    tools = await person.client.get(f"/api/v1/orgs/{org}", headers=person.headers())

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("assistant-unavailable")
    assert tools.status_code == 200


async def test_a_spent_budget_is_a_503_with_the_next_window(owner):
    app, person, _org = owner
    metered = AiSettings(
        llm_provider="anthropic", anthropic_api_key="sk-ant-test", llm_tokens_per_window=1
    )
    async with running_worker(app, "finance", metered, test_model=history_counting_model()):
        first = await person.client.post(
            "/api/v1/copilot/category.finance/ask",
            json={"question": "hi"},
            headers=person.headers(),
        )
        second = await person.client.post(
            "/api/v1/copilot/category.finance/ask",
            json={"question": "hi again"},
            headers=person.headers(),
        )

    assert first.status_code == 200
    assert second.status_code == 503
    problem = second.json()
    assert problem["type"].endswith("assistant-on-a-break")
    assert problem["next_available"][11:16] in {"00:00", "06:00", "12:00", "18:00"}
    assert int(second.headers["retry-after"]) > 0


async def test_a_thread_keeps_both_turns_and_sends_its_history(owner, owner_conn):
    app, person, org = owner
    metered = AiSettings(llm_provider="anthropic", anthropic_api_key="sk-ant-test")
    async with running_worker(app, "finance", metered, test_model=history_counting_model()):
        created = await person.client.post(
            "/api/v1/copilot/category.finance/threads", json={}, headers=person.headers()
        )
        thread_id = created.json()["id"]
        first = await person.client.post(
            f"/api/v1/copilot/threads/{thread_id}/messages",
            json={"content": "What did we invoice this month?"},
            headers=person.headers(),
        )
        second = await person.client.post(
            f"/api/v1/copilot/threads/{thread_id}/messages",
            json={"content": "And last month?"},
            headers=person.headers(),
        )

    thread = (
        await person.client.get(f"/api/v1/copilot/threads/{thread_id}", headers=person.headers())
    ).json()
    assert created.status_code == 201
    assert sse_events(first.text)[-1][1]["text"] == "turn 1"
    assert sse_events(second.text)[-1][1]["text"] == "turn 2"
    assert thread["title"] == "What did we invoice this month?"
    assert [(m["role"], m["content"]) for m in thread["messages"]] == [
        ("user", "What did we invoice this month?"),
        ("assistant", "turn 1"),
        ("user", "And last month?"),
        ("assistant", "turn 2"),
    ]
    with as_org(owner_conn, org):
        remembered = owner_conn.execute(
            "select kind, body from memory_episodes where kind = 'conversation' "
            "order by occurred_at"
        ).fetchall()
    assert remembered == [
        ("conversation", "Q: What did we invoice this month?\nA: turn 1"),
        ("conversation", "Q: And last month?\nA: turn 2"),
    ]


async def test_a_failed_answer_stores_no_half_turn(owner):
    _app, person, _org = owner
    created = await person.client.post(
        "/api/v1/copilot/category.legal/threads", json={}, headers=person.headers()
    )
    thread_id = created.json()["id"]

    response = await person.client.post(
        f"/api/v1/copilot/threads/{thread_id}/messages",
        json={"content": "Is my contract valid?"},
        headers=person.headers(),
    )
    thread = (
        await person.client.get(f"/api/v1/copilot/threads/{thread_id}", headers=person.headers())
    ).json()

    assert response.status_code == 503
    assert thread["messages"] == []


async def test_threads_are_private_paginated_and_deletable(owner, client_for, owner_conn):
    app, person, org = owner
    ids = []
    for index in range(3):
        created = await person.client.post(
            "/api/v1/copilot/strategy/threads",
            json={"title": f"Plan {index}"},
            headers=person.headers(),
        )
        ids.append(created.json()["id"])
    async with client_for(app) as other_client:
        colleague = await sign_up(other_client, name="Bea")
        add_member(owner_conn, org, colleague.user_id, "member")
        theirs = await colleague.client.get(
            f"/api/v1/copilot/threads/{ids[0]}",
            headers=colleague.headers(**{"x-org-id": str(org)}),
        )

    first_page = await person.client.get(
        "/api/v1/copilot/strategy/threads", headers=person.headers()
    )
    deleted = await person.client.delete(
        f"/api/v1/copilot/threads/{ids[0]}", headers=person.headers()
    )
    gone = await person.client.get(f"/api/v1/copilot/threads/{ids[0]}", headers=person.headers())

    assert theirs.status_code == 404
    assert [t["title"] for t in first_page.json()["items"]] == ["Plan 2", "Plan 1", "Plan 0"]
    assert first_page.json()["next_cursor"] is None
    assert deleted.status_code == 204
    assert gone.status_code == 404


async def test_an_unknown_scope_is_a_404_problem(owner):
    _app, person, _org = owner

    response = await person.client.post(
        "/api/v1/copilot/category.astrology/ask",
        json={"question": "?"},
        headers=person.headers(),
    )

    assert response.status_code == 404
    assert response.json()["type"].endswith("unknown-scope")


async def test_an_empty_question_is_a_422_with_the_field(owner):
    _app, person, _org = owner

    response = await person.client.post(
        "/api/v1/copilot/strategy/ask", json={"question": ""}, headers=person.headers()
    )

    assert response.status_code == 422
    assert "question" in json.dumps(response.json())
