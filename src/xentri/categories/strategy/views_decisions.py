"""The decision log: what was decided, in which context, among which options, and what came of
it; searchable, a page at a time. Each entry is also kept in the org's episodic memory."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.responses import Response

from xentri.categories.strategy import planning
from xentri.categories.strategy.schemas import DecisionIn
from xentri.categories.strategy.views_common import BASE, page, refusal
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/decisions"
PER_PAGE = 20
FIELDS = ("title", "context", "options", "decision", "outcome", "decided_on")


@router.get(HERE)
async def decisions_page(
    request: Request,
    visitor: SignedInVisitor,
    q: Annotated[str, Query(max_length=200)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> Response:
    frame = await load_frame(request, visitor)
    form = Form(values=dict.fromkeys(FIELDS, ""), csrf_ok=True)
    form.values["decided_on"] = dt.datetime.now(dt.UTC).date().isoformat()
    return await _show(request, visitor, frame, form, query=q.strip(), number=page_number)


@router.post(HERE)
async def log_decision(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, FIELDS)
    decision_in = _parse(visitor, form) if form.csrf_ok else None
    if frame.current is None or decision_in is None:
        status = 403 if not form.csrf_ok else 422
        return await _show(request, visitor, frame, form, status=status)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await planning.log_decision(
                tx=tx,
                org_id=frame.current.id,
                user_id=visitor.user_id,
                title=decision_in.title,
                context=decision_in.context,
                options=decision_in.options,
                decision=decision_in.decision,
                outcome=decision_in.outcome,
                decided_on=decision_in.decided_on,
            )
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, form, status=status)
    return redirect(request, HERE, notice="decision_logged")


def _parse(visitor: Visitor, form: Form) -> DecisionIn | None:
    _ = visitor.gettext
    values = form.values
    options = [line.strip() for line in values["options"].splitlines() if line.strip()]
    decided_on: dt.date | None = None
    try:
        decided_on = dt.date.fromisoformat(values["decided_on"])
    except ValueError:
        form.errors["decided_on"] = (
            _("Enter the date of the decision.")
            if not values["decided_on"]
            else _("Enter a date, like 2027-06-30.")
        )
    try:
        decision_in = DecisionIn(
            title=values["title"],
            context=values["context"] or None,
            options=options,
            decision=values["decision"],
            outcome=values["outcome"] or None,
            decided_on=decided_on or dt.date(2000, 1, 1),
        )
    except ValidationError as exc:
        required = {
            "title": _("Give the decision a short title."),
            "decision": _("Write what was decided."),
        }
        for error in exc.errors():
            name = str(error["loc"][0]) if error.get("loc") else ""
            context: dict[str, Any] = error.get("ctx") or {}
            if name in form.errors:
                continue
            if error["type"] == "string_too_short" and name in required:
                form.errors[name] = required[name]
            elif error["type"] in {"string_too_long", "too_long"}:
                form.errors[name] = _("Too long: at most %(max)s.", max=context.get("max_length"))
            else:
                form.errors[name] = _("Check this field.")
        return None
    return decision_in if form.ok else None


async def _show(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    query: str = "",
    number: int = 1,
    status: int = 200,
) -> Response:
    found: list[planning.Decision] = []
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
            found = await planning.list_decisions(
                tx=tx, query=query or None, offset=(number - 1) * PER_PAGE, limit=PER_PAGE + 1
            )
    more = len(found) > PER_PAGE

    def link(to: int) -> str:
        return HERE + "?" + urlencode({**({"q": query} if query else {}), "page": to})

    context = {
        "form": form,
        "decisions": found[:PER_PAGE],
        "query": query,
        "number": number,
        "next_url": link(number + 1) if more else None,
        "previous_url": link(number - 1) if number > 1 else None,
    }
    return page(
        request, visitor, frame, "decisions", "strategy/decisions.html", context, status=status
    )
