"""The validated agent registry and its lookups: by id, by category, by scope."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, PrivateAttr

from xentri.ai.registry.models import AgentSpec, ToolSpec
from xentri.ai.registry.scopes import Scope, ScopeError, parse_scope
from xentri.ai.registry.souls import SoulTexts
from xentri.catalog import Catalogue


class UnknownAgentError(LookupError):
    """No agent answers to this id or scope; the message says which and why."""

    def __str__(self) -> str:
        # LookupError's str() quotes its argument like a dict key; these are sentences.
        return str(self.args[0]) if self.args else ""


class AgentRegistry(BaseModel):
    """Every agent, the tools they may call and the soul files they are prompted with.

    Built only by `parse_agent_registry` / `load_agent_registry`, which check every rule
    first: holding one means the files agreed with each other and with the catalogue.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    agents: tuple[AgentSpec, ...]
    tools: tuple[ToolSpec, ...]
    souls: SoulTexts
    catalogue: Catalogue
    _by_id: dict[str, AgentSpec] = PrivateAttr(default_factory=dict)
    _tools_by_name: dict[str, ToolSpec] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._by_id.update((agent.id, agent) for agent in self.agents)
        self._tools_by_name.update((tool.name, tool) for tool in self.tools)

    def get(self, agent_id: str) -> AgentSpec:
        agent = self._by_id.get(agent_id)
        if agent is None:
            raise UnknownAgentError(
                f"no agent {agent_id!r}; `xentri agents list` shows the {len(self.agents)} agents"
            )
        return agent

    def copilots(self) -> tuple[AgentSpec, ...]:
        return tuple(agent for agent in self.agents if agent.is_copilot)

    def for_category(self, category: str) -> tuple[AgentSpec, ...]:
        """The category's co-pilot first, then its sub-category agents in sidebar order."""
        entry = self.catalogue.category(category)
        if entry is None:
            raise UnknownAgentError(f"no category {category!r} in the catalogue")
        order = {sub.id: position for position, sub in enumerate(entry.subcategories)}
        members = [agent for agent in self.agents if agent.category == category]
        return tuple(
            sorted(
                members,
                key=lambda agent: -1 if agent.is_copilot else order[agent.subcategory or ""],
            )
        )

    def subagents_of(self, copilot_id: str) -> tuple[AgentSpec, ...]:
        copilot = self.get(copilot_id)
        return tuple(agent for agent in self.for_category(copilot.category) if not agent.is_copilot)

    def copilot_for_scope(self, scope: str | Scope) -> AgentSpec:
        """The agent that answers at a scope: a module's questions go to its sub-category's
        agent, found through the catalogue, so the widget on any page summons the right one."""
        try:
            parsed = scope if isinstance(scope, Scope) else parse_scope(scope)
        except ScopeError as exc:
            raise UnknownAgentError(str(exc)) from None
        if parsed.kind == "strategy":
            return self.get("strategy.copilot")
        if parsed.kind == "category":
            return self._single(parsed, lambda agent: agent.is_copilot)
        subcategory = parsed.target
        if parsed.kind == "module":
            entry = self.catalogue.entry(parsed.target or "")
            if entry is None:
                raise UnknownAgentError(
                    f"scope {parsed}: no module {parsed.target!r} in the catalogue"
                )
            subcategory = entry.subcategory_id
        return self._single(parsed, lambda agent: agent.subcategory == subcategory)

    def tool(self, name: str) -> ToolSpec:
        found = self._tools_by_name.get(name)
        if found is None:
            raise UnknownAgentError(f"no tool {name!r} in tools.yaml")
        return found

    def tools_for(self, agent: AgentSpec) -> tuple[ToolSpec, ...]:
        return tuple(self._tools_by_name[name] for name in agent.tools)

    def category_name(self, category: str, language: str = "en") -> str:
        entry = self.catalogue.category(category)
        return category if entry is None else entry.name.in_language(language)

    def _single(self, scope: Scope, matches: Callable[[AgentSpec], bool]) -> AgentSpec:
        found = [a for a in self.agents if a.category == scope.category and matches(a)]
        if not found:
            raise UnknownAgentError(f"scope {scope}: no agent answers there")
        return found[0]
