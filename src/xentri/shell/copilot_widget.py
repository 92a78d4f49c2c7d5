"""Which co-pilot the widget summons on a page (ADR-012 "context resolution").

The scope comes from the page's path, read on the server when the frame renders: the widget's
data attributes and the content area's `data-copilot-*` carry it, so an htmx navigation that
swaps only the content hands the widget its new co-pilot without another request. The agent
registry decides who answers at that scope (a module's questions go to its sub-category's
agent); the path only says where the person is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from jinja2 import Environment

from xentri.ai.registry import AgentRegistry, ScopeError, load_agent_registry, parse_scope

STRATEGY = "strategy"
# Paths whose first segment is a prefix before the category (`/c/finance`, `/pulse/finance`).
_PREFIXES = frozenset({"c", "pulse", "modules"})


@dataclass(frozen=True)
class WidgetScope:
    scope: str
    agent_id: str
    name: str  # the co-pilot's display name in the page's language


def scope_for_path(path: str, registry: AgentRegistry | None = None) -> str:
    """The deepest scope the path names: an explicit scope segment (`/pulse/category.finance`),
    a catalogue id (`/modules/finance.invoicing`), a category slug with its sub-category or
    module below it (`/c/finance/billing`); pages outside any category ask the Strategy
    Co-pilot, which sees the whole business."""
    registry = registry or load_agent_registry()
    segments = [part for part in path.split("?", 1)[0].split("/") if part]
    if segments and segments[0] in _PREFIXES:
        segments = segments[1:]
    found = STRATEGY
    category: str | None = None
    for position, segment in enumerate(segments):
        if position == 0 and registry.catalogue.category(segment) is not None:
            category = segment
            found = STRATEGY if segment == STRATEGY else f"category.{segment}"
            continue
        explicit = _explicit(segment, registry)
        if explicit is not None:
            found = explicit
            continue
        dotted = segment if "." in segment else f"{category}.{segment}" if category else None
        below = _catalogue_scope(dotted, registry) if dotted else None
        if below is None:
            break  # the rest of the path is the page's own (an id, an action)
        found = below
    return found


def widget_scope(path: str, language: str, registry: AgentRegistry | None = None) -> WidgetScope:
    registry = registry or load_agent_registry()
    scope = scope_for_path(path, registry)
    agent = registry.copilot_for_scope(scope)
    return WidgetScope(scope=scope, agent_id=agent.id, name=agent.name(language))


def install_widget_globals(envs: dict[str, Environment]) -> None:
    """`copilot_for(path)` in every language's templates: the widget and the content area."""
    for language, env in envs.items():
        env.globals["copilot_for"] = functools.partial(_cached_widget_scope, language=language)


@functools.lru_cache(maxsize=1024)
def _cached_widget_scope(path: str, *, language: str) -> WidgetScope:
    return widget_scope(path, language)


def _explicit(segment: str, registry: AgentRegistry) -> str | None:
    try:
        parse_scope(segment)
        registry.copilot_for_scope(segment)
    except (ScopeError, LookupError):
        return None
    return segment


def _catalogue_scope(dotted: str, registry: AgentRegistry) -> str | None:
    if registry.catalogue.entry(dotted) is not None:
        return f"module.{dotted}"
    category = registry.catalogue.category(dotted.split(".", 1)[0])
    if category is not None and any(sub.id == dotted for sub in category.subcategories):
        return f"subcategory.{dotted}"
    return None
