"""What agents.yaml and tools.yaml declare, one typed and frozen model per entry."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from xentri.catalog import LocalizedText
from xentri.contracts.events import EVENT_TYPE_PATTERN

# `test` is the deterministic scripted model of the test suite; an override to it in the
# shipped file would be a mistake, but test registries built from fixtures use it.
ModelProvider = Literal["offline", "anthropic", "openai", "test"]
# Where a tool's typed function will live: a category's copilot.py, or a platform area that
# every agent shares (the Pulse feed, the episodic journal of the AI plane's memory).
ToolOwner = Literal[
    "strategy", "finance", "brand", "sales", "operations", "team", "legal", "pulse", "memory"
]
SHARED_TOOL_OWNERS: frozenset[str] = frozenset({"pulse", "memory"})

COPILOT_SUFFIX = "copilot"
AGENT_SUFFIX = "_agent"
AGENT_ID_PATTERN = r"^[a-z]+\.[a-z][a-z0-9_]*$"
TOOL_NAME_PATTERN = r"^[a-z]+\.[a-z][a-z0-9_]*$"


class RegistryError(ValueError):
    """agents.yaml, tools.yaml or a soul file is invalid; the message names file, entry, field."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ToolSpec(_Frozen):
    """A typed tool function an agent may call; the function itself lands with its owner."""

    name: str = Field(pattern=TOOL_NAME_PATTERN, max_length=80)
    description: str = Field(min_length=10, max_length=300)
    owner: ToolOwner
    mutating: bool

    @property
    def read_only(self) -> bool:
        return not self.mutating

    @property
    def needs_approval(self) -> bool:
        """A change to the business's records runs as a proposal the owner approves (DESIGN
        §6 "agents propose; owners decide"). Pulse items and journal entries are the
        assistant's own flags and notes, which DESIGN lets it write without asking."""
        return self.mutating and self.owner not in SHARED_TOOL_OWNERS


class ModelOverride(_Frozen):
    """The model one agent uses instead of the deployment's XENTRI_LLM_* choice."""

    provider: ModelProvider
    model: str | None = Field(default=None, min_length=1, max_length=120)


class AgentSpec(_Frozen):
    """One agent: a category co-pilot, or one of its five sub-category agents."""

    id: str = Field(pattern=AGENT_ID_PATTERN, max_length=80)
    names: LocalizedText
    category: str = Field(min_length=1)
    subcategory: str | None = None
    parent: str | None = None
    role: str = Field(min_length=10, max_length=300)
    tools: tuple[str, ...] = ()
    model: ModelOverride | None = None
    scope: str = Field(min_length=1)
    subscribes: tuple[str, ...] = ()

    @field_validator("role")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("must be one line")
        return value.strip()

    @field_validator("subscribes")
    @classmethod
    def _event_types(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not re.match(EVENT_TYPE_PATTERN, value):
                raise ValueError(
                    f"event type {value!r} must look like xentri.<context>.<action>.v<N>"
                )
        if len(set(values)) != len(values):
            raise ValueError("lists an event type twice")
        return values

    @field_validator("tools")
    @classmethod
    def _tools_once(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(values)) != len(values):
            raise ValueError("lists a tool twice")
        return values

    @property
    def is_copilot(self) -> bool:
        return self.subcategory is None

    def name(self, language: str = "en") -> str:
        return self.names.in_language(language)
