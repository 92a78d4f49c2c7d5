"""Tri-state memory (ADR-006): semantic (the Brief, cached in Redis), episodic (the journal,
searched by full text and, where configured, by embeddings) and synthetic (each agent's
persona, distilled nightly by the dreaming job)."""

from xentri.ai.memory.brief_cache import (
    BRIEF_EVENT_TYPES,
    BriefSource,
    NoBriefStoreYet,
    brief_cache_handlers,
    brief_invalidation,
    brief_key,
    brief_text,
    forget_brief,
)
from xentri.ai.memory.dreaming import (
    DreamingFailedError,
    DreamReport,
    dream,
    dreaming_job,
    dreaming_job_for,
)
from xentri.ai.memory.embeddings import (
    Embedder,
    EmbeddingsUnavailableError,
    MemorySettings,
    check_embeddings_column,
    embedder_from_settings,
)
from xentri.ai.memory.episodes import (
    EPISODE_KINDS,
    Episode,
    EpisodeKind,
    record_episode,
    search_episodes,
)
from xentri.ai.memory.journal import journal_reaction, journal_reactions
from xentri.ai.memory.personas import Persona, current_persona, latest_persona
from xentri.ai.memory.recall import Recall, recall
from xentri.ai.memory.tools import search_journal_tool

__all__ = [
    "BRIEF_EVENT_TYPES",
    "EPISODE_KINDS",
    "BriefSource",
    "DreamReport",
    "DreamingFailedError",
    "Embedder",
    "EmbeddingsUnavailableError",
    "Episode",
    "EpisodeKind",
    "MemorySettings",
    "NoBriefStoreYet",
    "Persona",
    "Recall",
    "brief_cache_handlers",
    "brief_invalidation",
    "brief_key",
    "brief_text",
    "check_embeddings_column",
    "current_persona",
    "dream",
    "dreaming_job",
    "dreaming_job_for",
    "embedder_from_settings",
    "forget_brief",
    "journal_reaction",
    "journal_reactions",
    "latest_persona",
    "recall",
    "record_episode",
    "search_episodes",
    "search_journal_tool",
]
