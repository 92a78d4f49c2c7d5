"""Read agents.yaml, tools.yaml and the soul files, and check them all before anything runs."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from xentri.ai.registry.models import AgentSpec, RegistryError, ToolSpec
from xentri.ai.registry.registry import AgentRegistry
from xentri.ai.registry.rules import (
    AGENTS_FILE,
    TOOLS_FILE,
    check_agents,
    check_souls,
    check_tools,
)
from xentri.ai.registry.souls import SoulTexts, load_soul_texts
from xentri.catalog import Catalogue, load_catalogue

REGISTRY_PACKAGE = "xentri.ai.registry"
Spec = TypeVar("Spec", bound=BaseModel)


def parse_agent_registry(
    agents_raw: Mapping[str, Any],
    *,
    tools_raw: Mapping[str, Any],
    souls: SoulTexts,
    catalogue: Catalogue,
) -> AgentRegistry:
    """Validate the registry from already-parsed YAML; RegistryError names file, entry, field."""
    tools = _entries(tools_raw, "tools", ToolSpec, file=TOOLS_FILE, kind="tool", id_field="name")
    check_tools(tools)
    agents = _entries(
        agents_raw, "agents", AgentSpec, file=AGENTS_FILE, kind="agent", id_field="id"
    )
    check_agents(agents, tools=tools, catalogue=catalogue)
    check_souls(souls, agents=agents, catalogue=catalogue)
    return AgentRegistry(agents=agents, tools=tools, souls=souls, catalogue=catalogue)


@functools.cache
def load_agent_registry() -> AgentRegistry:
    """The registry shipped with this version of Xentri, read and validated once per process.

    Call it at start-up: a broken file stops the process with a message naming the file,
    the agent and the field, rather than surfacing when that agent is first asked something.
    """
    return parse_agent_registry(
        _read_yaml(AGENTS_FILE),
        tools_raw=_read_yaml(TOOLS_FILE),
        souls=load_soul_texts(),
        catalogue=load_catalogue(),
    )


def _read_yaml(name: str) -> Mapping[str, Any]:
    text = resources.files(REGISTRY_PACKAGE).joinpath(name).read_text("utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(raw, Mapping):
        raise RegistryError(f"{name}: must be a mapping with 'version' and entries")
    return raw


def _entries(
    raw: Mapping[str, Any],
    key: str,
    model: type[Spec],
    *,
    file: str,
    kind: str,
    id_field: str,
) -> tuple[Spec, ...]:
    if raw.get("version") != 1:
        raise RegistryError(f"{file}: version: must be 1")
    if set(raw) - {"version", key}:
        unknown = ", ".join(sorted(set(raw) - {"version", key}))
        raise RegistryError(f"{file}: unknown top-level keys: {unknown}")
    entries = raw.get(key)
    if not isinstance(entries, Sequence) or isinstance(entries, str) or not entries:
        raise RegistryError(f"{file}: {key}: must be a non-empty list")
    parsed: list[Spec] = []
    for position, entry in enumerate(entries, start=1):
        label = (entry.get(id_field) if isinstance(entry, Mapping) else None) or f"#{position}"
        try:
            parsed.append(model.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "entry"
            message = first["msg"].removeprefix("Value error, ")
            raise RegistryError(f"{file}: {kind} {label}: {field}: {message}") from None
    return tuple(parsed)
