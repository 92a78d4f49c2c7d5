"""Copilot endpoints. The web process only relays: the answer is written by the scope's category
worker, so when that worker is down these endpoints answer 503 while every tool endpoint works.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic_ai import ModelMessagesTypeAdapter
from redis.asyncio import Redis
from redis.exceptions import RedisError

from xentri.ai.asks import Ask, ReplyItem, read_reply, send_ask
from xentri.ai.config import AiSettings
from xentri.ai.context import followed_event_types, scope_context
from xentri.ai.copilot import threads
from xentri.ai.copilot.schemas import (
    AskContext,
    AskIn,
    CopilotContextRead,
    Language,
    MessageCreate,
    RecentEvent,
    ThreadCreate,
    ThreadDetail,
    ThreadPage,
    ThreadRead,
)
from xentri.ai.errors import AgentPlaneDownError, ModelUnavailableError
from xentri.ai.heartbeat import plane_is_up
from xentri.ai.registry import AgentSpec, ScopeError, load_agent_registry
from xentri.contracts.brief import BriefSection
from xentri.identity.http import CurrentCaller, engine_of, org_scope, requested_org
from xentri.kernel.db.tenant import tenant_transaction
from xentri.kernel.errors import DomainError
from xentri.kernel.i18n import negotiate

router = APIRouter(prefix="/api/v1/copilot", tags=["copilot"])

# The worker gets this long to start answering (the model's own timeout and a margin), then
# this long between two pieces of the answer.
_FIRST_REPLY_MARGIN_SECONDS = 5.0
_IDLE_SECONDS = 30.0


class UnknownScopeError(DomainError):
    status = 404
    code = "unknown-scope"
    title = "Unknown copilot scope"


class AnswerFailedError(DomainError):
    """The worker's refusal, re-raised in the web process with its own status and fields."""

    def __init__(self, problem: dict[str, Any]) -> None:
        extensions = {
            key: value
            for key, value in problem.items()
            if key not in {"status", "code", "title", "detail"}
        }
        super().__init__(str(problem.get("detail", "")), **extensions)
        self.status = int(problem.get("status", 503))
        self.code = str(problem.get("code", "assistant-unavailable"))
        self.title = problem.get("title")


@router.post("/{scope}/ask", summary="A quick answer from the scope's copilot, streamed (SSE)")
async def ask(request: Request, caller: CurrentCaller, scope: str, ask_in: AskIn) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id):
        pass  # the member gate; nothing of the org is read here
    category = _category_of(scope)
    ask_ = Ask(
        org_id=org_id,
        user_id=caller.user_id,
        scope=scope,
        prompt=ask_in.question,
        language=_language(request, ask_in.language),
        brief_section=_brief_section(ask_in.context),
    )
    items = await _start(request, category, ask_)
    return _sse(items)


# How many recent events the widget shows as "what the co-pilot sees" (the worker reads its own
# copy when it answers, never the browser's).
_CONTEXT_EVENTS = 5


@router.get(
    "/{scope}/context",
    summary="Who answers at this scope and the recent events it reads with a question",
)
async def get_context(
    request: Request, caller: CurrentCaller, scope: str, language: Language | None = None
) -> CopilotContextRead:
    agent = _agent_of(scope)
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id):
        pass  # the member gate; the events are read in the org's own RLS transaction below
    found = await scope_context(
        engine_of(request),
        org_id,
        scope,
        event_types=followed_event_types(load_agent_registry(), scope),
        limit=_CONTEXT_EVENTS,
    )
    return CopilotContextRead(
        scope=scope,
        agent_id=agent.id,
        agent_name=agent.name(_language(request, language)),
        events=[RecentEvent(type=e.type, occurred_at=e.occurred_at) for e in found.events],
    )


@router.get("/{scope}/threads", summary="My conversations with this scope's copilot, newest first")
async def list_threads(
    request: Request,
    caller: CurrentCaller,
    scope: str,
    before: Annotated[
        datetime | None, Query(description="next_cursor of the previous page")
    ] = None,
) -> ThreadPage:
    _category_of(scope)
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return await threads.list_threads(tx=tx, user_id=caller.user_id, scope=scope, before=before)


@router.post("/{scope}/threads", status_code=201, summary="Start a conversation")
async def create_thread(
    request: Request, caller: CurrentCaller, scope: str, thread_in: ThreadCreate | None = None
) -> ThreadRead:
    _category_of(scope)
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return await threads.create_thread(
            tx=tx,
            org_id=org_id,
            user_id=caller.user_id,
            scope=scope,
            title=thread_in.title if thread_in else None,
        )


