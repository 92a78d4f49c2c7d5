"""The Pulse pages: one view per level (strategy, category, sub-category, module), the landing
Pulse that the dashboard shows, and dismissing an item (a form that works without scripts)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.contracts.pulse import STRATEGY_SCOPE
from xentri.identity.errors import OrgNotFoundError
from xentri.identity.http import account_scope, org_scope
from xentri.pulse import briefing, reading, scopes, service
from xentri.pulse.landing import Viewer, landing_scope
from xentri.shell import onboarding
from xentri.shell.forms import read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import is_htmx, redirect, render
from xentri.shell.visitor import Visitor

pulse_pages = APIRouter(include_in_schema=False)

INTERVIEW_URL = "/c/strategy/interview"


@pulse_pages.get("/pulse/{scope}")
async def pulse_page(request: Request, visitor: SignedInVisitor, scope: str) -> Response:
    if scopes.find(scope) is None:
        raise HTTPException(status_code=404)
    frame = await load_frame(request, visitor)
    if frame.current is None:
        return redirect(request, "/dashboard")
    return await _page(request, visitor, frame, scope=scope, landing=False)


@pulse_pages.get("/dashboard")
async def dashboard(request: Request, visitor: SignedInVisitor) -> Response:
    """The dashboard: the Pulse this person lands on (owners: the Strategy Pulse)."""
    frame = await load_frame(request, visitor)
    async with account_scope(request) as tx:
        progress = await onboarding.get_progress(tx=tx, user_id=visitor.user_id)
    # The first visit after signing up (or a wizard closed halfway) continues the set-up.
    if onboarding.is_pending(progress, has_orgs=bool(frame.orgs)):
        return redirect(request, "/welcome")
    if frame.current is None:
        return render(request, visitor, "app/dashboard.html", {"frame": frame, "section": None})
    return await _page(request, visitor, frame, scope=None, landing=True)


@pulse_pages.post("/pulse/{scope}/dismiss/{item_id}")
async def dismiss(
    request: Request, visitor: SignedInVisitor, scope: str, item_id: uuid.UUID
) -> Response:
    form = await read_form(request, visitor, ("next",))
    back = (
        form.values["next"]
        if form.values["next"] in (f"/pulse/{scope}", "/dashboard")
        else (f"/pulse/{scope}")
    )
    if not form.csrf_ok:
        return redirect(request, back, notice=None)
    org_id = visitor.caller.active_org_id
    if org_id is None or scopes.find(scope) is None:
        raise HTTPException(status_code=404)
    try:
        async with org_scope(request, visitor.caller, org_id) as (tx, ctx):
            viewer = await reading.viewer_of(tx=tx, ctx=ctx)
            found = await service.item(tx=tx, item_id=item_id)
            if found is None or found.scope != scope or not viewer.may_see(scope):
                raise HTTPException(status_code=404)
            await service.dismiss(tx=tx, org_id=org_id, item_id=item_id, user_id=ctx.user_id)
    except OrgNotFoundError:
        raise HTTPException(status_code=404) from None
    if is_htmx(request):
        # The item's element is replaced by nothing: it is gone for this person.
        return Response(status_code=200, headers={"Cache-Control": "no-store"})
    return redirect(request, back)


async def _page(
    request: Request, visitor: Visitor, frame: Frame, *, scope: str | None, landing: bool
) -> Response:
    assert frame.current is not None
    org_id = frame.current.id
    try:
        async with org_scope(request, visitor.caller, org_id) as (tx, ctx):
            viewer = await reading.viewer_of(tx=tx, ctx=ctx)
            if scope is None:
                last = await service.last_scope(tx=tx, user_id=ctx.user_id)
                scope = landing_scope(viewer, last=last)
            if not viewer.may_see(scope):
                raise HTTPException(status_code=404)
            read = await reading.read_scope(
                tx=tx,
                scope=scope,
                user_id=ctx.user_id,
                lang=visitor.lang,
                translations=visitor.translations,
                now=datetime.now(UTC),
            )
    except OrgNotFoundError:
        raise HTTPException(status_code=404) from None
    here = scopes.find(scope)
    assert here is not None
    context: dict[str, Any] = {
        "frame": frame,
        "section": "pulse",
        "landing": landing,
        "here": here,
        "read": read,
        "trail": _trail(here, viewer, visitor.lang),
        "children": [
            {"id": child.id, "name": child.name_in(visitor.lang)}
            for child in scopes.children(scope)
            if viewer.may_see(child.id)
        ],
        "siblings": [
            {"id": top, "name": _name(top, visitor)} for top in viewer.tops() if top != scope
        ]
        if scope in viewer.tops()
        else [],
        "title": _name(scope, visitor),
        "origin_names": {
            item_id: _name(origin, visitor) for item_id, origin in read.origins.items()
        },
        "interview_url": INTERVIEW_URL,
        "groups": [],
        "summary": [],
    }
    if scope == STRATEGY_SCOPE:
        groups = briefing.grouped(read.items, read.origins)
        context["groups"] = [
            {"name": _name(group.area, visitor), "items": group.items} for group in groups
        ]
        context["summary"] = briefing.summary(
            read.items, [_name(group.area, visitor) for group in groups], visitor.translations
        )
    return render(request, visitor, "pulse/pulse.html", context)


def _name(scope: str, visitor: Visitor) -> str:
    if scope == STRATEGY_SCOPE:
        return visitor.gettext("Strategy Pulse")
    found = scopes.find(scope)
    return found.name_in(visitor.lang) if found is not None else scope


def _trail(here: scopes.Scope, viewer: Viewer, lang: str) -> list[dict[str, Any]]:
    """The levels above this one, top first; only those this person may open are links."""
    return [
        {
            "id": scope,
            "name": scopes.find(scope).name_in(lang) if scope != STRATEGY_SCOPE else None,  # type: ignore[union-attr]
            "link": viewer.may_see(scope),
        }
        for scope in reversed(here.chain)
    ]
