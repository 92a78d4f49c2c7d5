"""The interview page: the conversation on one side, the Brief taking shape on the other.

Every answer is stored as it is sent, before the co-pilot reads it (interview_service.take), so
closing the browser loses nothing: the page shows the whole conversation again. With scripts
(js/strategy-interview.js) the answer appears at once and the reply streams in as it is written
(server-sent events, interview_stream); then the conversation and the Brief are fetched again.
Without scripts the form posts, the whole turn runs, and the page comes back. An answer whose
reply never came (the connection dropped, the server stopped) shows a way to get it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.ai.offline import Language, detect_language
from xentri.categories.strategy import editing, interview_service
from xentri.categories.strategy.brief_labels import SECTIONS
from xentri.categories.strategy.domain import FlowState
from xentri.categories.strategy.interview_model import interview_model
from xentri.categories.strategy.interview_stream import stream_reply, wants_stream
from xentri.categories.strategy.schemas import AnswerIn
from xentri.categories.strategy.views_common import BASE, page, refusal
from xentri.identity.http import org_scope, org_transactions
from xentri.identity.permissions import Permission
from xentri.kernel.db.tenant import Transactions
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import actor
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import is_htmx, redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/interview"
MAX_ANSWER = 5000


@router.get(HERE)
async def interview_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    return await _show(request, visitor, frame, Form(values={"answer": ""}, csrf_ok=True))


@router.post(HERE)
async def answer(request: Request, visitor: SignedInVisitor) -> Response:
    """Take an answer. The page's script asks for the reply as a stream (the answer is stored
    first, the reply streams in); a plain form or htmx post waits for the whole turn."""
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("answer",))
    # The text as typed (read_form strips it); a long answer is refused, never cut.
    status = 403 if not form.csrf_ok else 422
    text = form.values["answer"]
    if form.csrf_ok and frame.current is not None:
        try:
            AnswerIn(text=text)
        except ValidationError:
            form.errors["answer"] = (
                visitor.gettext("Write an answer first.")
                if not text
                else visitor.gettext("Use at most %(max)s characters.", max=MAX_ANSWER)
            )
    if form.ok and frame.current is not None:
        language: Language = detect_language(text, hint=_lang(visitor))
        try:
            async with org_transactions(
                request, visitor.caller, frame.current.id, require=Permission.ORG_UPDATE
            )() as tx:
                await interview_service.take(
                    tx=tx, org_id=frame.current.id, text=text, language=language
                )
        except DomainError as exc:
            form.form_error, status = refusal(visitor, exc)
        else:
            return await _reply(request, visitor, frame)
    # A refusal comes back as 200 to htmx and the script so it is shown in place.
    return await _show(
        request, visitor, frame, form, status=status if _whole_page(request) else 200
    )


@router.post(f"{HERE}/reply")
async def get_reply(request: Request, visitor: SignedInVisitor) -> Response:
    """The reply to an answer still waiting for one (the connection dropped mid-reply, or the
    server stopped): the page's script asks for it by itself; without scripts, a button."""
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, form, status=403)
    return await _reply(request, visitor, frame)


async def _reply(request: Request, visitor: Visitor, frame: Frame) -> Response:
    assert frame.current is not None
    reply = interview_service.reply(
        transactions=org_transactions(
            request, visitor.caller, frame.current.id, require=Permission.ORG_UPDATE
        ),
        org_id=frame.current.id,
        today=dt.datetime.now(dt.UTC).date(),
        model=interview_model(request.app.state),
        redis=request.app.state.redis,
        streamed=wants_stream(request.headers.get("accept")),
    )
    if wants_stream(request.headers.get("accept")):

        async def done() -> dict[str, Any]:
            return {}  # the script fetches the page again: the stored reply stands

        return stream_reply(reply, done)
    try:
        async for _text in reply:
            pass
    except DomainError as exc:
        form = Form(values={"answer": ""}, csrf_ok=True)
        form.form_error, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, form, status=status)
    if _whole_page(request):
        return redirect(request, f"{HERE}#answer")
    return await _show(request, visitor, frame, Form(values={"answer": ""}, csrf_ok=True))


def _transactions(request: Request, visitor: Visitor, frame: Frame) -> Transactions:
    """A fresh transaction in the org for each step of a turn, for an owner or admin."""
    assert frame.current is not None
    return org_transactions(
        request, visitor.caller, frame.current.id, require=Permission.ORG_UPDATE
    )


def _whole_page(request: Request) -> bool:
    return not is_htmx(request) and not wants_stream(request.headers.get("accept"))


@router.post(f"{HERE}/draft")
async def draft_it(request: Request, visitor: SignedInVisitor) -> Response:
    """The owner asks for the draft: it goes to review, on the Brief page."""
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            await editing.draft_it(tx=tx, org_id=frame.current.id, actor=actor(visitor))
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, form, status=status)
    return redirect(request, f"{BASE}/brief", notice="brief_drafted")


def _lang(visitor: Visitor) -> Language:
    return "es" if visitor.lang == "es" else "en"


async def _show(
    request: Request, visitor: Visitor, frame: Frame, form: Form, *, status: int = 200
) -> Response:
    view = None
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
            view = await interview_service.view(
                tx=tx, org_id=frame.current.id, language=_lang(visitor)
            )
    open_states = (FlowState.INITIATED, FlowState.CONVERSING)
    context = {
        "form": form,
        "view": view,
        "answering": view is not None and view.state in open_states,
        "started": view is not None and view.state is not FlowState.INITIATED,
        "max_answer": MAX_ANSWER,
        "section_labels": SECTIONS,
    }
    return page(
        request, visitor, frame, "interview", "strategy/interview.html", context, status=status
    )
