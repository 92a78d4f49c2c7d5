"""The module catalogue as data: `modules.yaml`, validated into typed, immutable models."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from xentri.catalog.domain import CATEGORY_IDS, SUBCATEGORIES_PER_CATEGORY, ModuleStatus

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")
_CHILD_ID = re.compile(r"^[a-z]+\.[a-z][a-z0-9_]*$")
_ICON = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CatalogueError(ValueError):
    """modules.yaml is not a valid catalogue; the message names the offending entry."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalizedText(_Frozen):
    en: str = Field(min_length=1)
    es: str = Field(min_length=1)

    @field_validator("en", "es")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    def in_language(self, language: str) -> str:
        return self.es if language == "es" else self.en


class _Entry(_Frozen):
    id: str
    icon: str = Field(pattern=_ICON.pattern, max_length=60)
    name: LocalizedText
    description: LocalizedText


class Module(_Entry):
    status: ModuleStatus
    # Where a module that works today is used (its pages in the shell); none while it is not.
    path: str | None = Field(default=None, pattern=r"^/c/[a-z]+(/[a-z0-9-]+)*$")


class SubCategory(_Entry):
    modules: tuple[Module, ...] = Field(min_length=1)


class Category(_Entry):
    subcategories: tuple[SubCategory, ...]


@dataclass(frozen=True)
class CatalogueEntry:
    """A module with where it sits: what the `modules` table stores, one row each."""

    module: Module
    category_id: str
    subcategory_id: str
    sort_order: int  # position in the whole file: ordering by it gives the catalogue's order


class Catalogue(_Frozen):
    version: int = Field(ge=1)
    categories: tuple[Category, ...]
    _by_id: dict[str, CatalogueEntry] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _well_formed(self) -> Self:
        found = tuple(category.id for category in self.categories)
        if sorted(found) != sorted(CATEGORY_IDS) or len(found) != len(CATEGORY_IDS):
            raise ValueError(f"the categories must be exactly {', '.join(CATEGORY_IDS)}")
        seen: set[str] = set()
        for category in self.categories:
            _claim(seen, category.id)
            if len(category.subcategories) != SUBCATEGORIES_PER_CATEGORY:
                raise ValueError(
                    f"category {category.id} has {len(category.subcategories)} sub-categories,"
                    f" not {SUBCATEGORIES_PER_CATEGORY}"
                )
            for sub in category.subcategories:
                _check_child_id(sub.id, category.id, "sub-category")
                _claim(seen, sub.id)
                for module in sub.modules:
                    _check_child_id(module.id, category.id, "module")
                    _claim(seen, module.id)
        return self

    def entries(self) -> Iterator[CatalogueEntry]:
        position = 0
        for category in self.categories:
            for sub in category.subcategories:
                for module in sub.modules:
                    position += 1
                    yield CatalogueEntry(module, category.id, sub.id, position)

    def entry(self, module_id: str) -> CatalogueEntry | None:
        return self._index().get(module_id)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def _index(self) -> dict[str, CatalogueEntry]:
        if self._by_id is None:
            self._by_id = {entry.module.id: entry for entry in self.entries()}
        return self._by_id


def _check_child_id(child_id: str, category_id: str, kind: str) -> None:
    if not _CHILD_ID.match(child_id) or not child_id.startswith(f"{category_id}."):
        raise ValueError(f"{kind} id {child_id!r} must look like '{category_id}.<snake_case>'")


def _claim(seen: set[str], entry_id: str) -> None:
    if entry_id in seen:
        raise ValueError(f"id {entry_id!r} is used twice")
    seen.add(entry_id)


def parse_catalogue(text: str) -> Catalogue:
    """Validate catalogue YAML; CatalogueError says what is wrong and where."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"modules.yaml is not valid YAML: {exc}") from None
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _where(raw, first["loc"])
        raise CatalogueError(f"modules.yaml: {where}: {first['msg']}") from None


def _where(raw: object, location: tuple[int | str, ...]) -> str:
    """Where a field failed: the id of the nearest entry, then the field (`finance.invoicing
    name.es`), rather than list indexes nobody can find in the file."""
    entry, field, node = "", [], raw
    for step in location:
        try:
            node = node[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            field.append(str(step))
            continue
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            entry, field = node["id"], []
        elif not isinstance(step, int):
            field.append(str(step))
    return " ".join(part for part in (entry, ".".join(field)) if part) or "top level"


@functools.cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with this version of Xentri, read and validated once."""
    text = resources.files("xentri.catalog").joinpath("modules.yaml").read_text("utf-8")
    return parse_catalogue(text)
