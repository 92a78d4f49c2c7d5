"""The agents.yaml, tools.yaml and soul files shipped in the package load, agree, and fit the
module catalogue; read through importlib.resources as an installed wheel would be."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest
from pydantic import ValidationError

from xentri.ai.registry import load_agent_registry, load_soul_texts
from xentri.catalog import load_catalogue

CATEGORIES = ("strategy", "finance", "brand", "sales", "operations", "team", "legal")


def test_the_shipped_registry_has_7_copilots_of_5_agents_each():
    registry = load_agent_registry()

    assert [agent.id for agent in registry.copilots()] == [f"{c}.copilot" for c in CATEGORIES]
    assert len(registry.agents) == 42
    assert Counter(a.category for a in registry.agents if not a.is_copilot) == dict.fromkeys(
        CATEGORIES, 5
    )


def test_subcategory_agents_line_up_with_the_catalogue_sidebar():
    registry = load_agent_registry()

    for category in load_catalogue().categories:
        agents = registry.for_category(category.id)
        assert agents[0].id == f"{category.id}.copilot"
        assert [a.subcategory for a in agents[1:]] == [s.id for s in category.subcategories]
        assert [a.id for a in agents[1:]] == [f"{s.id}_agent" for s in category.subcategories]
        assert {a.parent for a in agents[1:]} == {f"{category.id}.copilot"}


def test_every_agent_is_named_in_english_and_spanish_and_has_a_role():
    for agent in load_agent_registry().agents:
        assert agent.names.en.strip()
        assert agent.names.es.strip()
        assert agent.names.en != agent.names.es
        assert 10 <= len(agent.role) <= 300


def test_the_shipped_file_pins_no_agent_to_a_model():
    # The deployment chooses the model (offline by default); a cloud override here would make
    # that agent need an API key on every installation.
    assert [a.id for a in load_agent_registry().agents if a.model is not None] == []


def test_the_tool_catalogue_is_small_and_every_tool_is_used():
    registry = load_agent_registry()
    used = Counter(name for agent in registry.agents for name in agent.tools)

    assert 10 <= len(registry.tools) <= 40
    assert set(used) == {tool.name for tool in registry.tools}
    assert used["strategy.read_brief"] >= 35
    assert registry.tool("finance.create_invoice_draft").needs_approval
    assert not registry.tool("pulse.create_item").needs_approval
    assert registry.tool("pulse.create_item").mutating
    assert registry.tool("finance.list_invoices").read_only


def test_only_finance_agents_hold_finance_tools_that_change_data():
    registry = load_agent_registry()

    for agent in registry.agents:
        for tool in registry.tools_for(agent):
            if tool.needs_approval:
                assert tool.owner == agent.category, (agent.id, tool.name)


def test_every_subscription_is_a_versioned_event_type():
    registry = load_agent_registry()
    events = {event for agent in registry.agents for event in agent.subscribes}

    assert "xentri.brief.updated.v1" in events
    assert all(event.startswith("xentri.") and ".v" in event for event in events)
    copilots_on_brief = {
        a.id for a in registry.copilots() if "xentri.brief.updated.v1" in a.subscribes
    }
    assert copilots_on_brief == {f"{c}.copilot" for c in CATEGORIES}


def test_soul_files_ship_inside_the_package():
    root = resources.files("xentri").joinpath("ai/souls")
    agent_files = sorted(f.name for f in root.joinpath("agents").iterdir())
    category_files = sorted(f.name for f in root.joinpath("categories").iterdir())

    assert root.joinpath("global.md").is_file()
    assert category_files == sorted(f"{c}.md" for c in CATEGORIES)
    assert len(agent_files) == 42
    assert resources.files("xentri.ai.registry").joinpath("agents.yaml").is_file()
    assert resources.files("xentri.ai.registry").joinpath("tools.yaml").is_file()


def test_the_soul_texts_carry_the_rules_every_agent_needs():
    souls = load_soul_texts()

    for rule in (
        "Oaxaca",
        "Never invent a number",
        "one question at a time",
        "Spanish",
        "currency",
        "time zone",
        "Tools are the only way",
    ):
        assert rule in souls.global_soul, rule
    assert set(souls.categories) == set(CATEGORIES)
    assert all(len(text) > 400 for text in souls.categories.values())
    assert all(len(text) > 200 for text in souls.agents.values())
    assert all(not line.startswith("# ") for t in souls.agents.values() for line in t.splitlines())


def test_the_registry_and_its_agents_are_frozen():
    registry = load_agent_registry()

    with pytest.raises(ValidationError):
        registry.agents = ()  # type: ignore[misc]
    with pytest.raises(ValidationError):
        registry.get("finance.copilot").tools = ()  # type: ignore[misc]
    assert load_agent_registry() is registry
