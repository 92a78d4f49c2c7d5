"""The soul registry (prompt layers as files, ADR-007) and the agent registry (agents.yaml).

`load_agent_registry()` reads and checks agents.yaml, tools.yaml, the soul files and their
agreement with the module catalogue, once per process; `compose_prompt()` builds an agent's
system prompt from its layers and an org's Brief and persona.
"""

from xentri.ai.registry.loader import load_agent_registry, parse_agent_registry
from xentri.ai.registry.models import (
    AgentSpec,
    ModelOverride,
    ModelProvider,
    RegistryError,
    ToolSpec,
)
from xentri.ai.registry.prompt import ComposedPrompt, PromptLayer, compose_prompt
from xentri.ai.registry.registry import AgentRegistry, UnknownAgentError
from xentri.ai.registry.scopes import Scope, ScopeError, parse_scope
from xentri.ai.registry.souls import SoulTexts, load_soul_texts

__all__ = [
    "AgentRegistry",
    "AgentSpec",
    "ComposedPrompt",
    "ModelOverride",
    "ModelProvider",
    "PromptLayer",
    "RegistryError",
    "Scope",
    "ScopeError",
    "SoulTexts",
    "ToolSpec",
    "UnknownAgentError",
    "compose_prompt",
    "load_agent_registry",
    "load_soul_texts",
    "parse_agent_registry",
    "parse_scope",
]
