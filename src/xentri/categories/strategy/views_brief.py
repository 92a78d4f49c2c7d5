"""The Brief page: the draft section by section (each its own form), changes asked for in words,
Approve, and the version history with a diff between any two versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.ai.offline import detect_language
from xentri.categories.strategy import brief_form, editing, service
from xentri.categories.strategy.brief_labels import FIELDS, SECTIONS, ChangeLine, describe
from xentri.categories.strategy.change_words import apply_words
from xentri.categories.strategy.domain import FlowState, diff
from xentri.categories.strategy.views_common import BASE, page, refusal
from xentri.contracts.brief import Brief, BriefSection
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import actor
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, load_frame, needs_sign_in
from xentri.shell.templating import redirect
from xentri.shell.visitor import CurrentVisitor, Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/brief"
MAX_REQUEST = 1000


@router.get(HERE)
async def brief_page(request: Request, visitor: CurrentVisitor) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    return await _show(request, visitor, frame)


@router.post(HERE + "/sections/{section}")
async def save_section(request: Request, visitor: CurrentVisitor, section: str) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
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
async def ask_for_changes(request: Request, visitor: CurrentVisitor) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("request",))
    text = form.values["request"]
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, ask=form, status=403)
    if not text or len(text) > MAX_REQUEST:
        form.errors["request"] = (
            visitor.gettext("Say what to change first.")
            if not text
            else visitor.gettext("Use at most %(max)s characters.", max=MAX_REQUEST)
        )
        return await _show(request, visitor, frame, ask=form, status=422)
    language = detect_language(text, hint="es" if visitor.lang == "es" else "en")
    unchanged = False

    def change(draft: Brief) -> Brief:
        nonlocal unchanged
        updated = apply_words(
            draft,
            text,
            today=dt.datetime.now(dt.UTC).date(),
            default_currency=frame.current.currency if frame.current is not None else None,
            language=language,
        )
        unchanged = updated == draft
        return updated

    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)
            await editing.change_draft(
                tx=tx, org_id=frame.current.id, change=change, actor=actor(visitor)
            )
            if unchanged:
                raise _RefusedError
    except _RefusedError:
        form.errors["request"] = visitor.gettext(
            "I could not turn that into a change. Try, for example: “make the tagline "
            "shorter”, “add an offering: cakes 25 USD each”, “remove the competitor Acme” or "
            "“tagline: Fresh bread every morning”."
        )
        return await _show(request, visitor, frame, ask=form, status=422)
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, ask=form, status=status)
    return redirect(request, f"{HERE}#changes", notice="brief_changed")


@router.post(HERE + "/approve")
async def approve(request: Request, visitor: CurrentVisitor) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
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
    visitor: CurrentVisitor,
    before: Annotated[int | None, Query(alias="from", ge=1, le=1_000_000)] = None,
    after: Annotated[int | None, Query(alias="to", ge=1, le=1_000_000)] = None,
) -> Response:
    if (to_login := needs_sign_in(request, visitor)) is not None:
        return to_login
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
        lines = _changes(by_number[before].document, by_number[after].document)
    context = {
        "versions": found,
        "before": before,
        "after": after,
        "lines": lines,
        "section_labels": SECTIONS,
    }
    return page(request, visitor, frame, "brief", "strategy/versions.html", context)


def _changes(before: Brief, after: Brief) -> list[ChangeLine]:
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return [describe(change, old, new) for change in diff(before, after)]


async def _show(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    *,
    section_form: brief_form.SectionForm | None = None,
    ask: Form | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "problem": problem,
        "ask": ask or Form(values={"request": ""}, csrf_ok=True),
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
            pending=_changes(latest.document, flow.draft)
            if latest is not None and flow.state is not FlowState.APPROVED
            else [],
        )
    return page(request, visitor, frame, "brief", "strategy/brief.html", context, status=status)


def _words(visitor: Visitor, form: brief_form.SectionForm) -> dict[str, str]:
    return {
        name: visitor.gettext(message, **params) for name, (message, params) in form.errors.items()
    }
