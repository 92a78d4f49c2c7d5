"""The typed tools agents may call, and which of them the offline model reaches for, wired where
the parts meet: the AI plane never imports a category, so the composition hands them over."""

from __future__ import annotations

from pydantic_ai import Tool

from xentri.ai.copilot.offline import copilot_responder_with
from xentri.ai.memory.embeddings import Embedder
from xentri.ai.memory.tools import search_journal_tool
from xentri.ai.tools import ToolContext
from xentri.ai.worker import OfflineFor
from xentri.brief_offerings import ApprovedBriefOfferings
from xentri.categories.finance import copilot_tools as finance

# A data question's subject → the tools that answer it (ADR 0024); a category adds its own.
TOOL_INTENTS: dict[str, tuple[str, ...]] = {**finance.TOOL_INTENTS}


def agent_tools(*, embedder: Embedder | None = None) -> dict[str, Tool[ToolContext]]:
    """Every built tool by its tools.yaml name; an agent gets those it declares."""
    return {
        "memory.search_journal": search_journal_tool(embedder=embedder),
        **finance.finance_tools(offerings=ApprovedBriefOfferings()),
    }


def offline_copilot() -> OfflineFor:
    """How the offline model answers copilot asks: by these tools, else from the scope."""
    return copilot_responder_with(TOOL_INTENTS)
