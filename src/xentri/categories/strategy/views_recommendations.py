"""Recommendations: the Strategy Co-pilot's recommendations from the approved Brief, the modules to
start with (with their reasons and statuses) and a SMART rewrite of each vague goal, which
"Use this wording" puts in the Brief draft. Plain forms: it works without JavaScript."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from xentri.catalog import current_statuses
from xentri.categories.strategy import recommendations_service
from xentri.categories.strategy.model_runner import configured_runner
from xentri.categories.strategy.recommendations_service import Kept, NoRewriteError
from xentri.categories.strategy.service import BriefNotFoundError
from xentri.categories.strategy.views_common import BASE, page, refusal
from xentri.identity.http import org_scope, org_transactions
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.category_pages import actor
from xentri.shell.forms import read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/recommendations"
GoalIndex = Annotated[int, Path(ge=0, le=1000)]


@router.get(HERE)
async def recommendations_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    applied = request.query_params.get("applied", "")
    return await _show(request, visitor, frame, applied=applied.isdigit())


@router.post(HERE + "/goals/{index}/apply")
async def apply_rewrite(request: Request, visitor: SignedInVisitor, index: GoalIndex) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("brief_version",))
    version = form.values["brief_version"]
    if frame.current is None or not form.csrf_ok:
        return await _show(request, visitor, frame, problem=form.form_error, status=403)
    if not version.isdigit():
        problem = visitor.gettext("Something changed meanwhile. Reload the page and try again.")
        return await _show(request, visitor, frame, problem=problem, status=422)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.ORG_UPDATE)  # the Brief speaks for the business
            await recommendations_service.apply_rewrite(
                tx=tx,
                org_id=frame.current.id,
                index=index,
                brief_version=int(version),
                language=_language(visitor),
                actor=actor(visitor),
            )
    except NoRewriteError:
        problem = visitor.gettext("That goal has no wording to use. The page shows what it has.")
        return await _show(request, visitor, frame, problem=problem, status=404)
    except DomainError as exc:
        problem, status = refusal(visitor, exc)
        return await _show(request, visitor, frame, problem=problem, status=status)
    return redirect(request, f"{HERE}?applied={index}#applied")


async def _show(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    *,
    applied: bool = False,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {"problem": problem, "applied": applied, "kept": None}
    if frame.current is not None:
        org_id = frame.current.id
        try:
            kept = await recommendations_service.recommendations_for(
                unit_of_work=org_transactions(request, visitor.caller, org_id),
                org_id=org_id,
                language=_language(visitor),
                runner=configured_runner(request.app.state),
            )
        except BriefNotFoundError:
            kept = None
        if kept is not None:
            context.update(await _around(request, visitor, org_id, kept))
    return page(
        request,
        visitor,
        frame,
        "recommendations",
        "strategy/recommendations.html",
        context,
        status=status,
    )


async def _around(
    request: Request, visitor: Visitor, org_id: uuid.UUID, kept: Kept
) -> dict[str, Any]:
    """The modules' live statuses (an admin may have moved one on) and the rewrites in use."""
    async with org_scope(request, visitor.caller, org_id) as (tx, _ctx):
        statuses = await current_statuses(tx=tx)
        used = await recommendations_service.in_draft(tx=tx, org_id=org_id, kept=kept)
    return {
        "kept": kept,
        "statuses": {m.module_id: statuses.get(m.module_id, m.status) for m in kept.modules},
        "in_draft": used,
    }


def _language(visitor: Visitor) -> str:
    return "es" if visitor.lang.startswith("es") else "en"
