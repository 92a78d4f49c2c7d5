"""How the Brief's sections, fields and changes are named on the pages (message ids; the
templates translate them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xentri.ai.offline import minor_units
from xentri.categories.strategy.domain import FieldChange
from xentri.contracts.brief import BriefSection
from xentri.shell.i18n import N_

SECTIONS: dict[str, str] = {
    BriefSection.IDENTITY: N_("Identity"),
    BriefSection.OFFERINGS: N_("Offerings"),
    BriefSection.AUDIENCE: N_("Audience"),
    BriefSection.GOALS: N_("Goals"),
    BriefSection.BRAND_VOICE: N_("Brand voice"),
    BriefSection.DIFFERENTIATORS: N_("Differentiators"),
    BriefSection.COMPETITORS: N_("Competitors"),
    BriefSection.CONSTRAINTS: N_("Constraints"),
}

FIELDS: dict[str, str] = {
    "name": N_("Name"),
    "legal_name": N_("Legal name"),
    "tagline": N_("Tagline"),
    "mission": N_("Mission"),
    "story": N_("Story"),
    "locations": N_("Locations"),
    "city": N_("City"),
    "region": N_("Region"),
    "country": N_("Country"),
    "languages": N_("Languages"),
    "year_founded": N_("Year founded"),
    "description": N_("Description"),
    "price": N_("Price"),
    "price_minor": N_("Price"),
    "currency": N_("Currency"),
    "unit": N_("Unit"),
    "for_whom": N_("For whom"),
    "segments": N_("Segments"),
    "pains": N_("Pains"),
    "where": N_("Where they are"),
    "budget": N_("Budget"),
    "ideal_customer": N_("Ideal customer"),
    "statement": N_("Goal"),
    "metric": N_("Metric"),
    "target": N_("Target"),
    "deadline": N_("Deadline"),
    "tone_words": N_("Tone words"),
    "do": N_("Do"),
    "dont": N_("Don't"),
    "sample_phrases": N_("Sample phrases"),
    "time": N_("Time"),
    "team_size": N_("Team size"),
    "items": N_("One per line"),
}

_STEP = re.compile(r"([a-z_]+)|\[(\d+)\]")


@dataclass(frozen=True)
class ChangeLine:
    section: str  # message id
    steps: tuple[str | int, ...]  # field message ids, and item numbers from 1
    before: str
    after: str


def describe(
    change: FieldChange, before_doc: dict[str, Any], after_doc: dict[str, Any]
) -> ChangeLine:
    """A field change as words: section, the fields down to it, and each side as text."""
    parts: list[str | int] = [
        name if name else int(index) + 1 for name, index in _STEP.findall(change.path)
    ]
    section = SECTIONS.get(str(parts[0]), str(parts[0]))
    steps = tuple(FIELDS.get(p, p) if isinstance(p, str) else p for p in parts[1:])
    return ChangeLine(
        section=section,
        steps=steps,
        before=_text(change.before, change.path, before_doc),
        after=_text(change.after, change.path, after_doc),
    )


def _text(value: Any, path: str, document: dict[str, Any]) -> str:
    if value is None or value in ((), [], ""):
        return ""
    if path.endswith("price_minor") and isinstance(value, int):
        return _price(value, _sibling(document, path, "currency"))
    if isinstance(value, dict):
        shown = []
        for key, item in value.items():
            if key == "price_minor" and isinstance(item, int):
                shown.append(_price(item, value.get("currency")))
            elif key != "currency" and item not in (None, "", [], ()):
                shown.append(_text(item, key, document))
        return " · ".join(shown)
    if isinstance(value, list | tuple):
        return ", ".join(_text(item, path, document) for item in value)
    return str(value)


def _price(minor: int, currency: Any) -> str:
    code = currency if isinstance(currency, str) else None
    amount = Decimal(minor).scaleb(-(minor_units(code) if code else 2))
    return f"{amount} {code}" if code else str(amount)


def _sibling(document: dict[str, Any], path: str, name: str) -> Any:
    node: Any = document
    for key, index in _STEP.findall(path.rsplit(".", 1)[0]):
        try:
            node = node[key] if key else node[int(index)]
        except (KeyError, IndexError, TypeError):
            return None
    return node.get(name) if isinstance(node, dict) else None
