"""The copilot widget's own endpoints: its badge per scope and the side its panel docks to.

The questions and threads go to the AI plane's copilot API (xentri.ai.copilot.api); these
only serve the widget around it and keep working when the AI plane is down.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import RedisError

from xentri.ai.copilot.api import UnknownScopeError
from xentri.ai.registry import ScopeError, load_agent_registry, parse_scope
from xentri.identity.http import CurrentCaller, account_scope, org_scope, requested_org
from xentri.kernel.errors import DomainError
from xentri.shell import copilot_badge, copilot_prefs
from xentri.shell.copilot_badge import BadgeSource
from xentri.shell.copilot_prefs import PanelSide

router = APIRouter(tags=["copilot widget"])


class BadgeUnavailableError(DomainError):
    status = 503
    code = "badge-unavailable"
    title = "Badge unavailable"


class BadgeRead(BaseModel):
    scope: str
    count: int | None  # None: unknown right now (the badge stays empty)


class WidgetPreferences(BaseModel):
    panel_side: PanelSide


@router.get(
    "/api/v1/copilot/{scope}/badge",
    summary="What waits for me at this scope since I last opened the copilot there",
)
async def get_badge(request: Request, caller: CurrentCaller, scope: str) -> BadgeRead:
    _check_scope(scope)
    org_id = requested_org(request, caller)
    sources: tuple[BadgeSource, ...] = getattr(request.app.state, "copilot_badge_sources", ())
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        count = await copilot_badge.badge_count(
            tx=tx,
            redis=_redis(request),
            sources=sources,
            org_id=org_id,
            user_id=caller.user_id,
            scope=scope,
        )
    return BadgeRead(scope=scope, count=count)


@router.post(
    "/api/v1/copilot/{scope}/badge/seen",
    status_code=204,
    summary="I opened the copilot here: clear the badge",
)
async def clear_badge(request: Request, caller: CurrentCaller, scope: str) -> Response:
    _check_scope(scope)
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id):
        pass  # the member gate
    try:
        await copilot_badge.mark_opened(
            _redis(request),
            org_id=org_id,
            user_id=caller.user_id,
            scope=scope,
            at=datetime.now(UTC),
        )
    except RedisError as exc:
        raise BadgeUnavailableError("The badge cannot be cleared right now.") from exc
    return Response(status_code=204)


@router.get("/api/v1/users/me/copilot-widget", summary="How my copilot widget opens")
async def get_preferences(request: Request, caller: CurrentCaller) -> WidgetPreferences:
    async with account_scope(request) as tx:
        side = await copilot_prefs.panel_side(tx=tx, user_id=caller.user_id)
    return WidgetPreferences(panel_side=side)


@router.put("/api/v1/users/me/copilot-widget", summary="Dock my copilot panel right or bottom")
async def put_preferences(
    request: Request, caller: CurrentCaller, preferences_in: WidgetPreferences
) -> WidgetPreferences:
    async with account_scope(request) as tx:
        await copilot_prefs.set_panel_side(
            tx=tx, user_id=caller.user_id, side=preferences_in.panel_side
        )
    return preferences_in


def _check_scope(scope: str) -> None:
    try:
        load_agent_registry().copilot_for_scope(parse_scope(scope))
    except (ScopeError, LookupError) as exc:
        raise UnknownScopeError(f"{scope!r} is not a copilot scope.") from exc


def _redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


routers = (router,)
