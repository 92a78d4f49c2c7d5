"""The agent runner: usage recorded per org, budgets enforced before the call, structured output
retried, provider failures turned into a 503 problem; HTTP providers against recorded shapes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import httpx2
import pytest
from pydantic import BaseModel
from pydantic_ai import ModelMessage, ModelResponse, RunContext, TextPart, Tool, ToolCallPart
from pydantic_ai.models import Model
from pydantic_ai.models.function import AgentInfo, FunctionModel
from sqlalchemy import func, select

from tests.support.db import as_org
from tests.support.events import thing
from tests.support.spine import emit_committed
from xentri.ai.budgets import budget_window
from xentri.ai.config import AiSettings
from xentri.ai.errors import BudgetExhaustedError, ModelUnavailableError
from xentri.ai.offline_model import offline_model
from xentri.ai.providers import ModelChoice, cloud_model
from xentri.ai.runner import AgentReply, AgentRequest, AgentRunner
from xentri.ai.tools import ToolContext
from xentri.kernel.events.tables import system_events

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)
TEST = ModelChoice("test", "scripted")


class Offering(BaseModel):
    name: str
    price_minor: int


def scripted(*replies: str | dict) -> FunctionModel:
    """A deterministic model: each call takes the next reply (a dict fills the output tool)."""
    queue = list(replies)

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, dict):
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, reply)])
        return ModelResponse(parts=[TextPart(reply)])

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        for word in ["Hola ", "Ana, ", "todo ", "bien."]:
            yield word

    return FunctionModel(respond, stream_function=stream, model_name="scripted")


def runner_for(app_engine, redis_client, model: Model, **settings) -> AgentRunner:
    return AgentRunner(
        settings=AiSettings(**settings),
        engine=app_engine,
        redis=redis_client,
        models=lambda choice: model,
        clock=lambda: NOW,
    )


def request(org: uuid.UUID, prompt: str = "How are we doing?", **kwargs) -> AgentRequest:
    return AgentRequest(
        org_id=org,
        agent_id="finance.copilot",
        instructions="You are the Finance Co-pilot.",
        prompt=prompt,
        **kwargs,
    )


def usage_rows(owner_conn, org):
    with as_org(owner_conn, org):
        return owner_conn.execute(
            "select agent_id, provider, model, input_tokens > 0, output_tokens, metered "
            "from ai_usage order by created_at"
        ).fetchall()


async def test_an_answer_records_the_calls_tokens_for_the_org(app_engine, redis_client, owner_conn):
    org = uuid.uuid4()
    runner = runner_for(app_engine, redis_client, scripted("Revenue is up 12% this month."))

    reply = await runner.answer(request(org, choice=TEST))

    assert reply.text == "Revenue is up 12% this month."
    assert usage_rows(owner_conn, org) == [("finance.copilot", "test", "scripted", True, 7, True)]


async def test_streaming_yields_deltas_then_the_whole_reply(app_engine, redis_client, owner_conn):
    org = uuid.uuid4()
    runner = runner_for(app_engine, redis_client, scripted("unused"))

    items = [item async for item in runner.stream(request(org, choice=TEST))]

    assert items[:-1] == ["Hola ", "Ana, ", "todo ", "bien."]
    assert isinstance(items[-1], AgentReply)
    assert items[-1].text == "Hola Ana, todo bien."
    assert len(usage_rows(owner_conn, org)) == 1


async def test_invalid_structured_output_is_sent_back_and_fixed(app_engine, redis_client):
    org = uuid.uuid4()
    model = scripted({"name": "Latte"}, {"name": "Latte", "price_minor": 4500})
    runner = runner_for(app_engine, redis_client, model)

    offering = await runner.structured(request(org, choice=TEST), Offering)

    assert offering == Offering(name="Latte", price_minor=4500)


async def test_output_that_stays_invalid_is_a_503_not_a_500(app_engine, redis_client, owner_conn):
    org = uuid.uuid4()
    runner = runner_for(app_engine, redis_client, scripted({"name": "Latte"}))

    with pytest.raises(ModelUnavailableError) as caught:
        await runner.structured(request(org, choice=TEST), Offering)

    assert caught.value.status == 503
    assert usage_rows(owner_conn, org) == []


async def test_an_exhausted_budget_refuses_until_the_next_window(
    app_engine, redis_client, owner_conn
):
    org = uuid.uuid4()
    runner = runner_for(
        app_engine, redis_client, scripted("a fairly long answer " * 10), llm_tokens_per_window=60
    )
    await runner.answer(request(org, choice=TEST))  # spends more than 60 tokens

    with pytest.raises(BudgetExhaustedError) as caught:
        await runner.answer(request(org, choice=TEST))

    window = budget_window(NOW, "UTC")
    assert caught.value.next_available == window.end
    assert caught.value.extensions["next_available"] == window.end.isoformat()
    assert window.end.hour in (0, 6, 12, 18)
    assert len(usage_rows(owner_conn, org)) == 1


async def test_the_budget_survives_a_lost_redis_counter(app_engine, redis_client):
    org = uuid.uuid4()
    runner = runner_for(
        app_engine, redis_client, scripted("a fairly long answer " * 10), llm_tokens_per_window=60
    )
    await runner.answer(request(org, choice=TEST))
    await redis_client.delete(*[key async for key in redis_client.scan_iter(f"ai:budget:{org}:*")])

    with pytest.raises(BudgetExhaustedError):
        await runner.answer(request(org, choice=TEST))


async def test_the_offline_model_is_not_metered(app_engine, redis_client, owner_conn):
    org = uuid.uuid4()
    model = offline_model(lambda prompt: f"offline heard: {prompt.text}")
    runner = runner_for(app_engine, redis_client, model, llm_tokens_per_window=1)

    for _ in range(3):
        reply = await runner.answer(request(org, "hola"))

    assert reply.text == "offline heard: hola"
    rows = usage_rows(owner_conn, org)
    assert [(provider, metered) for _, provider, _, _, _, metered in rows] == [
        ("offline", False)
    ] * 3


# --- HTTP providers, against recorded request/response shapes (no network) -------------------

ANTHROPIC_OK = {
    "id": "msg_01",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-6",
    "content": [{"type": "text", "text": "You have 3 overdue invoices."}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 120, "output_tokens": 9},
}
OPENAI_OK = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1764072000,
    "model": "llama3.1",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Tienes 3 facturas vencidas."},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 80, "completion_tokens": 7, "total_tokens": 87},
}


class Recorded:
    """Replays responses in order and keeps the requests it saw."""

    def __init__(self, *responses: tuple[int, dict]) -> None:
        self.responses = list(responses)
        self.requests: list[httpx2.Request] = []

    def __call__(self, incoming: httpx2.Request) -> httpx2.Response:
        self.requests.append(incoming)
        status, body = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        # retry-after-ms keeps the SDKs' backoff short in tests
        return httpx2.Response(status, json=body, headers={"retry-after-ms": "1"})


def http_runner(app_engine, redis_client, provider: str, recorded: Recorded, **settings):
    ai = AiSettings(
        llm_provider=provider,
        anthropic_api_key="sk-ant-test",
        openai_api_key="sk-test",
        llm_base_url="http://127.0.0.1:11434/v1" if provider == "openai" else None,
        llm_model="llama3.1" if provider == "openai" else None,
        **settings,
    )
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(recorded))
    return AgentRunner(
        settings=ai,
        engine=app_engine,
        redis=redis_client,
        models=lambda choice: cloud_model(choice, ai, http_client=client),
        clock=lambda: NOW,
    )


async def test_anthropic_answer_and_its_token_counts(app_engine, redis_client, owner_conn):
    org = uuid.uuid4()
    recorded = Recorded((200, ANTHROPIC_OK))
    runner = http_runner(app_engine, redis_client, "anthropic", recorded)

    reply = await runner.answer(request(org))

    sent = json.loads(recorded.requests[0].content)
    assert recorded.requests[0].url.path == "/v1/messages"
    assert sent["max_tokens"] == 4096
    assert recorded.requests[0].headers["authorization"] == "Bearer sk-ant-test"
    assert sent["model"] == "claude-sonnet-4-6"
    assert "Finance Co-pilot" in json.dumps(sent["system"])
    assert reply.text == "You have 3 overdue invoices."
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (120, 9)
    assert usage_rows(owner_conn, org) == [
        ("finance.copilot", "anthropic", "claude-sonnet-4-6", True, 9, True)
    ]


async def test_a_rate_limited_call_is_retried(app_engine, redis_client):
    org = uuid.uuid4()
    limited = {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}}
    recorded = Recorded((429, limited), (200, ANTHROPIC_OK))
    runner = http_runner(app_engine, redis_client, "anthropic", recorded)

    reply = await runner.answer(request(org))

    assert len(recorded.requests) == 2
    assert reply.text == "You have 3 overdue invoices."


async def test_a_provider_that_keeps_failing_is_a_503(app_engine, redis_client, owner_conn):
    org = uuid.uuid4()
    broken = {"type": "error", "error": {"type": "api_error", "message": "overloaded"}}
    recorded = Recorded((500, broken))
    runner = http_runner(app_engine, redis_client, "anthropic", recorded, llm_max_retries=2)

    with pytest.raises(ModelUnavailableError):
        await runner.answer(request(org))

    assert len(recorded.requests) == 3  # the call and its two retries
    assert usage_rows(owner_conn, org) == []


async def test_openai_compatible_local_server(app_engine, redis_client, owner_conn):
    org = uuid.uuid4()
    recorded = Recorded((200, OPENAI_OK))
    runner = http_runner(app_engine, redis_client, "openai", recorded)

    reply = await runner.answer(request(org, "¿Cómo vamos?"))

    assert str(recorded.requests[0].url) == "http://127.0.0.1:11434/v1/chat/completions"
    sent = json.loads(recorded.requests[0].content)
    assert sent["model"] == "llama3.1"
    assert sent["messages"][-1] == {"role": "user", "content": "¿Cómo vamos?"}
    assert reply.text == "Tienes 3 facturas vencidas."
    assert usage_rows(owner_conn, org) == [("finance.copilot", "openai", "llama3.1", True, 7, True)]


async def test_a_malformed_provider_response_is_a_503(app_engine, redis_client):
    org = uuid.uuid4()
    recorded = Recorded((200, {"unexpected": "shape"}))
    runner = http_runner(app_engine, redis_client, "openai", recorded, llm_max_retries=0)

    with pytest.raises(ModelUnavailableError):
        await runner.answer(request(org))


async def test_a_tool_call_reads_only_the_agents_org(app_engine, redis_client):
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    await emit_committed(app_engine, [thing(mine, "a"), thing(mine, "b"), thing(theirs, "c")])

    async def count_events(ctx: RunContext[ToolContext]) -> int:
        """How many events the org has."""
        async with ctx.deps.transaction() as tx:
            return int(await tx.scalar(select(func.count()).select_from(system_events)) or 0)

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        returned = [
            part.content
            for message in messages
            for part in getattr(message, "parts", [])
            if getattr(part, "part_kind", "") == "tool-return"
        ]
        if not returned:
            return ModelResponse(parts=[ToolCallPart("count_events", {})])
        return ModelResponse(parts=[TextPart(f"You have {returned[0]} events.")])

    runner = runner_for(app_engine, redis_client, FunctionModel(respond, model_name="tools"))

    reply = await runner.answer(request(mine, choice=TEST, tools=[Tool(count_events)]))

    assert reply.text == "You have 2 events."
    assert reply.usage.provider == "test"
