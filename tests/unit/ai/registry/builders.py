"""Small registries as plain dicts, built from the real catalogue so they pass every rule;
each test breaks exactly one thing in its own copy."""

from __future__ import annotations

from typing import Any

from xentri.ai.registry import AgentRegistry, SoulTexts, parse_agent_registry
from xentri.catalog import load_catalogue

TOOLS: list[dict[str, Any]] = [
    {
        "name": "strategy.read_brief",
        "owner": "strategy",
        "mutating": False,
        "description": "Read the org's approved Universal Brief.",
    },
    {
        "name": "finance.create_invoice_draft",
        "owner": "finance",
        "mutating": True,
        "description": "Prepare a draft invoice for the owner to review.",
    },
    {
        "name": "pulse.create_item",
        "owner": "pulse",
        "mutating": True,
        "description": "Post an item to the Pulse at this agent's scope.",
    },
]


def agents_raw() -> dict[str, Any]:
    agents: list[dict[str, Any]] = []
    for category in load_catalogue().categories:
        copilot = f"{category.id}.copilot"
        agents.append(
            {
                "id": copilot,
                "names": {"en": f"{category.name.en} Co-pilot", "es": f"Copiloto {category.id}"},
                "category": category.id,
                "scope": "strategy" if category.id == "strategy" else f"category.{category.id}",
                "role": f"Leads the {category.id} agents.",
                "tools": ["strategy.read_brief"],
            }
        )
        for sub in category.subcategories:
            agents.append(
                {
                    "id": f"{sub.id}_agent",
                    "names": {"en": sub.name.en, "es": sub.name.es},
                    "category": category.id,
                    "subcategory": sub.id,
                    "parent": copilot,
                    "scope": f"subcategory.{sub.id}",
                    "role": f"Looks after {sub.id}.",
                }
            )
    by_id = {agent["id"]: agent for agent in agents}
    by_id["finance.billing_agent"]["tools"] = ["finance.create_invoice_draft", "pulse.create_item"]
    by_id["finance.billing_agent"]["subscribes"] = ["xentri.invoice.sent.v1"]
    by_id["finance.reports_agent"]["model"] = {"provider": "test", "model": "scripted"}
    return {"version": 1, "agents": agents}


def tools_raw() -> dict[str, Any]:
    return {"version": 1, "tools": [dict(tool) for tool in TOOLS]}


def souls_for(agents: dict[str, Any]) -> SoulTexts:
    return SoulTexts(
        global_soul="Be honest.",
        categories={c.id: f"You work in {c.id}." for c in load_catalogue().categories},
        agents={agent["id"]: f"You are {agent['id']}." for agent in agents["agents"]},
    )


def parse(
    agents: dict[str, Any],
    *,
    tools: dict[str, Any] | None = None,
    souls: SoulTexts | None = None,
) -> AgentRegistry:
    return parse_agent_registry(
        agents,
        tools_raw=tools if tools is not None else tools_raw(),
        souls=souls if souls is not None else souls_for(agents),
        catalogue=load_catalogue(),
    )


def agent(raw: dict[str, Any], agent_id: str) -> dict[str, Any]:
    return next(entry for entry in raw["agents"] if entry["id"] == agent_id)
