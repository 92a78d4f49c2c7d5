"""The journal reaction: an event an agent follows becomes an `event` episode of its org."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.memory.embeddings import Embedder
from xentri.ai.memory.episodes import record_episode
from xentri.ai.registry import AgentRegistry
from xentri.contracts.events import SystemEvent
from xentri.kernel.events.consumer import Handler

_SUMMARY_CHARS = 600
_VALUE_CHARS = 120
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def journal_reaction(agent_ids: Sequence[str], *, embedder: Embedder | None = None) -> Handler:
    """A consumer handler that journals each event it is given; the agent workers use it as the
    reaction to the event types their agents subscribe to.

    An event followed by one agent is that agent's episode; one followed by several (or by a
    whole category) is the org's. Either way it is journaled once: a redelivery, or a second
    category following the same event, finds the episode there.
    """
    if not agent_ids:
        raise ValueError("journal_reaction needs the ids of the agents that follow the events")
    owner = agent_ids[0] if len(agent_ids) == 1 else None

    async def journal(event: SystemEvent, tx: AsyncSession) -> None:
        await record_episode(
            tx=tx,
            org_id=event.org_id,
            kind="event",
            title=event_title(event.type),
            body=payload_summary(event.payload),
            agent_id=owner,
            source_event_id=event.id,
            occurred_at=event.occurred_at,
            event_type=event.type,
            embedder=embedder,
        )

    return journal


def journal_reactions(
    registry: AgentRegistry, category: str, *, embedder: Embedder | None = None
) -> dict[str, Handler]:
    """A category worker's reactions: every event type its agents subscribe to is journaled,
    as the episode of the one agent following it or of the org when several do."""
    followers: dict[str, list[str]] = {}
    for agent in registry.for_category(category):
        for event_type in agent.subscribes:
            followers.setdefault(event_type, []).append(agent.id)
    return {
        event_type: journal_reaction(agent_ids, embedder=embedder)
        for event_type, agent_ids in sorted(followers.items())
    }


def event_title(event_type: str) -> str:
    """'xentri.invoice.overdue.v1' -> 'Invoice overdue'; 'xentri.org.member_removed.v1' ->
    'Org member removed'."""
    parts = event_type.split(".")
    words = " ".join(parts[1:-1] if len(parts) > 2 else parts).replace("_", " ")
    return words[:1].upper() + words[1:]


def payload_summary(payload: dict[str, Any]) -> str:
    """The payload as 'field: value' lines a person (and full-text search) can read.

    Identifiers are left out: they mean nothing to a reader and only add noise to search.
    """
    lines = [
        f"{key.replace('_', ' ')}: {value}"
        for key, value in _flatten(payload, prefix="")
        if not _is_identifier(key, value)
    ]
    summary = "\n".join(lines)
    if len(summary) > _SUMMARY_CHARS:
        summary = summary[: _SUMMARY_CHARS - 1] + "…"
    return summary


def _flatten(value: Any, *, prefix: str) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        pairs: list[tuple[str, str]] = []
        for key in value:
            name = f"{prefix}.{key}" if prefix else str(key)
            pairs.extend(_flatten(value[key], prefix=name))
        return pairs
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return [(prefix, _short(", ".join(str(item) for item in value)))] if value else []
        pairs = []
        for index, item in enumerate(value, start=1):
            pairs.extend(_flatten(item, prefix=f"{prefix} {index}"))
        return pairs
    if value is None or value == "":
        return []
    return [(prefix, _short(str(value)))]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def _is_identifier(key: str, value: str) -> bool:
    last = key.rsplit(".", 1)[-1]
    return last == "id" or last.endswith("_id") or bool(_UUID.match(value))
