"""The offline engine's dreaming: a persona distilled from episodes by counting, not guessing.

What it can honestly say from a journal without a language model: what keeps coming up (the
most frequent activities and words), what was decided and what came of it lately. A cloud
model, when configured, gets the same episodes and may say more.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from xentri.ai.memory.episodes import Episode

Language = Literal["en", "es"]
_TOP_ACTIVITIES = 3
_TOP_TERMS = 6
_LATEST = 3
_ITEM_CHARS = 140
_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]{3,}")

# Function words of both languages (folded): they are frequent in every journal and say
# nothing about this business.
_FUNCTION_WORDS = """
the and for with that this from have has had was were are will would should could not but
our your their they them then than there here what when where which who why how all any some
more most less very just also into onto about over under after before again each been being
its it's you we she his her him ours yours such only same other own los las del con para por
una uno unos unas que como pero sus nos les mas muy sin sobre entre desde hasta cuando donde
quien cual este esta estos estas ese esa esos esas hay fue son ser estan sera tiene tienen
todo todos toda todas tambien solo cada otro otra otros otras ella ellos ellas nuestro
nuestra nuestros nuestras porque mientras
"""
_STOP_WORDS = frozenset(_FUNCTION_WORDS.split())

_TEXTS: dict[Language, dict[str, str]] = {
    "en": {
        "from": "Distilled from {count} journal entries, {first} to {last}.",
        "activity": "What happens most: {items}.",
        "terms": "What keeps coming up: {items}.",
        "decisions": "Latest decisions:",
        "outcomes": "Latest outcomes:",
        "conversations": "Latest conversations were about: {items}.",
        "times": "{name} ({count} times)",
    },
    "es": {
        "from": "Destilado de {count} entradas del diario, del {first} al {last}.",
        "activity": "Lo que más ocurre: {items}.",
        "terms": "Lo que se repite: {items}.",
        "decisions": "Últimas decisiones:",
        "outcomes": "Últimos resultados:",
        "conversations": "Las últimas conversaciones trataron de: {items}.",
        "times": "{name} ({count} veces)",
    },
}


def distil_persona(episodes: Sequence[Episode], *, language: Language = "en") -> str:
    """A short persona from `episodes` (any order), in `language`; empty without episodes."""
    if not episodes:
        return ""
    texts = _TEXTS[language]
    ordered = sorted(episodes, key=lambda episode: episode.occurred_at, reverse=True)
    lines = [
        texts["from"].format(
            count=len(ordered),
            first=f"{ordered[-1].occurred_at:%Y-%m-%d}",
            last=f"{ordered[0].occurred_at:%Y-%m-%d}",
        )
    ]
    activity = Counter(episode.title for episode in ordered if episode.kind == "event")
    repeated = [(title, n) for title, n in activity.most_common(_TOP_ACTIVITIES) if n > 1]
    if repeated:
        items = ", ".join(texts["times"].format(name=title, count=n) for title, n in repeated)
        lines.append(texts["activity"].format(items=items))
    terms = _frequent_terms(ordered)
    if terms:
        lines.append(texts["terms"].format(items=", ".join(terms)))
    for kind, heading in (("decision", "decisions"), ("outcome", "outcomes")):
        latest = [episode for episode in ordered if episode.kind == kind][:_LATEST]
        if latest:
            lines.append(texts[heading])
            lines.extend(f"- {item.occurred_at:%Y-%m-%d}: {_item(item)}" for item in latest)
    talks = [episode.title for episode in ordered if episode.kind == "conversation"][:_LATEST]
    if talks:
        lines.append(texts["conversations"].format(items="; ".join(talks)))
    return "\n".join(lines)


def _frequent_terms(episodes: Sequence[Episode]) -> list[str]:
    """Words that appear in at least two episodes, most widespread first, as first written."""
    spread: Counter[str] = Counter()
    written: dict[str, str] = {}
    for episode in episodes:
        seen: set[str] = set()
        for word in _WORD.findall(_wording(episode)):
            key = _fold(word)
            if len(key) < 3 or key in _STOP_WORDS:
                continue
            written.setdefault(key, word)
            seen.add(key)
        spread.update(seen)
    ranked = sorted(spread.items(), key=lambda item: (-item[1], item[0]))
    return [written[key] for key, count in ranked[:_TOP_TERMS] if count > 1]


def _wording(episode: Episode) -> str:
    """The words of an episode that can make a theme. An event's title is its type (counted as
    activity instead) and its body 'field: value' lines whose field names repeat in every
    event of the type and would drown the words that matter."""
    if episode.kind != "event":
        return f"{episode.title}\n{episode.body}"
    return "\n".join(line.split(": ", 1)[-1] for line in episode.body.splitlines())


def _item(episode: Episode) -> str:
    body = " ".join(episode.body.split())
    text = f"{episode.title} — {body}" if body else episode.title
    return text if len(text) <= _ITEM_CHARS else text[: _ITEM_CHARS - 1] + "…"


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
