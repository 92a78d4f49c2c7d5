"""Every rule of the agent registry refuses a crafted bad registry, naming file, entry, field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.unit.ai.registry.builders import TOOLS, agent, agents_raw, parse, souls_for, tools_raw
from xentri.ai.registry import RegistryError, SoulTexts

Change = Callable[[dict[str, Any]], None]


def test_the_fixture_registry_is_valid():
    registry = parse(agents_raw())

    assert len(registry.agents) == 42
    assert len(registry.copilots()) == 7
    assert registry.get("finance.reports_agent").model.provider == "test"


def set_field(agent_id: str, field: str, value: Any) -> Change:
    def change(raw: dict[str, Any]) -> None:
        agent(raw, agent_id)[field] = value

    return change


def drop_agent(agent_id: str) -> Change:
    def change(raw: dict[str, Any]) -> None:
        raw["agents"] = [entry for entry in raw["agents"] if entry["id"] != agent_id]

    return change


def duplicate_agent(agent_id: str) -> Change:
    def change(raw: dict[str, Any]) -> None:
        raw["agents"].append(dict(agent(raw, agent_id)))

    return change


def move_agent(agent_id: str, *, category: str, parent: str) -> Change:
    def change(raw: dict[str, Any]) -> None:
        entry = agent(raw, agent_id)
        entry["category"] = category
        entry["parent"] = parent

    return change


BROKEN_AGENTS: dict[str, tuple[Change, str]] = {
    "duplicate id": (
        duplicate_agent("sales.crm_agent"),
        "agents.yaml: agent sales.crm_agent: id: declared 2 times",
    ),
    "a missing sub-category agent": (
        drop_agent("legal.entity_agent"),
        "agents.yaml: category legal: has 4 sub-category agents, needs exactly 5",
    ),
    "a missing co-pilot": (
        drop_agent("team.copilot"),
        "agents.yaml: agent team.people_agent: parent: no agent 'team.copilot'",
    ),
    "parent that does not exist": (
        set_field("brand.content_agent", "parent", "brand.boss"),
        "agents.yaml: agent brand.content_agent: parent: no agent 'brand.boss'",
    ),
    "parent that is not a co-pilot": (
        set_field("brand.content_agent", "parent", "brand.website_agent"),
        "agents.yaml: agent brand.content_agent: parent: brand.website_agent is not a co-pilot",
    ),
    "parent in another category": (
        set_field("brand.content_agent", "parent", "sales.copilot"),
        "agents.yaml: agent brand.content_agent: parent: sales.copilot is in category sales",
    ),
    "co-pilot with a parent": (
        set_field("sales.copilot", "parent", "strategy.copilot"),
        "agents.yaml: agent sales.copilot: parent: a co-pilot has no parent",
    ),
    "unknown category": (
        set_field("sales.copilot", "category", "marketing"),
        "agents.yaml: agent sales.copilot: category: no category 'marketing' in the catalogue",
    ),
    "sub-category not in the catalogue": (
        set_field("finance.billing_agent", "subcategory", "finance.invoicing"),
        "agents.yaml: agent finance.billing_agent: subcategory: no sub-category"
        " 'finance.invoicing' in category finance",
    ),
    "sub-category of another category": (
        set_field("finance.billing_agent", "subcategory", "sales.crm"),
        "agents.yaml: agent finance.billing_agent: subcategory: no sub-category 'sales.crm' in"
        " category finance",
    ),
    "agent id outside its category": (
        move_agent("finance.billing_agent", category="sales", parent="sales.copilot"),
        "agents.yaml: agent finance.billing_agent: id: must start with its category 'sales.'",
    ),
    "id not derived from the sub-category": (
        set_field("finance.billing_agent", "id", "finance.invoicing_agent"),
        "agents.yaml: agent finance.invoicing_agent: id: a sub-category agent's id is"
        " 'finance.billing_agent'",
    ),
    "co-pilot id not <category>.copilot": (
        lambda raw: [
            entry.update(id="finance.cfo") if entry["id"] == "finance.copilot" else None
            for entry in raw["agents"]
        ],
        "agents.yaml: agent finance.cfo: id: a co-pilot's id is 'finance.copilot'",
    ),
    "scope of another category": (
        set_field("finance.copilot", "scope", "category.sales"),
        "agents.yaml: agent finance.copilot: scope: is 'category.sales'; this agent's scope is"
        " 'category.finance'",
    ),
    "scope of the wrong level": (
        set_field("finance.billing_agent", "scope", "category.finance"),
        "agents.yaml: agent finance.billing_agent: scope: is 'category.finance'; this agent's"
        " scope is 'subcategory.finance.billing'",
    ),
    "malformed scope": (
        set_field("finance.copilot", "scope", "finance"),
        "agents.yaml: agent finance.copilot: scope: scope 'finance' must be 'strategy',",
    ),
    "unknown tool": (
        set_field("sales.copilot", "tools", ["sales.read_pipeline"]),
        "agents.yaml: agent sales.copilot: tools: unknown tool 'sales.read_pipeline'"
        " (not in tools.yaml)",
    ),
    "another category's mutating tool": (
        set_field("sales.quotes_agent", "tools", ["finance.create_invoice_draft"]),
        "agents.yaml: agent sales.quotes_agent: tools: finance.create_invoice_draft changes"
        " finance data; only finance agents may use it",
    ),
    "a tool listed twice": (
        set_field("sales.copilot", "tools", ["strategy.read_brief", "strategy.read_brief"]),
        "agents.yaml: agent sales.copilot: tools: lists a tool twice",
    ),
    "malformed event type": (
        set_field("finance.copilot", "subscribes", ["invoice.sent"]),
        "agents.yaml: agent finance.copilot: subscribes: event type 'invoice.sent'"
        " must look like xentri.<context>.<action>.v<N>",
    ),
    "event type without a version": (
        set_field("finance.copilot", "subscribes", ["xentri.invoice.sent"]),
        "agents.yaml: agent finance.copilot: subscribes: event type",
    ),
    "unknown model provider": (
        set_field("finance.copilot", "model", {"provider": "gemini", "model": "x"}),
        "agents.yaml: agent finance.copilot: model.provider: Input should be 'offline',"
        " 'anthropic', 'openai' or 'test'",
    ),
    "missing names in Spanish": (
        set_field("finance.copilot", "names", {"en": "Finance Co-pilot"}),
        "agents.yaml: agent finance.copilot: names.es: Field required",
    ),
    "a role over two lines": (
        set_field("finance.copilot", "role", "Watches the money.\nAnd more."),
        "agents.yaml: agent finance.copilot: role: must be one line",
    ),
    "an unknown field": (
        set_field("finance.copilot", "prompt", "You are..."),
        "agents.yaml: agent finance.copilot: prompt: Extra inputs are not permitted",
    ),
    "an entry that is not a mapping": (
        lambda raw: raw["agents"].append("finance.extra"),
        "agents.yaml: agent #43: entry: Input should be a valid dictionary",
    ),
    "wrong version": (
        lambda raw: raw.update(version=2),
        "agents.yaml: version: must be 1",
    ),
    "no agents": (
        lambda raw: raw.update(agents=[]),
        "agents.yaml: agents: must be a non-empty list",
    ),
}


@pytest.mark.parametrize(("change", "message"), BROKEN_AGENTS.values(), ids=BROKEN_AGENTS.keys())
def test_a_broken_agents_file_is_refused_with_file_agent_and_field(change, message):
    raw = agents_raw()
    souls = souls_for(raw)
    change(raw)

    with pytest.raises(RegistryError) as refused:
        parse(raw, souls=souls)

    assert str(refused.value).startswith(message)


def with_tool(**fields: Any) -> dict[str, Any]:
    raw = tools_raw()
    raw["tools"].append(
        {
            "name": "finance.list_invoices",
            "owner": "finance",
            "mutating": False,
            "description": "List invoices by state.",
        }
        | fields
    )
    return raw


BROKEN_TOOLS: dict[str, tuple[dict[str, Any], str]] = {
    "duplicate name": (
        with_tool(name="strategy.read_brief", owner="strategy"),
        "tools.yaml: tool strategy.read_brief: name: declared 2 times",
    ),
    "owner not matching the name": (
        with_tool(owner="sales"),
        "tools.yaml: tool finance.list_invoices: owner: is 'sales' but the name starts with"
        " 'finance'",
    ),
    "unknown owner": (
        with_tool(name="crm.find", owner="crm"),
        "tools.yaml: tool crm.find: owner: Input should be",
    ),
    "malformed name": (
        with_tool(name="ListInvoices"),
        "tools.yaml: tool ListInvoices: name: String should match pattern",
    ),
    "no description": (
        with_tool(description=""),
        "tools.yaml: tool finance.list_invoices: description: String should have at least 10",
    ),
    "missing read-only or mutating": (
        {
            "version": 1,
            "tools": [
                *TOOLS,
                {
                    "name": "finance.x_y",
                    "owner": "finance",
                    "description": "Does something useful.",
                },
            ],
        },
        "tools.yaml: tool finance.x_y: mutating: Field required",
    ),
    "declared but used by no agent": (
        with_tool(),
        "tools.yaml: tool finance.list_invoices: no agent uses it",
    ),
}


@pytest.mark.parametrize(("tools", "message"), BROKEN_TOOLS.values(), ids=BROKEN_TOOLS.keys())
def test_a_broken_tools_file_is_refused_with_file_tool_and_field(tools, message):
    with pytest.raises(RegistryError) as refused:
        parse(agents_raw(), tools=tools)

    assert str(refused.value).startswith(message)


def souls_without(*, category: str | None = None, agent_id: str | None = None) -> SoulTexts:
    souls = souls_for(agents_raw())
    return SoulTexts(
        global_soul=souls.global_soul,
        categories={k: v for k, v in souls.categories.items() if k != category},
        agents={k: v for k, v in souls.agents.items() if k != agent_id},
    )


def souls_with(*, category: str | None = None, agent_id: str | None = None) -> SoulTexts:
    souls = souls_for(agents_raw())
    return SoulTexts(
        global_soul=souls.global_soul,
        categories={**souls.categories, **({category: "Extra."} if category else {})},
        agents={**souls.agents, **({agent_id: "Extra."} if agent_id else {})},
    )


BROKEN_SOULS: dict[str, tuple[SoulTexts, str]] = {
    "an agent without a role file": (
        souls_without(agent_id="operations.delivery_agent"),
        "ai/souls/agents/operations.delivery_agent.md: missing: agent"
        " operations.delivery_agent has no role file",
    ),
    "a role file without an agent": (
        souls_with(agent_id="operations.dispatch_agent"),
        "ai/souls/agents/operations.dispatch_agent.md: orphan: no agent"
        " 'operations.dispatch_agent' in agents.yaml",
    ),
    "a category without its context": (
        souls_without(category="legal"),
        "ai/souls/categories/legal.md: missing (category legal)",
    ),
    "a context for no category": (
        souls_with(category="marketing"),
        "ai/souls/categories/marketing.md: no category 'marketing' in the catalogue",
    ),
}


@pytest.mark.parametrize(("souls", "message"), BROKEN_SOULS.values(), ids=BROKEN_SOULS.keys())
def test_soul_files_and_agents_match_one_to_one(souls, message):
    with pytest.raises(RegistryError) as refused:
        parse(agents_raw(), souls=souls)

    assert str(refused.value) == message
