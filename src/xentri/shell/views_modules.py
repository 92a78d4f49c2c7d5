"""Modules not yet available: their page (or the modal it loads into), votes, and the roadmap.

A module's link on a category page or the roadmap loads `/modules/{id}` into a <dialog> through
htmx; without scripts the same address is a full page. The vote form posts to the shell (CSRF
field, not header) and calls the catalogue's use cases; htmx gets the dialog back, a plain form a
redirect to where it came from.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.catalog import STATUSES, ModuleView, get_module, list_modules, load_catalogue
from xentri.catalog import cast_vote as catalog_cast_vote
from xentri.catalog import withdraw_vote as catalog_withdraw_vote
from xentri.catalog.errors import ModuleAlreadyActiveError, ModuleNotFoundError
from xentri.catalog.schemas import VoteIn
from xentri.identity.errors import OrgNotFoundError
from xentri.identity.http import engine_of, org_scope
from xentri.kernel.db.tenant import user_transaction
from xentri.shell.forms import Form, field_errors, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.navigation import CATEGORIES, category
from xentri.shell.notices import NOTICES
from xentri.shell.templating import is_htmx, redirect, render, safe_next
from xentri.shell.visitor import Visitor

module_pages = APIRouter(include_in_schema=False)

# The element module links load into (hx-target); a request aimed there wants the dialog only.
DIALOG_SLOT = "module-dialog-slot"
# Sent with a vote's answer so an open roadmap refreshes its counts behind the dialog.
VOTED_EVENT = "module-voted"
USE_CASE_MAX = 500


def _wants_dialog(request: Request) -> bool:
    return is_htmx(request) and request.headers.get("hx-target") == DIALOG_SLOT


@module_pages.get("/modules/{module_id}")
async def module_page(request: Request, visitor: SignedInVisitor, module_id: str) -> Response:
    module = await _module(request, visitor, module_id)
    form = Form(values={"use_case": module.use_case or ""}, csrf_ok=True)
    back = safe_next(request.query_params.get("next"), default=_category_path(module))
    return await _show(request, visitor, module, form, back=back)


@module_pages.post("/modules/{module_id}/vote")
async def vote(request: Request, visitor: SignedInVisitor, module_id: str) -> Response:
    module = await _module(request, visitor, module_id)
    form = await read_form(request, visitor, ("use_case", "next"))
    back = safe_next(form.values["next"], default=_category_path(module))
    status = 403 if not form.csrf_ok else 422
    frame = await load_frame(request, visitor)
    vote_in: VoteIn | None = None
    if form.csrf_ok:
        try:
            vote_in = VoteIn(use_case=form.values["use_case"] or None)
        except ValidationError as exc:
            form.errors = field_errors(exc, visitor, {}, form.values)
    if form.ok and vote_in is not None:
        if frame.current is None:
            form.form_error = visitor.gettext(
                "Create an organization first: votes count for the organization you work in."
            )
            status = 409
        else:
            try:
                async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
                    module = await catalog_cast_vote(
                        tx=tx,
                        org_id=frame.current.id,
                        user_id=visitor.user_id,
                        module_id=module.id,
                        use_case=vote_in.use_case,
                    )
            except ModuleAlreadyActiveError:
                form.form_error = visitor.gettext("This module is already available.")
                status = 409
            except OrgNotFoundError:
                form.form_error = visitor.gettext(
                    "Something changed meanwhile. Reload the page and try again."
                )
                status = 409
            else:
                return await _done(request, visitor, module, frame, back, notice="vote_recorded")
    return await _show(request, visitor, module, form, back=back, frame=frame, status=status)


@module_pages.post("/modules/{module_id}/unvote")
async def unvote(request: Request, visitor: SignedInVisitor, module_id: str) -> Response:
    module = await _module(request, visitor, module_id)
    form = await read_form(request, visitor, ("next",))
    back = safe_next(form.values["next"], default=_category_path(module))
    frame = await load_frame(request, visitor)
    if not form.csrf_ok:
        form.values["use_case"] = module.use_case or ""
        return await _show(request, visitor, module, form, back=back, frame=frame, status=403)
    async with user_transaction(engine_of(request), visitor.user_id) as tx:
        module = await catalog_withdraw_vote(tx=tx, user_id=visitor.user_id, module_id=module.id)
    return await _done(request, visitor, module, frame, back, notice="vote_withdrawn")


@module_pages.get("/roadmap")
async def roadmap_page(request: Request, visitor: SignedInVisitor) -> Response:
    chosen = request.query_params.get("category") or None
    if chosen is not None and category(chosen) is None:
        chosen = None  # an unknown filter shows everything rather than an empty roadmap
    frame = await load_frame(request, visitor)
    async with user_transaction(engine_of(request), visitor.user_id) as tx:
        views = await list_modules(tx=tx, user_id=visitor.user_id, category=chosen)
    groups = []
    for status in STATUSES:
        members = [view for view in views if view.status == status]
        # The same order as the public roadmap: most wanted first, then the catalogue's.
        members.sort(key=lambda view: (-view.tally.priority_score, view.sort_order))
        groups.append({"status": status, "modules": members})
    context = {
        "frame": frame,
        "section": "roadmap",
        "groups": groups,
        "chosen": chosen or "",
        "category_options": CATEGORIES,
        "category_names": {item.slug: item.name for item in CATEGORIES},
        "slot": DIALOG_SLOT,
        "voted_event": VOTED_EVENT,
    }
    return _fresh(render(request, visitor, "app/roadmap.html", context))


async def _module(request: Request, visitor: Visitor, module_id: str) -> ModuleView:
    try:
        async with user_transaction(engine_of(request), visitor.user_id) as tx:
            return await get_module(tx=tx, module_id=module_id, user_id=visitor.user_id)
    except ModuleNotFoundError:
        raise HTTPException(status_code=404) from None


def _open_path(module: ModuleView) -> str | None:
    """Where a module that works today is used: its catalogue path, while beta or active."""
    entry = load_catalogue().entry(module.id)
    if entry is None or module.status not in ("beta", "active"):
        return None
    return entry.module.path


def _category_path(module: ModuleView) -> str:
    return f"/c/{module.category}"


async def _done(
    request: Request,
    visitor: Visitor,
    module: ModuleView,
    frame: Frame,
    back: str,
    *,
    notice: str,
) -> Response:
    if _wants_dialog(request):
        form = Form(values={"use_case": module.use_case or ""}, csrf_ok=True)
        response = await _show(request, visitor, module, form, back=back, frame=frame, done=notice)
        response.headers["HX-Trigger"] = VOTED_EVENT
        return response
    # Without scripts the person lands on the module's page again, showing their vote.
    return redirect(request, f"/modules/{module.id}?" + urlencode({"next": back}), notice=notice)


async def _show(
    request: Request,
    visitor: Visitor,
    module: ModuleView,
    form: Form,
    *,
    back: str,
    frame: Frame | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response:
    context: dict[str, Any] = {
        "module": module,
        "form": form,
        "back": back,
        "done": done,
        "done_message": NOTICES.get(done) if done else None,
        "in_dialog": _wants_dialog(request),
        "max_use_case": USE_CASE_MAX,
        "slot": DIALOG_SLOT,
        "category_names": {item.slug: item.name for item in CATEGORIES},
        "open_path": _open_path(module),
    }
    if _wants_dialog(request):
        return _fresh(render(request, visitor, "app/module_dialog.html", context, status=status))
    context["frame"] = frame or await load_frame(request, visitor)
    context["section"] = module.category
    return _fresh(render(request, visitor, "app/module.html", context, status=status))


def _fresh(response: Response) -> Response:
    """Votes change under these pages: unlike other htmx answers, they are never reused (a
    roadmap refreshed after a vote, or a dialog opened again, must show the new count)."""
    response.headers["Cache-Control"] = "no-store"
    return response
