"""Organization settings: name, industry, size (identity's update_org) and the logo, kept in
object storage and served only to the org's members."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.identity import orgs
from xentri.identity.errors import ForbiddenError, OrgNotFoundError
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.identity.schemas import OrgUpdate
from xentri.kernel.storage import ObjectStorage
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.logos import (
    LOGO_FORM_PATH,
    MAX_LOGO_BYTES,
    LogoRefusedError,
    logo_key,
    logo_type,
)
from xentri.shell.org_forms import org_errors
from xentri.shell.region import INDUSTRIES, choices
from xentri.shell.settings_common import allowed, refusal, settings_page
from xentri.shell.templating import redirect
from xentri.shell.visitor import CurrentVisitor, Visitor

org_settings_pages = APIRouter(include_in_schema=False)


def storage_of(request: Request) -> ObjectStorage:
    storage: ObjectStorage = request.app.state.shell.storage
    return storage


@org_settings_pages.get("/settings/organization")
async def organization_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = Form(values=_stored_values(frame), csrf_ok=True)
    return await _organization(request, visitor, frame, form)


@org_settings_pages.post("/settings/organization")
async def organization_submit(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("name", "industry", "size"))
    status = 403 if not form.csrf_ok else 422
    if frame.current is None:
        return redirect(request, "/settings/organization")
    if form.csrf_ok:
        try:
            org_in = OrgUpdate(
                name=form.values["name"],
                industry=form.values["industry"] or None,
                size=form.values["size"] or None,
            )
        except ValidationError as exc:
            form.errors = org_errors(exc, visitor, form.values)
        if form.values["industry"] and form.values["industry"] not in INDUSTRIES:
            form.errors.setdefault("industry", visitor.gettext("Choose one of the options."))
    if form.ok:
        try:
            async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
                # Empty industry or size clears them: they are optional.
                changes = org_in.model_dump(include={"name", "industry", "size"})
                await orgs.update_org(tx=tx, ctx=ctx, changes=changes)
        except ForbiddenError as exc:
            form.form_error, status = refusal(visitor, exc)
        else:
            return redirect(request, "/settings/organization", notice="settings_saved")
    return await _organization(request, visitor, frame, form, status=status)


@org_settings_pages.post(LOGO_FORM_PATH)
async def logo_upload(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None:
        return redirect(request, "/settings/organization")
    # The organization form beside it shows what is stored: a refused logo must not blank the
    # industry and size that a later "Save" would then clear.
    page_form = Form(values=_stored_values(frame), csrf_ok=form.csrf_ok, form_error=form.form_error)
    if not form.csrf_ok:
        return await _organization(request, visitor, frame, page_form, status=403)
    upload = (await request.form()).get("logo")
    data = await upload.read(MAX_LOGO_BYTES + 1) if isinstance(upload, UploadFile) else b""
    try:
        content_type = logo_type(data)
        async with org_scope(request, visitor.caller, frame.current.id) as (_tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            await asyncio.to_thread(
                storage_of(request).put, logo_key(ctx.org_id), data, content_type=content_type
            )
    except LogoRefusedError as exc:
        page_form.errors["logo"] = _logo_problem(visitor, exc.reason)
        return await _organization(request, visitor, frame, page_form, status=422)
    except ForbiddenError as exc:
        page_form.form_error, status = refusal(visitor, exc)
        return await _organization(request, visitor, frame, page_form, status=status)
    return redirect(request, "/settings/organization", notice="logo_saved")


@org_settings_pages.post("/settings/organization/logo/remove")
async def logo_remove(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return redirect(request, "/settings/organization")
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (_tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            await asyncio.to_thread(storage_of(request).delete, logo_key(ctx.org_id))
    except ForbiddenError as exc:
        page_form = Form(values=_stored_values(frame), csrf_ok=True)
        page_form.form_error, status = refusal(visitor, exc)
        return await _organization(request, visitor, frame, page_form, status=status)
    return redirect(request, "/settings/organization", notice="logo_removed")


@org_settings_pages.get("/orgs/{org_id}/logo")
async def logo(request: Request, visitor: CurrentVisitor, org_id: uuid.UUID) -> Response:
    if not visitor.signed_in:
        raise HTTPException(status_code=404)
    try:
        async with org_scope(request, visitor.caller, org_id) as (_tx, ctx):
            found = await asyncio.to_thread(storage_of(request).get, logo_key(ctx.org_id))
    except OrgNotFoundError:
        raise HTTPException(status_code=404) from None
    if found is None:
        raise HTTPException(status_code=404)
    etag = '"' + hashlib.sha256(found.data).hexdigest()[:32] + '"'
    headers = {
        # Members only, and a new logo must show at once: the browser revalidates each time.
        "Cache-Control": "private, no-cache",
        "ETag": etag,
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
        # Opened on its own, the image can run nothing and reach nothing.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(found.data, media_type=found.content_type, headers=headers)


def _stored_values(frame: Frame) -> dict[str, str]:
    org = frame.current
    if org is None:
        return {"name": "", "industry": "", "size": ""}
    return {"name": org.name, "industry": org.industry or "", "size": org.size or ""}


async def _organization(
    request: Request, visitor: Visitor, frame: Frame, form: Form, *, status: int = 200
) -> Response:
    has_logo = False
    if frame.current is not None:
        key = logo_key(frame.current.id)
        has_logo = await asyncio.to_thread(storage_of(request).exists, key)
    context = {
        "form": form,
        "may_edit": allowed(frame, Permission.ORG_UPDATE),
        "has_logo": has_logo,
        "max_logo_kb": MAX_LOGO_BYTES // 1024,
        **choices(visitor),
    }
    return settings_page(request, visitor, frame, "organization", context, status=status)


def _logo_problem(visitor: Visitor, reason: str) -> str:
    _ = visitor.gettext
    if reason == "svg":
        return _("SVG files are not accepted. Upload the logo as PNG, JPEG or WebP.")
    if reason == "size":
        return _(
            "The file is too large. Use an image of at most %(kb)s KB.", kb=MAX_LOGO_BYTES // 1024
        )
    if reason == "empty":
        return _("Choose an image file to upload.")
    return _("This file is not a PNG, JPEG or WebP image.")
