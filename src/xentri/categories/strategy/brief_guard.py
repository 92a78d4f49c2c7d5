"""What a change asked for in words may take out of the Brief (ADR 0027).

A model may rewrite whatever the words lead it to, but it may not lose what the owner did not
name. So a change is refused when:
- a field that had a value is left empty and the words name neither the field ("tagline",
  "precio", …) nor its value;
- a list ends up with fewer of its old items than it had, beyond the items the words name (a
  list may be rewritten item for item: "make the differentiators punchier"); an item is named
  when the words hold its name, statement or text, or a word of it of four letters or more;
- a field inside a kept item (an offering's price) is emptied and the words name neither that
  item nor the field.
Everything else shows up in the change's diff, can be undone, and reaches the approved Brief
only when the owner approves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from xentri.ai.offline.text import fold
from xentri.contracts.brief import Brief

# Words that name a field, in English and Spanish, folded (no accents); a word of the request
# names the field when it starts with one of these.
_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nombre", "called", "llama"),
    "legal_name": ("legal", "razon"),
    "tagline": ("tagline", "slogan", "eslogan", "lema"),
    "mission": ("mission", "mision"),
    "story": ("story", "historia"),
    "year_founded": ("founded", "year", "fundad", "fundamos", "ano"),
    "city": ("location", "city", "address", "moved", "ubicacion", "ciudad", "direccion", "mud"),
    "region": ("location", "region", "state", "moved", "ubicacion", "estado", "mud"),
    "country": ("location", "country", "moved", "ubicacion", "pais", "mud"),
    "description": ("description", "describ", "descripcion"),
    "price_minor": ("price", "cost", "charge", "free", "precio", "cuesta", "cobra", "gratis"),
    "currency": ("price", "currency", "precio", "moneda", "divisa"),
    "unit": ("unit", "unidad", "per", "por"),
    "for_whom": ("whom", "customer", "audience", "cliente", "publico", "quien"),
    "where": ("where", "donde", "channel", "canal"),
    "budget": ("budget", "presupuesto"),
    "ideal_customer": ("ideal", "customer", "cliente"),
    "metric": ("metric", "measure", "metrica", "medi"),
    "target": ("target", "meta", "objetivo"),
    "deadline": ("deadline", "date", "fecha", "plazo"),
    "time": ("time", "hours", "tiempo", "horas"),
    "team_size": ("team", "staff", "employee", "people", "equipo", "emplead", "persona"),
}
_WORD = re.compile(r"[a-z0-9]+")
_ITEM_NAMES = ("name", "statement")
_SIGNIFICANT = 4


@dataclass(frozen=True)
class _Said:
    text: str
    words: frozenset[str]

    def names_field(self, field: str) -> bool:
        prefixes = _FIELD_WORDS.get(field, ())
        return any(word.startswith(prefix) for word in self.words for prefix in prefixes)

    def names_value(self, value: Any) -> bool:
        folded = fold(str(value)).strip()
        return bool(folded) and folded in self.text

    def names_item(self, item: Any) -> bool:
        for text in _item_texts(item):
            folded = fold(text).strip()
            if folded and folded in self.text:
                return True
            if any(
                len(word) >= _SIGNIFICANT and word in self.words for word in _WORD.findall(folded)
            ):
                return True
        return False


def losses(before: Brief, after: Brief, words: str) -> tuple[str, ...]:
    """Where `after` loses what `before` had without `words` naming it (paths like
    "offerings", "identity.name", "offerings[0].price_minor"); empty when nothing is lost."""
    folded = fold(words)
    said = _Said(folded, frozenset(_WORD.findall(folded)))
    found: list[str] = []
    _compare("", before.model_dump(mode="json"), after.model_dump(mode="json"), said, found)
    return tuple(found)


def _compare(path: str, old: Any, new: Any, said: _Said, found: list[str]) -> None:
    if isinstance(old, dict):
        for key, value in old.items():
            child = f"{path}.{key}" if path else key
            _compare(child, value, new.get(key) if isinstance(new, dict) else None, said, found)
    elif isinstance(old, list):
        _compare_items(path, old, new if isinstance(new, list) else [], said, found)
    elif not _empty(old) and _empty(new):
        field = path.rsplit(".", 1)[-1]
        if not (said.names_field(field) or said.names_value(old)):
            found.append(path)


def _compare_items(
    path: str, old: list[Any], new: list[Any], said: _Said, found: list[str]
) -> None:
    new_by_key = {_key(item): item for item in new}
    old_keys = {_key(item) for item in old}
    added = sum(1 for key in new_by_key if key not in old_keys)
    unnamed_removed = 0
    for index, item in enumerate(old):
        kept = new_by_key.get(_key(item))
        if kept is None:
            unnamed_removed += not said.names_item(item)
        elif isinstance(item, dict) and not said.names_item(item):
            _compare(f"{path}[{index}]", item, kept, said, found)
    if unnamed_removed > added:
        found.append(path)


def _key(item: Any) -> str:
    if isinstance(item, dict):
        for name in _ITEM_NAMES:
            if isinstance(item.get(name), str):
                return fold(item[name]).strip()
        return "|".join(fold(str(item.get(part) or "")) for part in ("city", "region", "country"))
    return fold(str(item)).strip()


def _item_texts(item: Any) -> list[str]:
    if isinstance(item, dict):
        named = [item[name] for name in _ITEM_NAMES if isinstance(item.get(name), str)]
        if named:
            return named
        return [str(item[part]) for part in ("city", "region", "country") if item.get(part)]
    return [str(item)]


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})
