"""The Strategy Pulse as a CEO briefing: what survived to the top, grouped by the area it came
from, most important first, under a short summary written from the items themselves.

The summary is deterministic (counts, what needs the owner, the most important item): the
Pulse works with the AI plane down, so it never waits on a model to say what it already knows.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass, field

from xentri.contracts.pulse import PulseItem


@dataclass
class Group:
    area: str  # a category scope, or the scope itself when it did not come up from one
    items: list[PulseItem] = field(default_factory=list)


def grouped(items: Sequence[PulseItem], origins: dict[str, str]) -> list[Group]:
    """`origins`: item id → the category scope it was promoted from. Groups are ordered by
    their most important item, items within by importance (the order `items` come in)."""
    groups: dict[str, Group] = {}
    for item in items:
        area = origins.get(str(item.id), item.scope)
        groups.setdefault(area, Group(area)).items.append(item)
    return sorted(groups.values(), key=lambda g: min(i.importance for i in g.items))


def summary(
    items: Sequence[PulseItem], areas: Sequence[str], t: gettext.NullTranslations
) -> list[str]:
    """Two or three sentences in the reader's language; none when there is nothing."""
    if not items:
        return []
    waiting = sum(1 for item in items if item.action_required)
    lines = [
        t.ngettext(
            "%(count)s thing reached your briefing.",
            "%(count)s things reached your briefing.",
            len(items),
        )
        % {"count": len(items)}
    ]
    if waiting:
        lines.append(
            t.ngettext("%(count)s needs you.", "%(count)s need you.", waiting) % {"count": waiting}
        )
    top = items[0]
    lines.append(t.gettext("Most important: %(title)s.") % {"title": top.title})
    if areas:
        lines.append(t.gettext("From: %(areas)s.") % {"areas": ", ".join(areas)})
    return lines
