"""The journal as an agent's tool, called by a model through the runner: it answers from the
agent's own org only."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from pydantic_ai import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.messages import ToolReturnPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_core import to_json

from xentri.ai.config import AiSettings
from xentri.ai.memory import record_episode
from xentri.ai.memory.tools import SEARCH_JOURNAL, search_journal_tool
from xentri.ai.providers import ModelChoice
from xentri.ai.runner import AgentRequest, AgentRunner
from xentri.kernel.db.tenant import tenant_transaction

pytestmark = pytest.mark.integration


def asks_the_journal(query: str) -> FunctionModel:
    """A model that searches the journal once, then answers with what the tool returned."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        returned = [
            part
            for message in messages
            if isinstance(message, ModelRequest)
            for part in message.parts
            if isinstance(part, ToolReturnPart)
        ]
        if not returned:
            assert [tool.name for tool in info.function_tools] == [SEARCH_JOURNAL]
            return ModelResponse(parts=[ToolCallPart(SEARCH_JOURNAL, {"query": query})])
        return ModelResponse(parts=[TextPart(to_json(returned[0].content).decode())])

    return FunctionModel(respond, model_name="journal-reader")


async def ask(app_engine, redis_client, org: uuid.UUID, query: str) -> list[dict]:
    runner = AgentRunner(
        settings=AiSettings(),
        engine=app_engine,
        redis=redis_client,
        models=lambda _choice: asks_the_journal(query),
    )
    reply = await runner.answer(
        AgentRequest(
            org_id=org,
            agent_id="sales.copilot",
            instructions="You are the Sales Co-pilot.",
            prompt="Have we dealt with Café Olé before?",
            choice=ModelChoice("test", "scripted"),
            tools=[search_journal_tool()],
        )
    )
    return json.loads(reply.text)


async def test_an_agent_finds_its_orgs_past_dealings_and_no_one_elses(app_engine, redis_client):
    # Given one org that dealt with Café Olé, and another that did not
    org, other = uuid.uuid4(), uuid.uuid4()
    async with tenant_transaction(app_engine, org) as tx:
        await record_episode(
            tx=tx,
            org_id=org,
            kind="conversation",
            title="Pedido de Café Olé",
            body="Pidieron 40 conchas para el sábado; pagan a 30 días.",
            occurred_at=datetime(2026, 10, 3, 15, tzinfo=UTC),
        )

    # When each org's agent asks its journal
    found = await ask(app_engine, redis_client, org, "cafe ole")
    found_elsewhere = await ask(app_engine, redis_client, other, "cafe ole")

    # Then only the org's own agent hears about it
    assert found == [
        {
            "when": "2026-10-03",
            "kind": "conversation",
            "title": "Pedido de Café Olé",
            "excerpt": "Pidieron 40 conchas para el sábado; pagan a 30 días.",
        }
    ]
    assert found_elsewhere == []
