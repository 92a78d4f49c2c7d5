"""The journal as an agent's tool (`memory.search_journal` in tools.yaml): read-only, and run in
the tenant transaction of the org the agent answers for, so it can never reach another's."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic_ai import RunContext, Tool

from xentri.ai.memory.embeddings import Embedder
from xentri.ai.memory.episodes import EpisodeKind, search_episodes
from xentri.ai.tools import ToolContext

# Model APIs accept letters, digits, '_' and '-' in tool names: the registry's dot becomes '_'.
SEARCH_JOURNAL = "memory_search_journal"
_MAX_RESULTS = 10
_EXCERPT_CHARS = 400


class JournalEntry(BaseModel):
    when: str  # ISO date: what the model needs to say "last March"
    kind: EpisodeKind
    title: str
    excerpt: str


def search_journal_tool(*, embedder: Embedder | None = None) -> Tool[ToolContext]:
    """The `memory.search_journal` tool; `embedder` when XENTRI_EMBEDDINGS is on."""

    async def memory_search_journal(
        ctx: RunContext[ToolContext],
        query: str,
        kinds: list[EpisodeKind] | None = None,
        limit: int = 5,
    ) -> list[JournalEntry]:
        """Search this business's journal of past decisions, outcomes, conversations and events.

        Args:
            query: words to look for; "quotes" for a phrase, -word to leave out, or for either.
            kinds: only these kinds of entry (decision, outcome, conversation, event).
            limit: how many entries at most (1 to 10), best match first.
        """
        async with ctx.deps.transaction() as tx:
            episodes = await search_episodes(
                tx=tx,
                query=query,
                limit=min(max(limit, 1), _MAX_RESULTS),
                kinds=kinds,
                embedder=embedder,
            )
        return [
            JournalEntry(
                when=f"{episode.occurred_at:%Y-%m-%d}",
                kind=episode.kind,
                title=episode.title,
                excerpt=episode.body[:_EXCERPT_CHARS],
            )
            for episode in episodes
        ]

    return Tool(memory_search_journal, name=SEARCH_JOURNAL, takes_ctx=True)
