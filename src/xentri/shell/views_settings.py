"""Settings that belong to the person (profile, notifications) and Language & Region (the
person's language; the org's time zone, date format and currency for those allowed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.identity import accounts, orgs
from xentri.identity.errors import ForbiddenError
from xentri.identity.http import account_scope, org_scope
from xentri.identity.permissions import Permission
from xentri.identity.schemas import OrgUpdate, ProfileUpdate
from xentri.notifications import preferences as notification_prefs
from xentri.shell import org_preferences
from xentri.shell.formatting import today_in
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.org_forms import profile_errors, region_errors, set_language_cookie
from xentri.shell.region import choices, format_day
from xentri.shell.settings_common import allowed, refusal, settings_page
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

settings_pages = APIRouter(include_in_schema=False)


@settings_pages.get("/settings")
async def settings_home(request: Request, visitor: SignedInVisitor) -> Response:
    return redirect(request, "/settings/profile")


@settings_pages.get("/settings/profile")
async def profile_page(request: Request, visitor: SignedInVisitor) -> Response:
    user: Any = visitor.user
    form = Form(values={"name": user.name, "phone": user.phone or ""}, csrf_ok=True)
    frame = await load_frame(request, visitor)
    return settings_page(request, visitor, frame, "profile", {"form": form})


@settings_pages.post("/settings/profile")
async def profile_submit(request: Request, visitor: SignedInVisitor) -> Response:
    form = await read_form(request, visitor, ("name", "phone"))
    status = 403 if not form.csrf_ok else 422
    if form.csrf_ok:
        try:
            profile_in = ProfileUpdate(name=form.values["name"], phone=form.values["phone"] or None)
        except ValidationError as exc:
            form.errors = profile_errors(exc, visitor, form.values)
    if form.ok:
        async with account_scope(request) as tx:
            changes = profile_in.model_dump(include={"name", "phone"})
            await accounts.update_profile(tx=tx, user_id=visitor.user_id, changes=changes)
        return redirect(request, "/settings/profile", notice="settings_saved")
    frame = await load_frame(request, visitor)
    return settings_page(request, visitor, frame, "profile", {"form": form}, status=status)


@settings_pages.get("/settings/region")
async def region_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    values = {"language": visitor.lang, "time_zone": "", "currency": "", "date_format": ""}
    if frame.current is not None:
        values["time_zone"], values["currency"] = frame.current.time_zone, frame.current.currency
        values["date_format"] = frame.region.date_format
    return _region(request, visitor, frame, Form(values=values, csrf_ok=True))


@settings_pages.post("/settings/region")
async def region_submit(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    org_fields = ("time_zone", "currency", "date_format")
    may_edit_org = allowed(frame, Permission.ORG_UPDATE)
    form = await read_form(request, visitor, ("language", *(org_fields if may_edit_org else ())))
    status = 403 if not form.csrf_ok else 422
    if form.csrf_ok:
        form.errors = region_errors(visitor, form.values, with_date_format=may_edit_org)
    if not form.ok:
        return _region(request, visitor, frame, form, status=status)
    language = form.values["language"]
    async with account_scope(request) as tx:
        await accounts.update_profile(
            tx=tx, user_id=visitor.user_id, changes={"preferred_language": language}
        )
    if may_edit_org and frame.current is not None:
        try:
            async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
                changes = OrgUpdate(
                    time_zone=form.values["time_zone"], currency=form.values["currency"]
                ).model_dump(exclude_none=True)
                await orgs.update_org(tx=tx, ctx=ctx, changes=changes)
                await org_preferences.set_date_format(
                    tx=tx, ctx=ctx, date_format=form.values["date_format"]
                )
        except ForbiddenError as exc:  # the role changed since the page was shown
            form.form_error, status = refusal(visitor, exc)
            return _region(request, visitor, frame, form, status=status)
    response = redirect(request, "/settings/region", notice="settings_saved")
    set_language_cookie(request, response, language)
    return response


def _region(
    request: Request, visitor: Visitor, frame: Frame, form: Form, *, status: int = 200
) -> Response:
    context = {
        "form": form,
        "may_edit_org": allowed(frame, Permission.ORG_UPDATE),
        "today": format_day(
            today_in(frame.region), form.values.get("date_format", ""), visitor.lang
        ),
        **choices(visitor),
    }
    return settings_page(request, visitor, frame, "region", context, status=status)


@settings_pages.get("/settings/notifications")
async def notifications_page(request: Request, visitor: SignedInVisitor) -> Response:
    async with account_scope(request) as tx:
        prefs = await notification_prefs.preferences_for(tx=tx, user_id=visitor.user_id)
    frame = await load_frame(request, visitor)
    return _notifications(request, visitor, frame, prefs, None)


@settings_pages.post("/settings/notifications")
async def notifications_submit(request: Request, visitor: SignedInVisitor) -> Response:
    names = [f"{kind}.{channel}" for kind in notification_prefs.KINDS for channel in CHANNELS]
    form = await read_form(request, visitor, tuple(names))
    if not form.csrf_ok:
        async with account_scope(request) as tx:
            prefs = await notification_prefs.preferences_for(tx=tx, user_id=visitor.user_id)
        frame = await load_frame(request, visitor)
        return _notifications(request, visitor, frame, prefs, form.form_error, status=403)
    # An unticked checkbox sends nothing: absent means off.
    chosen = {
        kind: notification_prefs.Choice(
            email=form.values[f"{kind}.email"] == "on", in_app=form.values[f"{kind}.in_app"] == "on"
        )
        for kind in notification_prefs.KINDS
    }
    async with account_scope(request) as tx:
        await notification_prefs.save_preferences(tx=tx, user_id=visitor.user_id, choices=chosen)
    return redirect(request, "/settings/notifications", notice="settings_saved")


CHANNELS = ("email", "in_app")


def _notifications(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    prefs: dict[str, notification_prefs.Choice],
    problem: str | None,
    *,
    status: int = 200,
) -> Response:
    context = {"prefs": prefs, "kinds": notification_prefs.KINDS, "problem": problem}
    return settings_page(request, visitor, frame, "notifications", context, status=status)
