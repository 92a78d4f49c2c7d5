"""Who sees which Pulse, and where a person lands (seed ADR-011 "Landing Logic").

Owners and admins see every level and land on the Strategy Pulse, the CEO briefing. A member
sees the categories they are limited to (`member_scopes`), or every category when they are not
limited, never the Strategy Pulse. Someone whose highest level is one scope lands there; someone
with several lands on the one they used last, if they still may see it, else the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from xentri.contracts.pulse import STRATEGY_SCOPE
from xentri.identity.permissions import Role
from xentri.pulse import scopes


@dataclass(frozen=True)
class Viewer:
    role: Role
    granted: tuple[str, ...] = ()  # category scopes a member is limited to

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.OWNER, Role.ADMIN)

    def tops(self) -> tuple[str, ...]:
        """The highest scopes this person may see, in the catalogue's order."""
        if self.sees_everything:
            return (STRATEGY_SCOPE,)
        every = scopes.category_scopes()
        if self.granted:
            return tuple(scope for scope in every if scope in self.granted)
        return every

    def may_see(self, scope: str) -> bool:
        return any(scopes.within(scope, top) for top in self.tops())


def landing_scope(viewer: Viewer, *, last: str | None) -> str:
    if viewer.role == Role.OWNER:
        return STRATEGY_SCOPE
    tops = viewer.tops()
    if len(tops) > 1 and last is not None and viewer.may_see(last):
        return last
    return tops[0]
