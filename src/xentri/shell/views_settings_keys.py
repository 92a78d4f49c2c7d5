"""Integrations: the org's API keys through identity's api_keys use cases. A new key's secret
is shown on the answer to the form that made it, once, and never stored or shown again."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import ValidationError
from redis.exceptions import RedisError
from starlette.responses import Response

from xentri.identity import api_keys
from xentri.identity.api_key_schemas import ApiKeyCreate
from xentri.identity.credential_errors import ApiKeyNotFoundError
from xentri.identity.errors import ForbiddenError
from xentri.identity.http import org_scope
from xentri.identity.permissions import RANK, Permission, Role
from xentri.shell.forms import Form, field_errors, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.i18n import N_
from xentri.shell.settings_common import allowed, refusal, role_in, settings_page
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

key_pages = APIRouter(include_in_schema=False)

_HERE = "/settings/integrations"
_ONCE_SECONDS = 3600


@key_pages.get(_HERE)
async def integrations_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = Form(values={"name": "", "role": Role.MEMBER.value}, csrf_ok=True)
    return await _integrations(request, visitor, frame, form)


@key_pages.post(f"{_HERE}/keys")
async def create_key(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("name", "role", "once"))
    status = 403 if not form.csrf_ok else 422
    if frame.current is None:
        return redirect(request, _HERE)
    if form.csrf_ok and not await _first_submission(request, form.values["once"]):
        # A second click on the same form (no JavaScript to stop it): no second key. The
        # secret was on the first answer, which the browser dropped for this one.
        fresh = Form(values={"name": "", "role": Role.MEMBER.value}, csrf_ok=True)
        fresh.form_error = visitor.gettext(
            "That key was already created by your first click, and its secret was shown then. "
            "If you did not copy it, revoke the key and create a new one."
        )
        return await _integrations(request, visitor, frame, fresh, status=409)
    if form.csrf_ok:
        try:
            key_in = ApiKeyCreate(name=form.values["name"], role=form.values["role"])
        except ValidationError as exc:
            required = {"name": N_("Name the key after the program that will use it.")}
            form.errors = field_errors(exc, visitor, required, form.values)
    if form.ok:
        try:
            async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
                key_id, secret = await api_keys.create_api_key(
                    tx=tx, ctx=ctx, name=key_in.name, role=key_in.role
                )
        except ForbiddenError as exc:
            form.form_error, status = refusal(visitor, exc)
        else:
            # Rendered, not redirected: the secret must not travel in a URL or a cookie.
            fresh = Form(values={"name": "", "role": Role.MEMBER.value}, csrf_ok=True)
            created = {"id": key_id, "name": key_in.name, "secret": secret}
            return await _integrations(request, visitor, frame, fresh, created=created, status=201)
    return await _integrations(request, visitor, frame, form, status=status)


@key_pages.post(f"{_HERE}/keys/{{key_id}}/revoke")
async def revoke_key(request: Request, visitor: SignedInVisitor, key_id: uuid.UUID) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None:
        return redirect(request, _HERE)
    page_form = Form(values={"name": "", "role": Role.MEMBER.value}, csrf_ok=True)
    if not form.csrf_ok:
        page_form.form_error = form.form_error
        return await _integrations(request, visitor, frame, page_form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            await api_keys.revoke_api_key(tx=tx, ctx=ctx, key_id=key_id)
    except (ForbiddenError, ApiKeyNotFoundError) as exc:
        page_form.form_error, status = refusal(visitor, exc)
        status = 404 if isinstance(exc, ApiKeyNotFoundError) else status
        return await _integrations(request, visitor, frame, page_form, status=status)
    return redirect(request, _HERE, notice="api_key_revoked")


async def _first_submission(request: Request, once: str) -> bool:
    """Claim the form's one-time token; False when this form was sent before."""
    if not once:
        return True  # a client that posts without the page's form (tests, scripts)
    try:
        claimed = await request.app.state.redis.set(
            f"shell:once:{once[:64]}", "1", nx=True, ex=_ONCE_SECONDS
        )
    except RedisError:
        return True  # fail open: Redis away must not stop someone creating a key
    return bool(claimed)


async def _integrations(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    created: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    keys: list[object] = []
    may_manage = allowed(frame, Permission.API_KEYS_MANAGE)
    if frame.current is not None and may_manage:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            keys = await api_keys.list_api_keys(tx=tx, ctx=ctx)
    role = role_in(frame)
    _ = visitor.gettext
    names = {"owner": _("Owner"), "admin": _("Admin"), "member": _("Member")}
    grantable = [r for r in reversed(Role) if role is not None and RANK[r] <= RANK[role]]
    context = {
        "form": form,
        "keys": keys,
        "created": created,
        "may_manage": may_manage,
        "role_options": [(r.value, names[r.value]) for r in grantable],
        "once": uuid.uuid4().hex,
    }
    return settings_page(request, visitor, frame, "integrations", context, status=status)
