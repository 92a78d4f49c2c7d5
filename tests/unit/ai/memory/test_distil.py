"""The offline engine's dreaming: what it says is counted from the episodes, in the org's
language, and nothing is said without episodes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from xentri.ai.memory.distil import distil_persona
from xentri.ai.memory.episodes import Episode, EpisodeKind


def episode(kind: EpisodeKind, title: str, body: str = "", *, day: int) -> Episode:
    return Episode(
        id=uuid.uuid4(),
        kind=kind,
        agent_id=None,
        event_type="xentri.lead.captured.v1" if kind == "event" else None,
        title=title,
        body=body,
        occurred_at=datetime(2026, 11, day, 12, tzinfo=UTC),
    )


JOURNAL = [
    episode("event", "Lead captured", "source: Instagram\nproduct: pastel de boda", day=3),
    episode("event", "Lead captured", "source: Instagram\nproduct: cupcakes", day=5),
    episode("event", "Lead captured", "source: WhatsApp\nproduct: pastel de boda", day=9),
    episode("decision", "Quote weddings within a day", "Couples book elsewhere after 48 h.", day=6),
    episode("outcome", "Boda Ramírez booked", "Pastel de boda for 120 guests.", day=10),
    episode("conversation", "Delivery to Puebla", "Asked if we deliver out of town.", day=8),
]


def test_it_tells_what_keeps_happening_and_what_was_decided():
    persona = distil_persona(JOURNAL, language="en")

    assert persona.splitlines() == [
        "Distilled from 6 journal entries, 2026-11-03 to 2026-11-10.",
        "What happens most: Lead captured (3 times).",
        "What keeps coming up: Boda, Pastel, Instagram.",
        "Latest decisions:",
        "- 2026-11-06: Quote weddings within a day — Couples book elsewhere after 48 h.",
        "Latest outcomes:",
        "- 2026-11-10: Boda Ramírez booked — Pastel de boda for 120 guests.",
        "Latest conversations were about: Delivery to Puebla.",
    ]


def test_field_names_of_events_do_not_count_as_themes():
    persona = distil_persona(JOURNAL, language="en")

    assert "source" not in persona
    assert "product" not in persona


def test_it_speaks_spanish_to_a_spanish_speaking_org():
    persona = distil_persona(JOURNAL, language="es")

    assert persona.splitlines()[:2] == [
        "Destilado de 6 entradas del diario, del 2026-11-03 al 2026-11-10.",
        "Lo que más ocurre: Lead captured (3 veces).",
    ]
    assert "Últimas decisiones:" in persona
    assert "Últimos resultados:" in persona


def test_one_off_words_and_events_are_not_called_patterns():
    persona = distil_persona(
        [
            episode("event", "Lead captured", "source: Instagram", day=1),
            episode("decision", "Open on Sundays", "Tourists ask for it.", day=2),
        ],
        language="en",
    )

    assert persona.splitlines() == [
        "Distilled from 2 journal entries, 2026-11-01 to 2026-11-02.",
        "Latest decisions:",
        "- 2026-11-02: Open on Sundays — Tourists ask for it.",
    ]


def test_without_episodes_there_is_nothing_to_say():
    assert distil_persona([], language="en") == ""