@router.get("/threads/{thread_id}", summary="A conversation with its messages")
async def get_thread(request: Request, caller: CurrentCaller, thread_id: uuid.UUID) -> ThreadDetail:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return await threads.get_thread(tx=tx, user_id=caller.user_id, thread_id=thread_id)


@router.delete("/threads/{thread_id}", status_code=204, summary="Delete a conversation")
async def delete_thread(request: Request, caller: CurrentCaller, thread_id: uuid.UUID) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        await threads.delete_thread(tx=tx, user_id=caller.user_id, thread_id=thread_id)
    return Response(status_code=204)


@router.post(
    "/threads/{thread_id}/messages",
    summary="Continue a conversation; the answer streams (SSE) and both turns are stored",
)
async def post_message(
    request: Request, caller: CurrentCaller, thread_id: uuid.UUID, message_in: MessageCreate
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        thread, history = await threads.thread_history(
            tx=tx, user_id=caller.user_id, thread_id=thread_id
        )
    ask_ = Ask(
        org_id=org_id,
        user_id=caller.user_id,
        scope=thread.scope,
        prompt=message_in.content,
        language=_language(request, message_in.language),
        brief_section=_brief_section(message_in.context),
        history=ModelMessagesTypeAdapter.dump_json(history).decode() if history else None,
    )
    items = await _start(request, _category_of(thread.scope), ask_)
    engine = engine_of(request)

    async def stored() -> AsyncIterator[ReplyItem]:
        async for item in items:
            if item.kind == "done" and item.data is not None:
                async with tenant_transaction(engine, org_id) as tx:
                    message_id = await threads.add_exchange(
                        tx=tx,
                        org_id=org_id,
                        thread=thread,
                        question=message_in.content,
                        answer=item.text,
                        model_messages=item.data["new_messages"].encode(),
                    )
                yield ReplyItem(
                    "done", text=item.text, data={**item.data, "message_id": str(message_id)}
                )
                continue
            yield item

    return _sse(stored())


def _category_of(scope: str) -> str:
    return _agent_of(scope).category


def _agent_of(scope: str) -> AgentSpec:
    try:
        return load_agent_registry().copilot_for_scope(scope)
    except (ScopeError, LookupError) as exc:
        raise UnknownScopeError(f"{scope!r} is not a copilot scope.") from exc


def _brief_section(context: AskContext | None) -> BriefSection | None:
    return context.brief_section if context is not None else None


def _language(request: Request, chosen: str | None) -> Any:
    return negotiate(choice=chosen, accept_language=request.headers.get("accept-language"))


async def _start(request: Request, category: str, ask_: Ask) -> AsyncIterator[ReplyItem]:
    """Send the ask and wait for the first piece of the answer, so a refusal is still a problem
    response (503 with its reason) rather than an error inside a stream already begun."""
    redis: Redis = request.app.state.redis
    if not await plane_is_up(redis, category):
        raise AgentPlaneDownError(
            "Your assistant is temporarily unavailable. You can keep working; changes are not "
            "affected."
        )
    try:
        await send_ask(redis, category, ask_)
    except RedisError as exc:
        raise ModelUnavailableError() from exc
    settings: AiSettings = request.app.state.ai_settings
    reply = read_reply(
        redis,
        ask_.id,
        first_timeout=settings.llm_timeout_seconds + _FIRST_REPLY_MARGIN_SECONDS,
        idle_timeout=_IDLE_SECONDS,
        worker_alive=lambda: plane_is_up(redis, category),
    )
    first = await anext(reply)
    if first.kind == "error":
        raise AnswerFailedError(first.data or {})

    async def items() -> AsyncIterator[ReplyItem]:
        yield first
        async for item in reply:
            yield item

    return items()


def _sse(items: AsyncIterator[ReplyItem]) -> StreamingResponse:
    async def events() -> AsyncIterator[str]:
        try:
            async for item in items:
                if item.kind == "delta":
                    yield _event("delta", {"text": item.text})
                elif item.kind == "done":
                    data = {k: v for k, v in (item.data or {}).items() if k != "new_messages"}
                    yield _event("done", {"text": item.text, **data})
                else:
                    yield _event("error", item.data or {})
        except DomainError as exc:  # the worker went silent mid-answer
            yield _event("error", {"status": exc.status, "code": exc.code, "detail": exc.detail})

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


routers = (router,)
