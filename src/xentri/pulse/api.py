"""JSON API of the Pulse: a scope's items, the landing Pulse, dismissals, the last scope."""

from __future__ import annotations

import gettext
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from xentri.contracts.pulse import PULSE_SCOPE_PATTERN, STRATEGY_SCOPE
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.orgs import OrgContext, membership
from xentri.identity.permissions import Permission
from xentri.kernel.http.problems import ProblemError
from xentri.kernel.i18n import negotiate
from xentri.pulse import briefing, live, reading, scopes, service
from xentri.pulse.landing import landing_scope
from xentri.pulse.schemas import LastScopeIn, MemberScopesIn, MemberScopesRead, PulseRead

router = APIRouter(prefix="/api/v1/pulse", tags=["pulse"])
users_router = APIRouter(prefix="/api/v1/users", tags=["pulse"])

ScopePath = Annotated[str, Path(pattern=PULSE_SCOPE_PATTERN, max_length=120)]


@router.get("/landing", summary="The caller's landing Pulse (permissions, then the last scope)")
async def get_landing(request: Request, caller: CurrentCaller) -> PulseRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        viewer = await reading.viewer_of(tx=tx, ctx=ctx)
        scope = landing_scope(viewer, last=await service.last_scope(tx=tx, user_id=ctx.user_id))
        return await _read(request, tx, ctx, scope)


@router.get("/{scope}", summary="The Pulse of one scope, most important first")
async def get_pulse(request: Request, caller: CurrentCaller, scope: ScopePath) -> PulseRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await _require_visible(tx, ctx, scope)
        return await _read(request, tx, ctx, scope)


@router.post(
    "/{scope}/dismiss/{item_id}",
    status_code=204,
    summary="Dismiss an item for the caller only (others still see it)",
)
async def dismiss_item(
    request: Request, caller: CurrentCaller, scope: ScopePath, item_id: uuid.UUID
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await _require_visible(tx, ctx, scope)
        found = await service.item(tx=tx, item_id=item_id)
        if found is None or found.scope != scope:
            raise ProblemError(404, detail="This Pulse has no such item.", slug="not-found")
        await service.dismiss(tx=tx, org_id=org_id, item_id=item_id, user_id=ctx.user_id)
    return Response(status_code=204)


@router.put(
    "/members/{user_id}/scopes",
    summary="Limit a member to some categories' Pulses (an empty list: every category)",
)
async def put_member_scopes(
    request: Request, caller: CurrentCaller, user_id: uuid.UUID, scopes_in: MemberScopesIn
) -> MemberScopesRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.MEMBERS_MANAGE)
        await membership(tx=tx, org_id=org_id, user_id=user_id)  # 404 unless a member
        await service.set_granted_scopes(
            tx=tx, org_id=org_id, user_id=user_id, scopes=scopes_in.scopes
        )
        granted = await service.granted_scopes(tx=tx, user_id=user_id)
    return MemberScopesRead(user_id=user_id, scopes=list(granted))


@users_router.put(
    "/me/last-scope", status_code=204, summary="Remember the Pulse scope the caller used last"
)
async def put_last_scope(
    request: Request, caller: CurrentCaller, scope_in: LastScopeIn
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        await _require_visible(tx, ctx, scope_in.scope)
        await service.set_last_scope(
            tx=tx, org_id=org_id, user_id=ctx.user_id, scope=scope_in.scope
        )
    return Response(status_code=204)


async def _require_visible(tx: AsyncSession, ctx: OrgContext, scope: str) -> None:
    if scopes.find(scope) is None:
        raise ProblemError(404, detail=f"There is no Pulse scope {scope!r}.", slug="not-found")
    viewer = await reading.viewer_of(tx=tx, ctx=ctx)
    if not viewer.may_see(scope):
        raise ProblemError(403, detail="Your role does not include this Pulse.", slug="forbidden")


async def _read(request: Request, tx: AsyncSession, ctx: OrgContext, scope: str) -> PulseRead:
    lang = negotiate(choice=None, accept_language=request.headers.get("accept-language"))
    translations = translations_of(request, lang)
    read = await reading.read_scope(
        tx=tx,
        scope=scope,
        user_id=ctx.user_id,
        lang=lang,
        translations=translations,
        now=datetime.now(UTC),
    )
    summary: list[str] = []
    if scope == STRATEGY_SCOPE:
        groups = briefing.grouped(read.items, read.origins)
        areas = [_area_name(group.area, lang) for group in groups]
        summary = briefing.summary(read.items, areas, translations)
    return PulseRead(scope=scope, summary=summary, items=read.items, origins=read.origins)


def translations_of(request: Request, lang: str) -> gettext.NullTranslations:
    # The catalogs the shell compiled at start-up: one copy per process.
    catalogs = request.app.state.shell.catalogs
    found: gettext.NullTranslations = catalogs.get(lang)
    return found


def _area_name(scope: str, lang: str) -> str:
    found = scopes.find(scope)
    return found.name_in(lang) if found is not None and found.names else ""


# The stream's route comes first: `/stream` would otherwise be read as a scope.
routers = (live.router, router, users_router)
