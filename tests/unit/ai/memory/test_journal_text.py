"""How a journaled event reads: a title from its type, its payload as plain lines."""

from __future__ import annotations

import uuid

import pytest

from xentri.ai.memory.journal import (
    event_title,
    journal_reaction,
    journal_reactions,
    payload_summary,
)
from xentri.ai.registry import load_agent_registry


@pytest.mark.parametrize(
    ("event_type", "title"),
    [
        ("xentri.invoice.overdue.v1", "Invoice overdue"),
        ("xentri.org.member_removed.v1", "Org member removed"),
        ("xentri.brief.updated.v2", "Brief updated"),
    ],
)
def test_the_title_is_the_event_type_in_words(event_type, title):
    assert event_title(event_type) == title


def test_the_summary_is_readable_lines_without_identifiers():
    payload = {
        "invoice_id": str(uuid.uuid4()),
        "customer": {"name": "Café Olé", "id": "c-17", "city": "Oaxaca"},
        "lines": [{"item": "Latte", "quantity": 2}, {"item": "Concha", "quantity": 6}],
        "tags": ["wholesale", "late"],
        "note": None,
        "reference": str(uuid.uuid4()),
    }

    assert payload_summary(payload) == (
        "customer.name: Café Olé\n"
        "customer.city: Oaxaca\n"
        "lines 1.item: Latte\n"
        "lines 1.quantity: 2\n"
        "lines 2.item: Concha\n"
        "lines 2.quantity: 6\n"
        "tags: wholesale, late"
    )


def test_a_long_payload_is_cut_short():
    summary = payload_summary({f"field_{i}": "x" * 100 for i in range(20)})

    assert len(summary) == 600
    assert summary.endswith("…")


def test_a_reaction_needs_the_agents_it_journals_for():
    with pytest.raises(ValueError, match="agents"):
        journal_reaction([])


def test_a_category_journals_every_event_type_its_agents_follow():
    registry = load_agent_registry()
    expected = {
        event_type for agent in registry.for_category("team") for event_type in agent.subscribes
    }

    reactions = journal_reactions(registry, "team")

    assert set(reactions) == expected
    assert "xentri.org.member_removed.v1" in reactions
