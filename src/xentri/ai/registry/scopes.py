"""Context scopes: where in the hierarchy a question is asked, and so which agent answers.

The same strings name an agent's context scope in agents.yaml and the `{scope}` of the copilot
API and the Pulse (ADR-011, ADR-012): `strategy` (the whole business, the CEO level),
`category.<category>`, `subcategory.<sub-category id>` and `module.<module id>`, where the ids
are the catalogue's (`subcategory.finance.billing`, `module.finance.invoicing`) so a scope
always lines up with the sidebar entry it was asked from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ScopeKind = Literal["strategy", "category", "subcategory", "module"]
_ID = r"[a-z][a-z0-9_]*"
_SCOPE = re.compile(
    rf"^(?:(?P<strategy>strategy)|(?P<kind>category|subcategory|module)\."
    rf"(?P<target>{_ID}(?:\.{_ID})?))$"
)
# How many dotted parts each kind's target has: a category is one word, the others are
# `<category>.<name>`.
_TARGET_PARTS: dict[str, tuple[ScopeKind, int]] = {
    "category": ("category", 1),
    "subcategory": ("subcategory", 2),
    "module": ("module", 2),
}


class ScopeError(ValueError):
    """A scope string that is not one of the four forms."""


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    target: str | None  # None for `strategy`

    def __str__(self) -> str:
        return self.kind if self.target is None else f"{self.kind}.{self.target}"

    @property
    def category(self) -> str:
        """The category the scope sits in (`strategy` for the top level)."""
        return "strategy" if self.target is None else self.target.split(".", 1)[0]


def parse_scope(text: str) -> Scope:
    found = _SCOPE.match(text)
    if found is None:
        raise ScopeError(
            f"scope {text!r} must be 'strategy', 'category.<category>', "
            "'subcategory.<category>.<name>' or 'module.<category>.<name>'"
        )
    if found["strategy"]:
        return Scope("strategy", None)
    kind, parts = _TARGET_PARTS[found["kind"]]
    target: str = found["target"]
    if target.count(".") + 1 != parts:
        shape = "<category>" if kind == "category" else "<category>.<name>"
        raise ScopeError(f"scope {text!r}: a {kind} scope is '{kind}.{shape}'")
    return Scope(kind, target)
