"""JSON API of Strategy: /api/v1/strategy/brief (the Brief, its flow, versions and diff)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.ai.offline import Language
from xentri.categories.strategy import (
    interview_service,
    planning_api,
    recommendations_service,
    service,
)
from xentri.categories.strategy.domain import OWNER_ACTIONS, FlowAction
from xentri.categories.strategy.interview_model import interview_model
from xentri.categories.strategy.model_runner import configured_runner
from xentri.categories.strategy.schemas import (
    AnswerIn,
    BriefDiffRead,
    BriefVersionRead,
    BriefVersionSummary,
    FieldChangeRead,
    FlowRead,
    InterviewRead,
    RecommendationsRead,
    RewriteApplyIn,
)
from xentri.contracts.brief import Brief
from xentri.contracts.events import Actor
from xentri.identity.http import Caller, CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission
from xentri.kernel.i18n import negotiate

router = APIRouter(prefix="/api/v1/strategy", tags=["strategy"])

VersionNumber = Annotated[int, Path(ge=1, le=1_000_000)]
GoalIndex = Annotated[
    int, Path(ge=0, le=1000, description="The goal's place in the Brief (0 first)")
]
OwnerAction = StrEnum("OwnerAction", {a.name: a.value for a in OWNER_ACTIONS})  # type: ignore[misc]


@router.get("/brief", summary="The org's approved Brief (its latest version)")
async def get_brief(request: Request, caller: CurrentCaller) -> BriefVersionRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return BriefVersionRead.of(await service.current_brief(tx=tx))


@router.get("/brief/versions", summary="Every approved version, newest first")
async def list_versions(request: Request, caller: CurrentCaller) -> list[BriefVersionSummary]:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        found = await service.versions(tx=tx)
    return [
        BriefVersionSummary(
            version=v.version,
            changed_sections=list(v.changed_sections),
            approved_by=v.approved_by,
            approved_at=v.approved_at,
        )
        for v in found
    ]


@router.get("/brief/versions/{number}", summary="One approved version")
async def get_version(
    request: Request, caller: CurrentCaller, number: VersionNumber
) -> BriefVersionRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return BriefVersionRead.of(await service.version(tx=tx, number=number))


@router.get("/brief/diff", summary="What changed between two versions, field by field")
async def get_diff(
    request: Request,
    caller: CurrentCaller,
    before: Annotated[int, Query(alias="from", ge=1)],
    after: Annotated[int, Query(alias="to", ge=1)],
) -> BriefDiffRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        changes = await service.version_diff(tx=tx, before=before, after=after)
    return BriefDiffRead(
        before=before, after=after, changes=[FieldChangeRead.of(c) for c in changes]
    )


@router.get("/brief/flow", summary="Where the Brief's generation flow stands, and its draft")
async def get_flow(request: Request, caller: CurrentCaller) -> FlowRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return FlowRead.of(await service.flow(tx=tx, org_id=org_id))


@router.put("/brief/draft", summary="Replace the draft (while conversing or editing)")
async def put_draft(request: Request, caller: CurrentCaller, draft: Brief) -> FlowRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)  # the Brief speaks for the business
        return FlowRead.of(await service.edit_draft(tx=tx, org_id=org_id, draft=draft))


@router.post(
    "/brief/flow/{action}",
    summary="Move the flow on: ready, request_changes, resubmit, approve or revise",
)
async def post_action(request: Request, caller: CurrentCaller, action: OwnerAction) -> FlowRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)  # the Brief speaks for the business
        flow = await service.advance(
            tx=tx,
            org_id=org_id,
            action=FlowAction(action.value),
            actor=Actor(type="user", id=str(caller.user_id)),
        )
    return FlowRead.of(flow)


@router.get("/interview", summary="The Strategy interview so far and the question it waits on")
async def get_interview(request: Request, caller: CurrentCaller) -> InterviewRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        found = await interview_service.view(tx=tx, org_id=org_id, language=_language(request))
    return InterviewRead.of(found)


@router.post("/interview/answers", summary="Answer the co-pilot; the draft Brief follows")
async def post_answer(
    request: Request, caller: CurrentCaller, answer_in: AnswerIn
) -> InterviewRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)
        turn = await interview_service.answer(
            tx=tx,
            org_id=org_id,
            text=answer_in.text,
            language=_language(request, answer_in.language),
            today=datetime.now(UTC).date(),
            model=interview_model(request.app.state),
        )
    return InterviewRead.of(turn)


@router.get(
    "/recommendations",
    summary="Modules to start with and goals to sharpen, kept for the approved Brief version",
)
async def get_recommendations(request: Request, caller: CurrentCaller) -> RecommendationsRead:
    org_id = requested_org(request, caller)
    kept = await recommendations_service.recommendations_for(
        unit_of_work=lambda: _unit_of_work(request, caller, org_id),
        org_id=org_id,
        language=_language(request),
        runner=configured_runner(request.app.state),
    )
    return RecommendationsRead.of(kept)


@router.post(
    "/recommendations/goals/{index}/apply",
    summary="Use a goal's SMART rewrite in the Brief draft (an approved Brief goes to Editing)",
)
async def apply_goal_rewrite(
    request: Request, caller: CurrentCaller, index: GoalIndex, apply_in: RewriteApplyIn
) -> FlowRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)  # the Brief speaks for the business
        flow = await recommendations_service.apply_rewrite(
            tx=tx,
            org_id=org_id,
            index=index,
            brief_version=apply_in.brief_version,
            language=_language(request),
            actor=Actor(type="user", id=str(caller.user_id)),
        )
    return FlowRead.of(flow)


@asynccontextmanager
async def _unit_of_work(
    request: Request, caller: Caller, org_id: uuid.UUID
) -> AsyncIterator[AsyncSession]:
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        yield tx


def _language(request: Request, chosen: str | None = None) -> Language:
    language = negotiate(choice=chosen, accept_language=request.headers.get("accept-language"))
    return "es" if language == "es" else "en"


routers = (router, planning_api.router)
