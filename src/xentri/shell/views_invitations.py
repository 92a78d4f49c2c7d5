"""The page behind an invitation link: see what it offers, then accept it as the invited person."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from xentri.identity import invitations
from xentri.identity.caller_org import forget_session_org
from xentri.identity.http import engine_of
from xentri.identity.invitation_errors import (
    InvitationEmailMismatchError,
    InvitationNotFoundError,
    InvitationUnavailableError,
)
from xentri.shell.formatting import Region
from xentri.shell.forms import read_form
from xentri.shell.frame import to_login
from xentri.shell.templating import redirect, render
from xentri.shell.visitor import CurrentVisitor, Visitor

invitation_pages = APIRouter(include_in_schema=False)

_TEMPLATE = "auth/invitation.html"


@invitation_pages.get("/invitations/accept")
async def invitation_page(request: Request, visitor: CurrentVisitor, token: str = "") -> Response:
    return await _show(request, visitor, token[:200])


async def _show(
    request: Request, visitor: Visitor, token: str, *, problem: str | None = None, status: int = 200
) -> Response:
    try:
        if len(token) < 10:
            raise InvitationNotFoundError("malformed")
        preview = await invitations.preview_invitation(engine=engine_of(request), token=token)
    except InvitationNotFoundError:
        closed = {"state": "not_found", "token": token, "preview": None}
        return render(request, visitor, _TEMPLATE, closed, status=404)
    except InvitationUnavailableError as exc:
        reason = str(exc.extensions.get("reason", "expired"))
        closed = {"state": reason, "token": token, "preview": None}
        return render(request, visitor, _TEMPLATE, closed, status=410)
    here = "/invitations/accept?" + urlencode({"token": token})
    context: dict[str, object] = {
        "state": "open",
        "preview": preview,
        # Signed out there is no frame: the expiry is in the inviting org's clock.
        "region": Region(time_zone=preview.time_zone),
        "token": token,
        "problem": problem,
        "is_invited": visitor.user is not None
        and visitor.user.email.lower() == preview.email.lower(),
        "login_url": "/login?" + urlencode({"next": here, "email": preview.email}),
        "signup_url": "/signup?" + urlencode({"next": here, "email": preview.email}),
    }
    return render(request, visitor, _TEMPLATE, context, status=status)


@invitation_pages.post("/invitations/accept")
async def invitation_accept(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ("token",))
    token = form.values["token"][:200]
    if visitor.session is None:
        return to_login(request)
    if not form.csrf_ok:
        return await _show(request, visitor, token, problem=form.form_error, status=403)
    try:
        if len(token) < 10:
            raise InvitationNotFoundError("malformed")
        await invitations.accept_invitation(
            engine=engine_of(request),
            token=token,
            user_id=visitor.session.user_id,
            session_id=visitor.session.session_id,
        )
    except InvitationEmailMismatchError:
        problem = visitor.gettext("This invitation was sent to another email address.")
        return await _show(request, visitor, token, problem=problem, status=403)
    except (InvitationNotFoundError, InvitationUnavailableError):
        return await _show(request, visitor, token)
    await forget_session_org(request)
    return redirect(request, "/dashboard", notice="invitation_accepted")
