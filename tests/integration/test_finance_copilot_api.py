"""Asking the Finance Co-pilot through the copilot API, with the finance worker wired as in
production (xentri.agent_tools): the offline model calls the tool that answers the question
and answers with its words; a configured cloud model is offered the same tools."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime

import pytest
from pydantic_ai import ModelMessage, ModelResponse
from pydantic_ai.messages import ToolReturnPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel
from redis.asyncio import Redis

from tests.support.finance import new_customer, sent_invoice
from tests.support.identity import create_org, sign_up
from xentri.agent_tools import agent_tools, offline_copilot
from xentri.ai.config import AiSettings
from xentri.ai.heartbeat import heartbeat_key
from xentri.ai.offline_model import offline_model
from xentri.ai.providers import model_factory
from xentri.ai.registry import load_agent_registry
from xentri.ai.runner import AgentRunner
from xentri.ai.worker import AgentWorker
from xentri.categories.finance.copilot import money_text

pytestmark = pytest.mark.integration

BRIEF = {
    "identity": {"name": "Panadería Lupita", "locations": [{"city": "Oaxaca", "country": "MX"}]},
    "offerings": [{"name": "Pastel", "price_minor": 25_000, "currency": "MXN", "unit": "pieza"}],
    "goals": [{"statement": "50 new customers", "target": "50", "deadline": "2027-06-30"}],
}


async def approve_brief(person) -> None:
    headers = person.headers()
    drafted = await person.client.put("/api/v1/strategy/brief/draft", json=BRIEF, headers=headers)
    assert drafted.status_code == 200, drafted.text
    for action in ("ready", "approve"):
        done = await person.client.post(f"/api/v1/strategy/brief/flow/{action}", headers=headers)
        assert done.status_code == 200, done.text


def sse_text(body: str) -> tuple[str, dict]:
    blocks = [block for block in body.strip().split("\n\n") if block]
    last = dict(line.split(": ", 1) for line in blocks[-1].splitlines())
    deltas = "".join(
        json.loads(dict(line.split(": ", 1) for line in block.splitlines())["data"])["text"]
        for block in blocks[:-1]
    )
    return deltas, {"event": last["event"], **json.loads(last["data"])}


@contextlib.asynccontextmanager
async def finance_worker(app, ai: AiSettings, *, test_model=None):
    registry = load_agent_registry()
    redis = Redis.from_url(app.state.settings.redis_url, socket_timeout=5)
    factory = model_factory(ai, offline=offline_model(lambda p: "unused"), test=test_model)
    models = (lambda choice: test_model) if test_model is not None else factory
    runner = AgentRunner(settings=ai, engine=app.state.engine, redis=app.state.redis, models=models)
    worker = AgentWorker(
        category="finance",
        registry=registry,
        runner=runner,
        settings=ai,
        engine=app.state.engine,
        redis=redis,
        offline_for=offline_copilot(),
        tools=agent_tools(),
        heartbeat_every=0.2,
        heartbeat_timeout=1.0,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        for _ in range(100):
            if await app.state.redis.exists(heartbeat_key("finance")):
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
        lupita = await new_customer(person, "Panadería Lupita")
        sol = await new_customer(person, "Café Sol")
        this_month = datetime.now(UTC).date().replace(day=1).isoformat()
        pastel = {"description": "Pastel", "quantity": "3", "unit_price_minor": 19_400}
        late = await sent_invoice(person, lupita, issue_date="2026-01-05", lines=[pastel])
        recent = await sent_invoice(person, sol, issue_date=this_month, lines=[pastel])
        yield app, person, org, late, recent


async def ask(person, question: str, language: str = "en") -> tuple[str, dict]:
    response = await person.client.post(
        "/api/v1/copilot/category.finance/ask",
        json={"question": question},
        headers=person.headers(**{"accept-language": language}),
    )
    assert response.status_code == 200, response.text
    return sse_text(response.text)


async def test_who_owes_me_is_answered_from_the_data_in_both_languages(owner):
    app, person, _org, late, recent = owner
    async with finance_worker(app, AiSettings()):
        english, done = await ask(person, "Who owes me money?")
        spanish, _ = await ask(person, "¿Quién me debe dinero?", "es")

    assert done["event"] == "done"
    assert done["provider"] == "offline"
    assert english == done["text"]
    assert english.startswith("2 customers owe you MX$1,164.00 on 2 open invoices.")
    assert f"- Panadería Lupita: MX$582.00 ({late['number']}, MX$582.00, " in english
    assert "days overdue)" in english
    assert f"- Café Sol: MX$582.00 ({recent['number']}, MX$582.00, not due yet)" in english
    assert spanish.startswith("2 clientes te deben $1,164.00 en 2 facturas pendientes.")
    assert "días de atraso" in spanish


async def test_revenue_and_pricing_questions_call_their_tools(owner):
    app, person, _org, _late, recent = owner
    await approve_brief(person)
    async with finance_worker(app, AiSettings()):
        revenue, _ = await ask(person, "How is revenue this month compared to last month?")
        prices, _ = await ask(person, "Any pricing suggestions?")
        advice, _ = await ask(person, "Should I raise my prices?")

    net = money_text(recent["total_minor"] - recent["tax_minor"], "MXN", "en")
    assert revenue.startswith(f"Revenue in {datetime.now(UTC):%B %Y}: {net} from 1 invoice")
    assert "Top customers from " in revenue
    assert prices.startswith(
        "- You list Pastel at MX$250.00 but invoiced it at MX$194.00 on average over 2 invoices "
        "(6 units), 22.4% less."
    )
    assert "needs a cloud AI model" in advice  # advice is still not guessed offline


async def test_a_cloud_model_is_offered_the_same_tools(owner):
    app, person, _org, _late, _recent = owner
    offered: list[str] = []

    def call_then_quote(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise AssertionError("the worker streams")

    async def stream(messages: list[ModelMessage], info: AgentInfo):
        returns = [
            part
            for message in messages
            for part in getattr(message, "parts", [])
            if isinstance(part, ToolReturnPart)
        ]
        if not returns:
            offered.extend(tool.name for tool in info.function_tools)
            yield {0: DeltaToolCall(name="finance_who_owes_me", json_args='{"language": "es"}')}
            return
        yield "Según los datos: " + returns[-1].content.answer

    model = FunctionModel(call_then_quote, stream_function=stream, model_name="cloud-stand-in")
    async with finance_worker(app, AiSettings(), test_model=model):
        text, done = await ask(person, "Who owes me money?")

    assert {
        "finance_who_owes_me",
        "finance_revenue_analysis",
        "finance_top_customers",
        "finance_pricing_suggestions",
        "memory_search_journal",
    } <= set(offered)
    assert text.startswith("Según los datos: 2 clientes te deben $1,164.00")
    assert done["event"] == "done"
