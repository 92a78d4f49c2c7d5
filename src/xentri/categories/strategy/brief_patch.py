"""Merging what a model extracted from one answer (a partial Brief) into the interview's draft.

The rules are the offline interview's (ai.offline.known): a fact stated later fills or replaces
the same field, it never erases one (an empty field in the patch says "not mentioned", not
"remove"); list items are matched by what names them (an offering's or segment's name, a goal's
statement, a word), so a repeated one is updated in place and a new one is added after the
others. The result is validated as a Brief again: a patch that would make it invalid is refused
with ValueError and the caller keeps the draft it had.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from xentri.contracts.brief import Brief, Location

# What names a list item: the first of these fields it has.
_KEYS = ("name", "statement")


def merge(draft: Brief, patch: Brief) -> Brief:
    """The draft with the patch's facts; ValueError when the result is not a valid Brief."""
    merged = _merge_model(draft, patch)
    try:
        return Brief.model_validate(merged)
    except ValidationError as exc:
        raise ValueError(f"the patch makes an invalid Brief: {exc.error_count()} errors") from exc


def _merge_model(old: BaseModel, new: BaseModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in type(old).model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if after is None:
            out[name] = _dump(before)
        elif isinstance(after, BaseModel):
            out[name] = _merge_model(before, after)
        elif isinstance(after, tuple):
            out[name] = _merge_items(before, after)
        else:
            out[name] = after
    return out


def _merge_items(before: tuple[Any, ...], after: tuple[Any, ...]) -> list[Any]:
    merged: list[Any] = list(before)
    for item in after:
        at = next((i for i, old in enumerate(merged) if _key(old) == _key(item)), None)
        if at is None:
            merged.append(item)
        elif isinstance(item, BaseModel):
            merged[at] = type(item).model_validate(_merge_model(merged[at], item))
    return [_dump(item) for item in merged]


def _key(item: Any) -> object:
    if isinstance(item, str):
        return item.strip().casefold()
    if isinstance(item, Location):
        return tuple(
            (part or "").strip().casefold() for part in (item.city, item.region, item.country)
        )
    for field in _KEYS:
        if isinstance(value := getattr(item, field, None), str):
            return value.strip().casefold()
    return item


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, tuple):
        return [_dump(item) for item in value]
    return value
