"""What Strategy's pages share: the frame, the tabs, and a refusal in the visitor's words."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from xentri.categories.strategy.domain import IllegalTransitionError
from xentri.categories.strategy.interview_service import ReplyPendingError
from xentri.categories.strategy.planning import NotFoundError
from xentri.categories.strategy.service import BriefNotFoundError, NothingChangedError
from xentri.identity.errors import ForbiddenError
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import category_page, may
from xentri.shell.frame import Frame
from xentri.shell.i18n import N_
from xentri.shell.visitor import Visitor

BASE = "/c/strategy"
TABS = (
    ("interview", f"{BASE}/interview", N_("Interview")),
    ("brief", f"{BASE}/brief", N_("Brief")),
    ("recommendations", f"{BASE}/recommendations", N_("Recommendations")),
    ("goals", f"{BASE}/goals", N_("Goals")),
    ("decisions", f"{BASE}/decisions", N_("Decisions")),
)


def page(  # noqa: PLR0917 - render()'s shape, with the frame and tab
    request: Request,
    visitor: Visitor,
    frame: Frame,
    tab: str,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> Response:
    """A Strategy page in the shell's frame (the org's empty state when there is none)."""
    body = {
        "may_edit_brief": may(frame, Permission.ORG_UPDATE),
        "may_write": may(frame, Permission.DATA_WRITE),
        **(context or {}),
    }
    return category_page(
        request,
        visitor,
        frame,
        category="strategy",
        tabs=TABS,
        tab=tab,
        template=template,
        context=body,
        status=status,
    )


def refusal(visitor: Visitor, exc: DomainError) -> tuple[str, int]:
    """A use case's refusal in the visitor's words, and the status the page answers with."""
    _ = visitor.gettext
    if isinstance(exc, ForbiddenError):
        return _("Your role does not allow this."), 403
    if isinstance(exc, NothingChangedError):
        return _("Nothing changed since the approved version: there is nothing to approve."), 409
    if isinstance(exc, IllegalTransitionError):
        return _("That is not possible at this point. The page shows what you can do now."), 409
    if isinstance(exc, ReplyPendingError):
        return _(
            "The co-pilot is still replying to your last answer. Wait for it, then try again."
        ), 409
    if isinstance(exc, BriefNotFoundError | NotFoundError):
        return _("It is no longer there. Someone may have deleted it meanwhile."), 404
    return _("Something changed meanwhile. Reload the page and try again."), 409
