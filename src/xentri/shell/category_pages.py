"""What every category's pages share: who may do what, who acts, and the page in the frame with
the category's tabs (or the category's empty state when the visitor has no org yet)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from xentri.contracts.events import Actor
from xentri.identity.permissions import Permission, Role, can
from xentri.shell.frame import Frame
from xentri.shell.templating import render
from xentri.shell.visitor import Visitor

# (tab id, path, message id) — the tabs across the top of a category's pages.
Tabs = tuple[tuple[str, str, str], ...]


def may(frame: Frame, permission: Permission) -> bool:
    return frame.current is not None and can(Role(frame.current.role), permission)


def actor(visitor: Visitor) -> Actor:
    return Actor(type="user", id=str(visitor.user_id))


def category_page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    *,
    category: str,
    tabs: Tabs,
    tab: str,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> Response:
    """A category's page in the shell's frame; `<category>/no_org.html` when there is no org."""
    body = {"frame": frame, "section": category, "tab": tab, "tabs": tabs, **context}
    name = template if frame.current is not None else f"{category}/no_org.html"
    return render(request, visitor, name, body, status=status)
