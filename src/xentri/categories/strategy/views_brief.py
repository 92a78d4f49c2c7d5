"""The Brief page: the draft section by section (each its own form), changes asked for in words,
Approve, and the version history with a diff between any two versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.ai.offline import detect_language
from xentri.categories.strategy import brief_changes, brief_form, editing, service
from xentri.categories.strategy import change_texts as texts
from xentri.categories.strategy.brief_labels import FIELDS, SECTIONS, ChangeLine
from xentri.categories.strategy.change_model import change_model
from xentri.categories.strategy.domain import FlowState
from xentri.categories.strategy.views_common import BASE, page, refusal
from xentri.contracts.brief import Brief, BriefSection
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import actor
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/brief"
MAX_REQUEST = 1000


@router.get(HERE)
async def brief_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    return await _show(request, visitor, frame)


@router.post(HERE + "/sections/{section}")
async def save_section(request: Request, visitor: SignedInVisitor, section: str) -> Response:
    try:
        chosen = BriefSection(section)
    except ValueError:
        raise HTTPException(status_code=404) from None
    frame = await load_frame(request, visitor)
    posted = await request.form()
    names = brief_form.field_names(chosen, dict.fromkeys(posted, ""))
    form = await read_form(request, visitor, names)
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, problem=form.form_error, status=403)
    failed: brief_form.SectionForm | None = None

    def change(draft: Brief) -> Brief:
        nonlocal failed
        updated, section_form = brief_form.apply(draft, chosen, form.values)
        if updated is None:
            failed = section_form
            return draft
        return updated

    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            # Validated inside the transaction, against the draft it changes; a refused form
            # raises so the transaction (and the state it may have moved) rolls back.
            await editing.change_draft(
                tx=tx, org_id=frame.current.id, change=change, actor=actor(visitor)
            )
            if failed is not None:
                raise _RefusedError
    except _RefusedError:
        return await _show(request, visitor, frame, section_form=failed, status=422)
    except DomainError as exc:
        problem, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, problem=problem, status=status)
    return redirect(request, f"{HERE}#section-{chosen.value}", notice="brief_saved")


class _RefusedError(Exception):
    """A section form with errors: nothing of it is saved."""


@router.post(HERE + "/ask")
async def ask_for_changes(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("request",))
    text = form.values["request"]
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, ask=form, status=403)
    if not text or len(text) > MAX_REQUEST:
        form.errors["request"] = (
            visitor.gettext(texts.EMPTY)
            if not text
            else visitor.gettext(texts.TOO_LONG, max=MAX_REQUEST)
        )
        return await _show(request, visitor, frame, ask=form, status=422)
    try:
        await _change_in_words(request, visitor, frame.current, text)
    except DomainError as exc:
        notice, status = _ask_refused(visitor, form, exc)
        return await _show(request, visitor, frame, ask=form, ask_notice=notice, status=status)
    return redirect(request, f"{HERE}#last-change", notice="brief_changed")


async def _change_in_words(request: Request, visitor: Visitor, org: Any, text: str) -> None:
    language = detect_language(text, hint="es" if visitor.lang == "es" else "en")
    async with org_scope(request, visitor.caller, org.id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)
        read = await brief_changes.draft_to_change(tx=tx, org_id=org.id)
    # Outside any transaction: a slow model holds no row lock and no connection.
    proposal = await brief_changes.propose(
        model=change_model(request.app.state),
        org_id=org.id,
        draft=read,
        words=text,
        language=language,
    )
    async with org_scope(request, visitor.caller, org.id) as (tx, ctx):
        ctx.require(Permission.ORG_UPDATE)
        await brief_changes.apply(
            tx=tx,
            org_id=org.id,
            read=read,
            proposal=proposal,
            words=text,
            language=language,
            today=dt.datetime.now(dt.UTC).date(),
            currency=org.currency,
            actor=actor(visitor),
        )


def _ask_refused(visitor: Visitor, form: Form, exc: DomainError) -> tuple[str | None, int]:
    """Put the refusal on the form; returns the notice to show with it and the status."""
    if isinstance(exc, brief_changes.NotUnderstoodError):
        form.errors["request"] = visitor.gettext(texts.NOT_UNDERSTOOD)
        return (visitor.gettext(texts.NOTICES[exc.notice]) if exc.notice else None), 422
    if isinstance(exc, brief_changes.DraftChangedError):
        form.form_error = visitor.gettext(texts.CHANGED_MEANWHILE)
        return None, 409
    form.form_error, status = refusal(visitor, exc)
    return None, status


@router.post(HERE + "/undo")
async def undo_change(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, problem=form.form_error, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            await brief_changes.undo(tx=tx, org_id=frame.current.id, actor=actor(visitor))
    except brief_changes.UndoRefusedError as exc:
        message = texts.UNDO_AFTER_APPROVAL if exc.approved else texts.UNDO_AFTER_EDIT
        return await _show(request, visitor, frame, problem=visitor.gettext(message), status=409)
    except brief_changes.NothingToUndoError:
        problem = visitor.gettext(texts.NOTHING_TO_UNDO)
        return await _show(request, visitor, frame, problem=problem, status=409)
    except DomainError as exc:
        problem, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, problem=problem, status=status)
    return redirect(request, f"{HERE}#last-change")


@router.post(HERE + "/approve")
async def approve(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, problem=form.form_error, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            await editing.approve(tx=tx, org_id=frame.current.id, actor=actor(visitor))
    except DomainError as exc:
        problem, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, problem=problem, status=status)
    return redirect(request, HERE, notice="brief_approved")


@router.get(HERE + "/versions")
async def versions_page(
    request: Request,
    visitor: SignedInVisitor,
    before: Annotated[int | None, Query(alias="from", ge=1, le=1_000_000)] = None,
    after: Annotated[int | None, Query(alias="to", ge=1, le=1_000_000)] = None,
) -> Response:
    frame = await load_frame(request, visitor)
    found: list[service.BriefVersion] = []
    lines: list[ChangeLine] | None = None
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
            found = await service.versions(tx=tx)
    by_number = {v.version: v for v in found}
    newest = found[0].version if found else 0
    after = after if after in by_number else newest
    before = before if before in by_number else max(after - 1, 1)
    if before in by_number and after in by_number and before != after:
        lines = texts.change_lines(by_number[before].document, by_number[after].document)
    context = {
        "versions": found,
        "before": before,
        "after": after,
        "lines": lines,
        "section_labels": SECTIONS,
    }
    return page(request, visitor, frame, "brief", "strategy/versions.html", context)


async def _show(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    *,
    section_form: brief_form.SectionForm | None = None,
    ask: Form | None = None,
    ask_notice: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "problem": problem,
        "ask": ask or Form(values={"request": ""}, csrf_ok=True),
        "ask_notice": ask_notice,
        "section_labels": SECTIONS,
        "field_labels": FIELDS,
        "max_request": MAX_REQUEST,
    }
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
            flow = await service.flow(tx=tx, org_id=frame.current.id)
            found = await service.versions(tx=tx)
        latest = found[0] if found else None
        forms = {s: brief_form.form_of(flow.draft, s) for s in BriefSection}
        if section_form is not None:
            forms[section_form.section] = section_form
        context.update(
            flow=flow,
            latest=latest,
            editable=flow.state in editing.EDITABLE,
            approvable=flow.state in (FlowState.REVIEW_PENDING, FlowState.EDITING),
            interviewing=flow.state in (FlowState.INITIATED, FlowState.CONVERSING),
            forms=forms,
            errors={s: _words(visitor, f) for s, f in forms.items()},
            pending=texts.change_lines(latest.document, flow.draft)
            if latest is not None and flow.state is not FlowState.APPROVED
            else [],
            last_change=_last_change(visitor, flow),
        )
    return page(request, visitor, frame, "brief", "strategy/brief.html", context, status=status)


def _last_change(visitor: Visitor, current: service.Flow) -> dict[str, Any] | None:
    made = brief_changes.shown_change(current)
    if made is None:
        return None
    lines = texts.change_lines(made.before, made.after)
    return {
        "words": made.words,
        "undone": made.undone,
        "source": made.source,
        "summary": made.summary or texts.summary_of(lines, visitor.gettext),
        "notice": visitor.gettext(texts.NOTICES[made.notice]) if made.notice else None,
        "lines": lines,
    }


def _words(visitor: Visitor, form: brief_form.SectionForm) -> dict[str, str]:
    return {
        name: visitor.gettext(message, **params) for name, (message, params) in form.errors.items()
    }
