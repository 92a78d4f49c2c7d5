"""The soul files (ADR-007): the prompt layers kept as Markdown in the package.

`souls/global.md` is the Global Soul every agent shares, `souls/categories/<category>.md` the
Category Context of each category, `souls/agents/<agent id>.md` each agent's Role. They are read
through importlib.resources so an installed wheel finds them exactly as a checkout does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, field_validator

from xentri.ai.registry.models import RegistryError

# Anchored at `xentri`, always a regular package, so the lookup holds whatever shape
# `xentri.ai` takes.
SOULS_PACKAGE = "xentri"
SOULS_DIR = "ai/souls"
GLOBAL_FILE = f"{SOULS_DIR}/global.md"
CATEGORIES_DIR = f"{SOULS_DIR}/categories"
AGENTS_DIR = f"{SOULS_DIR}/agents"
# Composition adds the level-1 headings that separate the layers; a `# ` line inside a file
# would read to the model as a new layer.
_TOP_HEADING = re.compile(r"^# ", re.MULTILINE)


class SoulTexts(BaseModel):
    """Every soul file's text, keyed by category id and agent id."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    global_soul: str
    categories: Mapping[str, str]
    agents: Mapping[str, str]

    @field_validator("categories", "agents")
    @classmethod
    def _read_only(cls, value: Mapping[str, str]) -> Mapping[str, str]:
        return MappingProxyType(dict(value))


def check_soul_text(text: str, path: str) -> str:
    """The text of one soul file, or a RegistryError naming the file."""
    stripped = text.strip()
    if not stripped:
        raise RegistryError(f"{path}: the file is empty")
    if _TOP_HEADING.search(stripped):
        raise RegistryError(
            f"{path}: uses a level-1 heading ('# '); start sections at '##' "
            "(composition adds the level-1 headings between layers)"
        )
    return stripped


def load_soul_texts() -> SoulTexts:
    """Read every soul file shipped in the package."""
    root = resources.files(SOULS_PACKAGE)
    return SoulTexts(
        global_soul=check_soul_text(_read(root.joinpath(GLOBAL_FILE)), GLOBAL_FILE),
        categories=_read_dir(root.joinpath(CATEGORIES_DIR), CATEGORIES_DIR),
        agents=_read_dir(root.joinpath(AGENTS_DIR), AGENTS_DIR),
    )


def _read(file: Traversable) -> str:
    return file.read_text("utf-8")


def _read_dir(directory: Traversable, path: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for entry in sorted(directory.iterdir(), key=lambda item: item.name):
        if entry.is_file() and entry.name.endswith(".md"):
            key = entry.name.removesuffix(".md")
            texts[key] = check_soul_text(_read(entry), f"{path}/{entry.name}")
    return texts
