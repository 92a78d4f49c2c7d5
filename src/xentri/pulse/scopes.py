"""Pulse scopes against the module catalogue: which exist, their parents, their names."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from xentri.catalog import load_catalogue
from xentri.contracts.pulse import (
    STRATEGY_SCOPE,
    ScopeLevel,
    is_scope_shaped,
    scope_level,
)


@dataclass(frozen=True)
class Scope:
    id: str  # "module.finance.invoicing"
    level: ScopeLevel
    catalogue_id: str | None  # "finance.invoicing"; None for the top
    category: str | None  # "finance"; None for the top
    parent: str | None
    names: dict[str, str]  # by language; the top has none (the pages name it)

    def name_in(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en", "")

    @property
    def chain(self) -> tuple[str, ...]:
        """This scope's ancestors, nearest first, up to `strategy`."""
        found: list[str] = []
        parent = self.parent
        while parent is not None:
            found.append(parent)
            parent = _index()[parent].parent
        return tuple(found)


def find(scope: str) -> Scope | None:
    """The scope, or None when it is not shaped like one or the catalogue has no such entry."""
    if not is_scope_shaped(scope):
        return None
    return _index().get(scope)


def category_scope(category: str) -> str:
    return f"category.{category}"


def module_scope(module_id: str) -> str:
    return f"module.{module_id}"


def subcategory_scope(subcategory_id: str) -> str:
    return f"subcategory.{subcategory_id}"


def category_scopes() -> tuple[str, ...]:
    return tuple(s.id for s in _index().values() if s.level == "category")


def children(scope: str) -> tuple[Scope, ...]:
    return tuple(s for s in _index().values() if s.parent == scope)


def within(scope: str, ancestor: str) -> bool:
    """Whether `scope` is `ancestor` or lies below it."""
    found = find(scope)
    return found is not None and (scope == ancestor or ancestor in found.chain)


@functools.cache
def _index() -> dict[str, Scope]:
    catalogue = load_catalogue()
    found = {STRATEGY_SCOPE: Scope(STRATEGY_SCOPE, "strategy", None, None, None, {})}
    for category in catalogue.categories:
        cat = category_scope(category.id)
        found[cat] = Scope(
            cat, "category", category.id, category.id, STRATEGY_SCOPE, _names(category.name)
        )
        for sub in category.subcategories:
            sub_scope = subcategory_scope(sub.id)
            found[sub_scope] = Scope(
                sub_scope, "subcategory", sub.id, category.id, cat, _names(sub.name)
            )
            for module in sub.modules:
                mod = module_scope(module.id)
                found[mod] = Scope(
                    mod, "module", module.id, category.id, sub_scope, _names(module.name)
                )
    assert all(scope_level(key) == value.level for key, value in found.items())
    return found


def _names(text: object) -> dict[str, str]:
    return {"en": getattr(text, "en", ""), "es": getattr(text, "es", "")}
