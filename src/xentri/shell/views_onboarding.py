"""The first-run wizard: Profile → Organization → Language & Region → dashboard.

Each step saves as it goes (identity's profile and org use cases, and the progress row), so a
person who closes the browser halfway comes back to the step they had reached.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from xentri.identity import accounts, orgs
from xentri.identity.caller_org import forget_session_org
from xentri.identity.errors import OrgNotFoundError
from xentri.identity.http import account_scope, engine_of, org_scope
from xentri.identity.schemas import OrgCreate, OrgUpdate, ProfileUpdate
from xentri.identity.sessions import set_active_org
from xentri.kernel.db.tenant import user_transaction
from xentri.shell import onboarding
from xentri.shell.formatting import DEFAULT_TIME_ZONE
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import SignedInVisitor, needs_sign_in
from xentri.shell.org_forms import org_errors, profile_errors, region_errors, set_language_cookie
from xentri.shell.region import INDUSTRIES, choices, currency_for, known_time_zone
from xentri.shell.templating import redirect, render
from xentri.shell.visitor import CurrentVisitor, Visitor

onboarding_pages = APIRouter(include_in_schema=False)


async def _progress(request: Request, visitor: Visitor) -> Any | None:
    async with account_scope(request) as tx:
        return await onboarding.get_progress(tx=tx, user_id=visitor.user_id)


def _guard(request: Request, visitor: Visitor, progress: Any | None, step: str) -> Response | None:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    if progress is not None and progress.completed_at is not None:
        return redirect(request, "/dashboard")
    if not onboarding.may_open(progress, step):
        return redirect(request, f"/welcome/{onboarding.current_step(progress)}")
    return None


@onboarding_pages.get("/welcome")
async def welcome(request: Request, visitor: SignedInVisitor) -> Response:
    progress = await _progress(request, visitor)
    if progress is not None and progress.completed_at is not None:
        return redirect(request, "/dashboard")
    return redirect(request, f"/welcome/{onboarding.current_step(progress)}")


@onboarding_pages.get("/welcome/profile")
async def profile_step(request: Request, visitor: CurrentVisitor) -> Response:
    progress = await _progress(request, visitor) if visitor.signed_in else None
    if (stop := _guard(request, visitor, progress, "profile")) is not None:
        return stop
    user: Any = visitor.user
    values = {"name": user.name, "phone": user.phone or "", "browser_time_zone": ""}
    return _page(request, visitor, "profile", Form(values=values, csrf_ok=True))


@onboarding_pages.post("/welcome/profile")
async def profile_submit(request: Request, visitor: CurrentVisitor) -> Response:
    progress = await _progress(request, visitor) if visitor.signed_in else None
    if (stop := _guard(request, visitor, progress, "profile")) is not None:
        return stop
    form = await read_form(request, visitor, ("name", "phone", "browser_time_zone"))
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
            await onboarding.reach_step(
                tx=tx,
                user_id=visitor.user_id,
                step="organization",
                browser_time_zone=known_time_zone(form.values["browser_time_zone"]),
            )
        return redirect(request, "/welcome/organization")
    return _page(request, visitor, "profile", form, status=status)


@onboarding_pages.get("/welcome/organization")
async def organization_step(request: Request, visitor: CurrentVisitor) -> Response:
    progress = await _progress(request, visitor) if visitor.signed_in else None
    if (stop := _guard(request, visitor, progress, "organization")) is not None:
        return stop
    org = await _wizard_org(request, visitor, progress)
    values = {
        "name": org.name if org else "",
        "industry": (org.industry or "") if org else "",
        "size": (org.size or "") if org else "",
        "form_id": str(org.id if org else uuid.uuid4()),
    }
    return _page(request, visitor, "organization", Form(values=values, csrf_ok=True))


@onboarding_pages.post("/welcome/organization")
async def organization_submit(request: Request, visitor: CurrentVisitor) -> Response:
    progress = await _progress(request, visitor) if visitor.signed_in else None
    if (stop := _guard(request, visitor, progress, "organization")) is not None:
        return stop
    form = await read_form(request, visitor, ("name", "industry", "size", "form_id"))
    status = 403 if not form.csrf_ok else 422
    try:
        # The form's own id becomes the org's id: a double submit finds it taken, not a twin.
        org_id = uuid.UUID(form.values["form_id"])
    except ValueError:
        org_id = uuid.uuid4()
        form.values["form_id"] = str(org_id)
    org_in: OrgCreate | None = None
    if form.csrf_ok:
        time_zone = (progress.browser_time_zone if progress else None) or DEFAULT_TIME_ZONE
        try:
            org_in = OrgCreate(
                name=form.values["name"],
                industry=form.values["industry"] or None,
                size=form.values["size"] or None,
                default_language=visitor.lang,
                time_zone=time_zone,
                currency=currency_for(
                    time_zone=time_zone if time_zone != DEFAULT_TIME_ZONE else None,
                    accept_language=request.headers.get("accept-language"),
                ),
            )
        except ValidationError as exc:
            form.errors = org_errors(exc, visitor, form.values)
        if form.values["industry"] and form.values["industry"] not in INDUSTRIES:
            form.errors.setdefault("industry", visitor.gettext("Choose one of the options."))
    if not form.ok or org_in is None:
        return _page(request, visitor, "organization", form, status=status)
    existing = await _wizard_org(request, visitor, progress)
    if existing is not None:
        async with org_scope(request, visitor.caller, existing.id) as (tx, ctx):
            changes = org_in.model_dump(include={"name", "industry", "size"})
            await orgs.update_org(tx=tx, ctx=ctx, changes=changes)
        org_id = existing.id
    else:
        org_id = await _create_org(request, visitor, org_id, org_in)
    async with user_transaction(engine_of(request), visitor.user_id, org_id=org_id) as tx:
        await set_active_org(tx=tx, session_id=visitor.caller.session_id, org_id=org_id)
        await onboarding.reach_step(
            tx=tx, user_id=visitor.user_id, step="region", created_org_id=org_id
        )
    await forget_session_org(request)
    return redirect(request, "/welcome/region")


async def _create_org(
    request: Request, visitor: Visitor, org_id: uuid.UUID, org_in: OrgCreate
) -> uuid.UUID:
    try:
        async with user_transaction(engine_of(request), visitor.user_id, org_id=org_id) as tx:
            await orgs.create_org(
                tx=tx, org_id=org_id, user_id=visitor.user_id, values=org_in.model_dump()
            )
    except IntegrityError:
        # A double submit: the first one made it. Anything else is a stale form id.
        async with user_transaction(engine_of(request), visitor.user_id) as tx:
            mine = await orgs.my_orgs(tx=tx, user_id=visitor.user_id)
        if not any(row.id == org_id for row in mine):
            raise
    return org_id


async def _wizard_org(request: Request, visitor: Visitor, progress: Any | None) -> Any | None:
    """The org this wizard made, while the person is still in it."""
    if progress is None or progress.created_org_id is None:
        return None
    try:
        async with org_scope(request, visitor.caller, progress.created_org_id) as (tx, ctx):
            return await orgs.get_org(tx=tx, ctx=ctx)
    except OrgNotFoundError:
        return None


@onboarding_pages.get("/welcome/region")
async def region_step(request: Request, visitor: CurrentVisitor) -> Response:
    progress = await _progress(request, visitor) if visitor.signed_in else None
    if (stop := _guard(request, visitor, progress, "region")) is not None:
        return stop
    org = await _wizard_org(request, visitor, progress)
    if org is None:
        return redirect(request, "/welcome/organization")
    values = {"language": visitor.lang, "time_zone": org.time_zone, "currency": org.currency}
    return _page(request, visitor, "region", Form(values=values, csrf_ok=True))


@onboarding_pages.post("/welcome/region")
async def region_submit(request: Request, visitor: CurrentVisitor) -> Response:
    progress = await _progress(request, visitor) if visitor.signed_in else None
    if (stop := _guard(request, visitor, progress, "region")) is not None:
        return stop
    org = await _wizard_org(request, visitor, progress)
    if org is None:
        return redirect(request, "/welcome/organization")
    form = await read_form(request, visitor, ("language", "time_zone", "currency"))
    status = 403 if not form.csrf_ok else 422
    if form.csrf_ok:
        form.errors = region_errors(visitor, form.values)
    if not form.ok:
        return _page(request, visitor, "region", form, status=status)
    language = form.values["language"]
    async with org_scope(request, visitor.caller, org.id) as (tx, ctx):
        changes = OrgUpdate(
            default_language=language,
            time_zone=form.values["time_zone"],
            currency=form.values["currency"],
        ).model_dump(exclude_none=True)
        await orgs.update_org(tx=tx, ctx=ctx, changes=changes)
        await accounts.update_profile(
            tx=tx, user_id=visitor.user_id, changes={"preferred_language": language}
        )
        await onboarding.complete(tx=tx, user_id=visitor.user_id)
    response = redirect(request, "/dashboard", notice="setup_done")
    set_language_cookie(request, response, language)
    return response


def _page(
    request: Request, visitor: Visitor, step: str, form: Form, *, status: int = 200
) -> Response:
    context = {
        "form": form,
        "step": step,
        "steps": onboarding.STEPS,
        "step_number": onboarding.STEPS.index(step) + 1,
        **choices(visitor),
    }
    return render(request, visitor, f"onboarding/{step}.html", context, status=status)
