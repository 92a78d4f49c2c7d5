"""What every settings page shares: the section list, the frame, and rendering in the layout."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from xentri.identity.errors import ForbiddenError, LastOwnerError
from xentri.identity.permissions import Permission, Role, can
from xentri.kernel.errors import DomainError
from xentri.shell.frame import Frame
from xentri.shell.i18n import N_
from xentri.shell.templating import render
from xentri.shell.visitor import Visitor

SECTIONS = (
    ("profile", N_("Profile")),
    ("organization", N_("Organization")),
    ("region", N_("Language & Region")),
    ("team", N_("Team")),
    ("integrations", N_("Integrations")),
    ("notifications", N_("Notifications")),
    ("danger", N_("Danger zone")),
)


def role_in(frame: Frame) -> Role | None:
    return Role(frame.current.role) if frame.current is not None else None


def allowed(frame: Frame, permission: Permission) -> bool:
    role = role_in(frame)
    return role is not None and can(role, permission)


def refusal(visitor: Visitor, exc: DomainError) -> tuple[str, int]:
    """A service's refusal in the visitor's words, and the status the page answers with."""
    if isinstance(exc, LastOwnerError):
        return (
            visitor.gettext(
                "An organization needs an owner. Make another member an owner first, or delete "
                "the organization."
            ),
            409,
        )
    if isinstance(exc, ForbiddenError):
        return visitor.gettext("Your role does not allow this."), 403
    return visitor.gettext("Something changed meanwhile. Reload the page and try again."), 409


def settings_page(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    section: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> Response:
    page = {
        "frame": frame,
        "section": "settings",
        "settings_section": section,
        "settings_sections": SECTIONS,
        "role": role_in(frame),
        **(context or {}),
    }
    return render(request, visitor, f"settings/{section}.html", page, status=status)
