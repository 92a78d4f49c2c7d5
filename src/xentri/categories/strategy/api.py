"""JSON API of Strategy: /api/v1/strategy/brief (the Brief, its flow, versions and diff)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from xentri.ai.offline import Language, detect_language
from xentri.categories.strategy import (
    brief_changes,
    interview_service,
    planning_api,
    recommendations_service,
    service,
)
from xentri.categories.strategy import change_texts as texts
from xentri.categories.strategy.change_model import change_model
from xentri.categories.strategy.domain import OWNER_ACTIONS, FlowAction, diff
from xentri.categories.strategy.interview_model import interview_model
from xentri.categories.strategy.interview_stream import stream_reply, wants_stream
from xentri.categories.strategy.model_runner import configured_runner
from xentri.categories.strategy.schemas import (
    AnswerIn,
    BriefChangeIn,
    BriefChangeRead,
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
from xentri.contracts.problem import FieldError
from xentri.identity.http import Caller, CurrentCaller, org_scope, org_transactions, requested_org
from xentri.identity.permissions import Permission
from xentri.kernel.http.problems import ProblemError
from xentri.kernel.i18n import negotiate

router = APIRouter(prefix="/api/v1/strategy", tags=["strategy"])

MAX_WORDS = 1000  # as the Brief page's "ask for changes" box
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


@router.post(
    "/brief/changes",
    summary="Ask for a change to the draft in words; the changed draft and what changed follow",
)
async def post_change(
    request: Request, caller: CurrentCaller, change_in: BriefChangeIn
) -> BriefChangeRead:
    org_id = requested_org(request, caller)
    translate = _translate(request)
    words = change_in.words.strip()
    if not words or len(words) > MAX_WORDS:
        message = translate(texts.TOO_LONG, max=MAX_WORDS) if words else translate(texts.EMPTY)
        raise _words_refused(message, "too_long" if words else "missing")
    language = detect_language(words, hint=_language(request))
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)  # the Brief speaks for the business
        read = await brief_changes.draft_to_change(tx=tx, org_id=org_id)
        currency = await brief_changes.org_currency(tx=tx, org_id=org_id)
    # Outside any transaction: a slow model holds no row lock and no connection.
    proposal = await brief_changes.propose(
        model=change_model(request.app.state),
        org_id=org_id,
        draft=read,
        words=words,
        language=language,
    )
    try:
        async with org_scope(request, caller, org_id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            changed, made = await brief_changes.apply(
                tx=tx,
                org_id=org_id,
                read=read,
                proposal=proposal,
                words=words,
                language=language,
                today=datetime.now(UTC).date(),
                currency=currency,
                actor=Actor(type="user", id=str(caller.user_id)),
            )
    except brief_changes.NotUnderstoodError as exc:
        notice = translate(texts.NOTICES[exc.notice]) if exc.notice else None
        raise _words_refused(translate(texts.NOT_UNDERSTOOD), "not_understood", notice) from exc
    except brief_changes.DraftChangedError as exc:
        raise ProblemError(
            409, slug=exc.code, title=exc.title, detail=translate(texts.CHANGED_MEANWHILE)
        ) from exc
    return BriefChangeRead(
        state=changed.state,
        draft=changed.draft,
        source=made.source,
        summary=made.summary
        or texts.summary_of(texts.change_lines(made.before, made.after), translate),
        notice=translate(texts.NOTICES[made.notice]) if made.notice else None,
        changed_sections=list(made.after.changed_sections(made.before)),
        changes=[FieldChangeRead.of(c) for c in diff(made.before, made.after)],
    )


@router.post(
    "/brief/changes/undo",
    summary="Undo the last change asked for in words, if the draft has not changed since",
)
async def undo_change(request: Request, caller: CurrentCaller) -> FlowRead:
    org_id = requested_org(request, caller)
    translate = _translate(request)
    try:
        async with org_scope(request, caller, org_id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            restored = await brief_changes.undo(
                tx=tx, org_id=org_id, actor=Actor(type="user", id=str(caller.user_id))
            )
    except brief_changes.UndoRefusedError as exc:
        message = texts.UNDO_AFTER_APPROVAL if exc.approved else texts.UNDO_AFTER_EDIT
        raise ProblemError(409, slug=exc.code, title=exc.title, detail=translate(message)) from exc
    except brief_changes.NothingToUndoError as exc:
        detail = translate(texts.NOTHING_TO_UNDO)
        raise ProblemError(409, slug=exc.code, title=exc.title, detail=detail) from exc
    return FlowRead.of(restored)


@router.get("/interview", summary="The Strategy interview so far and the question it waits on")
async def get_interview(request: Request, caller: CurrentCaller) -> InterviewRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        found = await interview_service.view(tx=tx, org_id=org_id, language=_language(request))
    return InterviewRead.of(found)


_STREAM_NOTE = (
    " With `Accept: text/event-stream` the reply streams as server-sent events: `delta` "
    "({text}) as it is written, then `done` ({interview}: the conversation as stored, whose "
    "last message is the reply that stands) or `error` ({status, code, detail})."
)


@router.post(
    "/interview/answers",
    summary="Answer the co-pilot; the draft Brief follows",
    description="The answer is stored before the co-pilot reads it; 409 reply-pending while "
    "an earlier answer still waits for its reply." + _STREAM_NOTE,
    response_model=InterviewRead,
)
async def post_answer(request: Request, caller: CurrentCaller, answer_in: AnswerIn) -> Response:
    org_id = requested_org(request, caller)
    language = _language(request, answer_in.language)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)
        await interview_service.take(tx=tx, org_id=org_id, text=answer_in.text, language=language)
    return await _reply(request, caller, org_id, language)


@router.post(
    "/interview/reply",
    summary="The reply to an answer still waiting for one (after a dropped connection)",
    description="Nothing happens when no answer waits." + _STREAM_NOTE,
    response_model=InterviewRead,
)
async def post_reply(request: Request, caller: CurrentCaller) -> Response:
    org_id = requested_org(request, caller)
    return await _reply(request, caller, org_id, _language(request))


async def _reply(
    request: Request, caller: Caller, org_id: uuid.UUID, language: Language
) -> Response:
    transaction = org_transactions(request, caller, org_id, require=Permission.ORG_UPDATE)

    async def stored() -> dict[str, Any]:
        async with transaction() as tx:
            found = await interview_service.view(tx=tx, org_id=org_id, language=language)
        return {"interview": InterviewRead.of(found).model_dump(mode="json")}

    streamed = wants_stream(request.headers.get("accept"))
    reply = interview_service.reply(
        transactions=transaction,
        org_id=org_id,
        today=datetime.now(UTC).date(),
        model=interview_model(request.app.state),
        redis=request.app.state.redis,
        streamed=streamed,
    )
    if streamed:
        return stream_reply(reply, stored)
    async for _text in reply:
        pass
    return JSONResponse((await stored())["interview"])


@router.get(
    "/recommendations",
    summary="Modules to start with and goals to sharpen, kept for the approved Brief version",
)
async def get_recommendations(request: Request, caller: CurrentCaller) -> RecommendationsRead:
    org_id = requested_org(request, caller)
    kept = await recommendations_service.recommendations_for(
        unit_of_work=org_transactions(request, caller, org_id),
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


def _translate(request: Request) -> texts.Translate:
    # The shell loads the catalogs once at start-up; the API translates with the same ones.
    translations = request.app.state.shell.catalogs.get(_language(request))

    def translate(message: str, **params: object) -> str:
        text: str = translations.gettext(message)
        return text % params if params else text

    return translate


def _words_refused(message: str, code: str, notice: str | None = None) -> ProblemError:
    return ProblemError(
        422,
        detail=message,
        errors=[FieldError(field="body.words", message=message, code=code)],
        notice=notice,  # why the built-in rules read the words; left out when None
    )


def _language(request: Request, chosen: str | None = None) -> Language:
    language = negotiate(choice=chosen, accept_language=request.headers.get("accept-language"))
    return "es" if language == "es" else "en"


routers = (router, planning_api.router)
