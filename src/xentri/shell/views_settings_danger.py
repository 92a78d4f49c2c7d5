"""Danger zone: export all of the org's data; delete the org or one's own account after typing
its name. An org always keeps an owner: the last owner must hand over or delete it first."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.identity import closing, orgs
from xentri.identity.caller_org import forget_session_org
from xentri.identity.errors import ForbiddenError, LastOwnerError
from xentri.identity.http import clear_session_cookie, engine_of, org_scope
from xentri.identity.permissions import Permission
from xentri.identity.sessions import set_active_org
from xentri.kernel.db.tenant import user_transaction
from xentri.shell import org_data
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, load_frame, needs_sign_in
from xentri.shell.logos import logo_key
from xentri.shell.settings_common import allowed, refusal, settings_page
from xentri.shell.templating import redirect
from xentri.shell.views_settings_org import storage_of
from xentri.shell.visitor import CurrentVisitor, Visitor

danger_pages = APIRouter(include_in_schema=False)

_HERE = "/settings/danger"


@danger_pages.get(_HERE)
async def danger_page(request: Request, visitor: CurrentVisitor) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    return _danger(request, visitor, frame, Form(values={}, csrf_ok=True))


@danger_pages.post(f"{_HERE}/export")
async def export(request: Request, visitor: CurrentVisitor) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None:
        return redirect(request, _HERE)
    if not form.csrf_ok:
        return _danger(request, visitor, frame, form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (_tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
    except ForbiddenError as exc:
        form.form_error, status = refusal(visitor, exc)
        return _danger(request, visitor, frame, form, status=status)
    logo = await asyncio.to_thread(storage_of(request).get, logo_key(ctx.org_id))
    files = {"logo" + _EXTENSIONS.get(logo.content_type, ""): logo.data} if logo else {}
    slug = re.sub(r"[^a-z0-9]+", "-", frame.current.name.lower()).strip("-") or "org"
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return StreamingResponse(
        org_data.export_org(engine=engine_of(request), org_id=ctx.org_id, files=files),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="xentri-{slug}-{stamp}.zip"',
            "Cache-Control": "no-store",
        },
    )


_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


@danger_pages.post(f"{_HERE}/delete-org")
async def delete_org(request: Request, visitor: CurrentVisitor) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("confirm_org",))
    if frame.current is None:
        return redirect(request, _HERE)
    if not form.csrf_ok:
        return _danger(request, visitor, frame, form, status=403)
    if form.values["confirm_org"] != frame.current.name:
        form.errors["confirm_org"] = visitor.gettext(
            "Type the organization's name exactly as shown to confirm."
        )
        return _danger(request, visitor, frame, form, status=422)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            await org_data.delete_org(tx=tx, ctx=ctx)
    except ForbiddenError as exc:
        form.form_error, status = refusal(visitor, exc)
        return _danger(request, visitor, frame, form, status=status)
    await asyncio.to_thread(storage_of(request).delete, logo_key(frame.current.id))
    # The session moves on to another of their orgs, if they have one.
    async with user_transaction(engine_of(request), visitor.user_id) as tx:
        remaining = await orgs.my_orgs(tx=tx, user_id=visitor.user_id)
        if remaining:
            await set_active_org(
                tx=tx, session_id=visitor.caller.session_id, org_id=remaining[0].id
            )
    await forget_session_org(request)
    return redirect(request, "/dashboard", notice="org_deleted")


@danger_pages.post(f"{_HERE}/delete-account")
async def delete_account(request: Request, visitor: CurrentVisitor) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("confirm_email",))
    if not form.csrf_ok:
        return _danger(request, visitor, frame, form, status=403)
    user_email = visitor.user.email if visitor.user else ""
    if form.values["confirm_email"].lower() != user_email.lower():
        form.errors["confirm_email"] = visitor.gettext(
            "Type your email address exactly as shown to confirm."
        )
        return _danger(request, visitor, frame, form, status=422)
    try:
        # Their memberships in every org are readable; the account's event goes to the
        # platform's own log.
        async with user_transaction(
            engine_of(request), visitor.user_id, org_id=SYSTEM_ORG_ID
        ) as tx:
            await closing.delete_account(tx=tx, user_id=visitor.user_id)
    except LastOwnerError as exc:
        orphaned = exc.extensions.get("orgs", [])
        names = ", ".join(str(name) for name in orphaned) if isinstance(orphaned, list) else ""
        form.form_error = visitor.gettext(
            "You are the only owner of %(orgs)s. Make another member an owner, or delete the "
            "organization, before you delete your account.",
            orgs=names,
        )
        return _danger(request, visitor, frame, form, status=409)
    await forget_session_org(request)
    response = redirect(request, "/login", notice="account_deleted")
    clear_session_cookie(response)
    return response


def _danger(
    request: Request, visitor: Visitor, frame: Frame, form: Form, *, status: int = 200
) -> Response:
    context = {
        "form": form,
        "may_export": allowed(frame, Permission.ORG_UPDATE),
        "may_delete_org": allowed(frame, Permission.ORG_DELETE),
    }
    return settings_page(request, visitor, frame, "danger", context, status=status)
