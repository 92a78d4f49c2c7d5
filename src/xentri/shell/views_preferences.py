"""Preferences anyone can set from the frame: the language (kept on the account when signed in)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from xentri.identity import accounts
from xentri.identity.http import account_scope
from xentri.kernel.i18n import supported_language
from xentri.shell.forms import read_form
from xentri.shell.i18n import LANG_COOKIE, LANG_COOKIE_MAX_AGE
from xentri.shell.templating import redirect, safe_next
from xentri.shell.visitor import CurrentVisitor

preference_pages = APIRouter(include_in_schema=False)


@preference_pages.post("/language")
async def change_language(request: Request, visitor: CurrentVisitor) -> Response:
    form = await read_form(request, visitor, ("language", "next"))
    back = safe_next(form.values["next"], default="/dashboard" if visitor.signed_in else "/login")
    language = supported_language(form.values["language"])
    if not form.csrf_ok or language is None or form.values["language"] != language:
        return redirect(request, back)
    if visitor.session is not None:
        async with account_scope(request) as tx:
            await accounts.update_profile(
                tx=tx, user_id=visitor.session.user_id, changes={"preferred_language": language}
            )
    response = redirect(request, back, notice="language_changed")
    response.set_cookie(
        LANG_COOKIE,
        language,
        max_age=LANG_COOKIE_MAX_AGE,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        path="/",
    )
    return response
