"""Danger zone: export all of the org's data; delete the org after typing its name, or one's own
account after typing its password (its email, for an account made through single sign-on).
An org always keeps an owner: the last owner must hand over or delete it first."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.identity import closing, orgs, sign_in
from xentri.identity.caller_org import forget_session_org
from xentri.identity.errors import (
    ForbiddenError,
    InvalidCredentialsError,
    LastOwnerError,
    TooManyAttemptsError,
)
from xentri.identity.http import account_scope, clear_session_cookie, engine_of, org_scope
from xentri.identity.permissions import Permission
from xentri.identity.sessions import set_active_org
from xentri.kernel.db.tenant import user_transaction
from xentri.shell import messages, org_data
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.logos import logo_key
from xentri.shell.settings_common import allowed, refusal, settings_page
from xentri.shell.templating import redirect
from xentri.shell.views_settings_org import storage_of
from xentri.shell.visitor import Visitor

danger_pages = APIRouter(include_in_schema=False)

_HERE = "/settings/danger"


@danger_pages.get(_HERE)
async def danger_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    with_password = await _has_password(request, visitor)
    return _danger(request, visitor, frame, Form(values={}, csrf_ok=True), with_password)


@danger_pages.post(f"{_HERE}/export")
async def export(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None:
        return redirect(request, _HERE)
    if not form.csrf_ok:
        return await _danger_again(request, visitor, frame, form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (_tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
    except ForbiddenError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _danger_again(request, visitor, frame, form, status=status)
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
async def delete_org(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("confirm_org",))
    if frame.current is None:
        return redirect(request, _HERE)
    if not form.csrf_ok:
        return await _danger_again(request, visitor, frame, form, status=403)
    if form.values["confirm_org"] != frame.current.name:
        form.errors["confirm_org"] = visitor.gettext(
            "Type the organization's name exactly as shown to confirm."
        )
        return await _danger_again(request, visitor, frame, form, status=422)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            await org_data.delete_org(tx=tx, ctx=ctx)
    except ForbiddenError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _danger_again(request, visitor, frame, form, status=status)
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
async def delete_account(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    # Stripped as the sign-up and log-in forms strip it, so the same typing matches.
    form = await read_form(request, visitor, ("confirm_email", "password"))
    password = form.values.pop("password")  # never shown again
    with_password = await _has_password(request, visitor)
    status = 403 if not form.csrf_ok else _unconfirmed(visitor, form, password, with_password)
    if status is None:
        status = await _close_account(request, visitor, form, password if with_password else None)
    if status is not None:
        return _danger(request, visitor, frame, form, with_password, status=status)
    await forget_session_org(request)
    response = redirect(request, "/login", notice="account_deleted")
    clear_session_cookie(response)
    return response


def _unconfirmed(visitor: Visitor, form: Form, password: str, with_password: bool) -> int | None:
    """422 with the field's error when the confirmation is missing or mistyped."""
    user_email = visitor.user.email if visitor.user else ""
    if with_password and not password:
        form.errors["password"] = visitor.gettext("Enter your password.")
    elif not with_password and form.values["confirm_email"].lower() != user_email.lower():
        form.errors["confirm_email"] = visitor.gettext(
            "Type your email address exactly as shown to confirm."
        )
    return 422 if form.errors else None


async def _close_account(
    request: Request, visitor: Visitor, form: Form, password: str | None
) -> int | None:
    """Delete the account, or say why not on the form and return the page's status."""
    try:
        if password is not None:
            email = visitor.user.email if visitor.user else str(visitor.user_id)
            await sign_in.throttle_password_check(request, email=email)
        # Their memberships in every org are readable; the account's event goes to the
        # platform's own log.
        async with user_transaction(
            engine_of(request), visitor.user_id, org_id=SYSTEM_ORG_ID
        ) as tx:
            await closing.delete_account(tx=tx, user_id=visitor.user_id, password=password)
    except TooManyAttemptsError as exc:
        form.errors["password"] = messages.too_many_attempts(visitor, exc)
        return 429
    except InvalidCredentialsError:
        form.errors["password"] = visitor.gettext("This is not your password.")
        return 422
    except LastOwnerError as exc:
        orphaned = exc.extensions.get("orgs", [])
        names = ", ".join(str(name) for name in orphaned) if isinstance(orphaned, list) else ""
        form.form_error = visitor.gettext(
            "You are the only owner of %(orgs)s. Make another member an owner, or delete the "
            "organization, before you delete your account.",
            orgs=names,
        )
        return 409
    return None


async def _has_password(request: Request, visitor: Visitor) -> bool:
    async with account_scope(request) as tx:
        return await closing.has_password(tx=tx, user_id=visitor.user_id)


async def _danger_again(
    request: Request, visitor: Visitor, frame: Frame, form: Form, *, status: int
) -> Response:
    with_password = await _has_password(request, visitor)
    return _danger(request, visitor, frame, form, with_password, status=status)


def _danger(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    with_password: bool,
    *,
    status: int = 200,
) -> Response:
    context = {
        "form": form,
        "with_password": with_password,
        "may_export": allowed(frame, Permission.ORG_UPDATE),
        "may_delete_org": allowed(frame, Permission.ORG_DELETE),
    }
    return settings_page(request, visitor, frame, "danger", context, status=status)
