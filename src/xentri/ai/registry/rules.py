"""The rules that tie agents.yaml to tools.yaml, the soul files and the module catalogue.

Field-level shape (id patterns, providers, event types) is checked by the models; these are the
rules that need more than one entry or more than one file to check. Each failure is a
RegistryError naming the file, the entry and the field, so whoever edits a file can find it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from xentri.ai.registry.models import (
    AGENT_SUFFIX,
    COPILOT_SUFFIX,
    SHARED_TOOL_OWNERS,
    AgentSpec,
    RegistryError,
    ToolSpec,
)
from xentri.ai.registry.scopes import ScopeError, parse_scope
from xentri.ai.registry.souls import AGENTS_DIR, CATEGORIES_DIR, SoulTexts
from xentri.catalog import Catalogue

AGENTS_FILE = "agents.yaml"
TOOLS_FILE = "tools.yaml"


def check_tools(tools: Sequence[ToolSpec]) -> None:
    for name, count in Counter(tool.name for tool in tools).items():
        if count > 1:
            raise RegistryError(f"{TOOLS_FILE}: tool {name}: name: declared {count} times")
    for tool in tools:
        prefix = tool.name.split(".", 1)[0]
        if prefix != tool.owner:
            raise RegistryError(
                f"{TOOLS_FILE}: tool {tool.name}: owner: is {tool.owner!r} but the name "
                f"starts with {prefix!r}; a tool is named after its owner"
            )


def check_agents(
    agents: Sequence[AgentSpec], *, tools: Sequence[ToolSpec], catalogue: Catalogue
) -> None:
    for agent_id, count in Counter(agent.id for agent in agents).items():
        if count > 1:
            raise _agent_error(agent_id, "id", f"declared {count} times")
    by_id = {agent.id: agent for agent in agents}
    tool_by_name = {tool.name: tool for tool in tools}
    for agent in agents:
        _check_place(agent, by_id, catalogue)
        _check_scope(agent)
        _check_tools(agent, tool_by_name)
    _check_counts(agents, catalogue)
    used = {name for agent in agents for name in agent.tools}
    for tool in tools:
        if tool.name not in used:
            raise RegistryError(
                f"{TOOLS_FILE}: tool {tool.name}: no agent uses it; declare a tool when an "
                "agent needs it"
            )


def check_souls(souls: SoulTexts, *, agents: Sequence[AgentSpec], catalogue: Catalogue) -> None:
    categories = {category.id for category in catalogue.categories}
    if missing := sorted(categories - set(souls.categories)):
        raise RegistryError(f"{CATEGORIES_DIR}/{missing[0]}.md: missing (category {missing[0]})")
    if extra := sorted(set(souls.categories) - categories):
        raise RegistryError(
            f"{CATEGORIES_DIR}/{extra[0]}.md: no category {extra[0]!r} in the catalogue"
        )
    agent_ids = {agent.id for agent in agents}
    if missing := sorted(agent_ids - set(souls.agents)):
        raise RegistryError(
            f"{AGENTS_DIR}/{missing[0]}.md: missing: agent {missing[0]} has no role file"
        )
    if orphans := sorted(set(souls.agents) - agent_ids):
        raise RegistryError(
            f"{AGENTS_DIR}/{orphans[0]}.md: orphan: no agent {orphans[0]!r} in {AGENTS_FILE}"
        )


def expected_scope(agent: AgentSpec) -> str:
    """The one scope an agent may have: its sub-category, its category, or the whole business
    for the Strategy Co-pilot, which reads everything to brief the owner (ADR-011)."""
    if agent.subcategory is not None:
        return f"subcategory.{agent.subcategory}"
    return "strategy" if agent.category == "strategy" else f"category.{agent.category}"


def _check_place(agent: AgentSpec, by_id: dict[str, AgentSpec], catalogue: Catalogue) -> None:
    category = catalogue.category(agent.category)
    if category is None:
        raise _agent_error(agent.id, "category", f"no category {agent.category!r} in the catalogue")
    if not agent.id.startswith(f"{agent.category}."):
        raise _agent_error(agent.id, "id", f"must start with its category '{agent.category}.'")
    if agent.subcategory is None:
        if agent.id != f"{agent.category}.{COPILOT_SUFFIX}":
            raise _agent_error(
                agent.id, "id", f"a co-pilot's id is '{agent.category}.{COPILOT_SUFFIX}'"
            )
        if agent.parent is not None:
            raise _agent_error(agent.id, "parent", "a co-pilot has no parent")
        return
    if agent.subcategory not in {sub.id for sub in category.subcategories}:
        raise _agent_error(
            agent.id,
            "subcategory",
            f"no sub-category {agent.subcategory!r} in category {agent.category} of the catalogue",
        )
    if agent.id != f"{agent.subcategory}{AGENT_SUFFIX}":
        raise _agent_error(
            agent.id, "id", f"a sub-category agent's id is '{agent.subcategory}{AGENT_SUFFIX}'"
        )
    if agent.parent is None:
        raise _agent_error(agent.id, "parent", "a sub-category agent needs its co-pilot as parent")
    parent = by_id.get(agent.parent)
    if parent is None:
        raise _agent_error(agent.id, "parent", f"no agent {agent.parent!r}")
    if not parent.is_copilot:
        raise _agent_error(agent.id, "parent", f"{parent.id} is not a co-pilot")
    if parent.category != agent.category:
        raise _agent_error(
            agent.id,
            "parent",
            f"{parent.id} is in category {parent.category}, not {agent.category}",
        )


def _check_scope(agent: AgentSpec) -> None:
    try:
        parse_scope(agent.scope)
    except ScopeError as exc:
        raise _agent_error(agent.id, "scope", str(exc)) from None
    wanted = expected_scope(agent)
    if agent.scope != wanted:
        raise _agent_error(
            agent.id, "scope", f"is {agent.scope!r}; this agent's scope is {wanted!r}"
        )


def _check_tools(agent: AgentSpec, tool_by_name: dict[str, ToolSpec]) -> None:
    for name in agent.tools:
        tool = tool_by_name.get(name)
        if tool is None:
            raise _agent_error(agent.id, "tools", f"unknown tool {name!r} (not in {TOOLS_FILE})")
        # Reading across categories is how the Strategy Co-pilot sees the business; changing
        # another category's data is that category's job (DESIGN §3: categories own their data).
        if tool.mutating and tool.owner not in SHARED_TOOL_OWNERS and tool.owner != agent.category:
            raise _agent_error(
                agent.id,
                "tools",
                f"{name} changes {tool.owner} data; only {tool.owner} agents may use it",
            )


def _check_counts(agents: Sequence[AgentSpec], catalogue: Catalogue) -> None:
    copilots = Counter(agent.category for agent in agents if agent.is_copilot)
    subagents = Counter(agent.category for agent in agents if not agent.is_copilot)
    for category in catalogue.categories:
        if copilots[category.id] != 1:
            raise RegistryError(
                f"{AGENTS_FILE}: category {category.id}: has {copilots[category.id]} co-pilots, "
                "needs exactly 1"
            )
        expected = len(category.subcategories)
        if subagents[category.id] != expected:
            raise RegistryError(
                f"{AGENTS_FILE}: category {category.id}: has {subagents[category.id]} "
                f"sub-category agents, needs exactly {expected} (one per sub-category)"
            )


def _agent_error(agent_id: str, field: str, message: str) -> RegistryError:
    return RegistryError(f"{AGENTS_FILE}: agent {agent_id}: {field}: {message}")
