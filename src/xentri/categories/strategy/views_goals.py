"""Goals: objectives with key results and their progress, each linked to a goal of the Brief.
Set one, edit it, record a key result's value, delete one (after a confirmation)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from xentri.ai.offline import parse_decimal
from xentri.categories.strategy import planning, service
from xentri.categories.strategy.schemas import KeyResultIn, ObjectiveIn
from xentri.categories.strategy.views_common import BASE, page, refusal
from xentri.identity.http import org_scope
from xentri.identity.permissions import Permission
from xentri.kernel.errors import DomainError
from xentri.shell.forms import Form, read_form
from xentri.shell.frame import Frame, SignedInVisitor, load_frame
from xentri.shell.templating import redirect
from xentri.shell.visitor import Visitor

router = APIRouter(include_in_schema=False)
HERE = f"{BASE}/goals"
KR_FIELDS = ("id", "title", "unit", "start", "target", "remove")
MAX_KRS = 10
OBJECTIVE_FIELDS = ("title", "description", "brief_goal", "due_on")
_FORM_FIELDS = OBJECTIVE_FIELDS + tuple(
    f"kr-{i}-{name}" for i in range(MAX_KRS + 1) for name in KR_FIELDS
)


@router.get(HERE)
async def goals_page(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    return await _list(request, visitor, frame, _blank())


@router.post(HERE)
async def create_objective(request: Request, visitor: SignedInVisitor) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, _FORM_FIELDS)
    parsed = _parse(visitor, form)
    if frame.current is None or not form.ok or parsed is None:
        return await _list(request, visitor, frame, form, status=403 if not form.csrf_ok else 422)
    objective_in, rows = parsed
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await planning.create_objective(
                tx=tx,
                org_id=frame.current.id,
                title=objective_in.title,
                description=objective_in.description,
                brief_goal=objective_in.brief_goal,
                due_on=objective_in.due_on,
                key_results_in=[
                    (kr.title, kr.unit, kr.start_value, kr.target_value, kr.start_value)
                    for _id, kr in rows
                ],
            )
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _list(request, visitor, frame, form, status=status)
    return redirect(request, HERE, notice="goal_saved")


@router.get(HERE + "/{objective_id}/edit")
async def edit_page(
    request: Request, visitor: SignedInVisitor, objective_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    if frame.current is None:
        return page(request, visitor, frame, "goals", "strategy/goal_edit.html")
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
            objective = await planning.objective(tx=tx, objective_id=objective_id)
    except planning.NotFoundError:
        raise HTTPException(status_code=404) from None
    return await _edit(request, visitor, frame, objective_id, _filled(objective))


@router.post(HERE + "/{objective_id}")
async def update_objective(
    request: Request, visitor: SignedInVisitor, objective_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, _FORM_FIELDS)
    parsed = _parse(visitor, form)
    if frame.current is None or not form.ok or parsed is None:
        status = 403 if not form.csrf_ok else 422
        return await _edit(request, visitor, frame, objective_id, form, status=status)
    objective_in, rows = parsed
    removed = _removed(form)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await planning.update_objective(
                tx=tx,
                objective_id=objective_id,
                title=objective_in.title,
                description=objective_in.description,
                brief_goal=objective_in.brief_goal,
                due_on=objective_in.due_on,
            )
            for gone in removed:
                await planning.delete_key_result(tx=tx, key_result_id=gone)
            for key_result_id, kr in rows:
                if key_result_id is None:
                    await planning.add_key_result(
                        tx=tx,
                        org_id=frame.current.id,
                        objective_id=objective_id,
                        title=kr.title,
                        unit=kr.unit,
                        start=kr.start_value,
                        target=kr.target_value,
                        current=kr.start_value,
                    )
                else:
                    await planning.update_key_result(
                        tx=tx,
                        key_result_id=key_result_id,
                        title=kr.title,
                        unit=kr.unit,
                        start=kr.start_value,
                        target=kr.target_value,
                    )
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _edit(request, visitor, frame, objective_id, form, status=status)
    return redirect(request, HERE, notice="goal_saved")


@router.post(HERE + "/{objective_id}/delete")
async def delete_objective(
    request: Request, visitor: SignedInVisitor, objective_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ())
    if frame.current is None or not form.csrf_ok:
        return await _list(request, visitor, frame, form, status=403)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await planning.delete_objective(tx=tx, objective_id=objective_id)
    except DomainError as exc:
        form.form_error, status = refusal(visitor, exc)
        return await _list(request, visitor, frame, form, status=status)
    return redirect(request, HERE, notice="goal_deleted")


@router.post(BASE + "/key-results/{key_result_id}/progress")
async def record_progress(
    request: Request, visitor: SignedInVisitor, key_result_id: uuid.UUID
) -> Response:
    frame = await load_frame(request, visitor)
    form = await read_form(request, visitor, ("current",))
    value = _decimal(form.values["current"])
    if frame.current is None or not form.csrf_ok:
        return await _list(request, visitor, frame, _blank(), status=403)
    if value is None:
        problem = _blank()
        problem.form_error = visitor.gettext("Enter the current value as a number, like 12.5.")
        return await _list(request, visitor, frame, problem, status=422, failed=key_result_id)
    try:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, ctx):
            ctx.require(Permission.DATA_WRITE)
            await planning.record_progress(tx=tx, key_result_id=key_result_id, current=value)
    except DomainError as exc:
        problem = _blank()
        problem.form_error, status = refusal(visitor, exc)
        return await _list(request, visitor, frame, problem, status=status)
    return redirect(request, f"{HERE}#kr-{key_result_id}", notice="progress_saved")


def _rows_shown(form: Form, blanks: int) -> list[int]:
    """The key result rows the form shows: those in use, then `blanks` empty ones."""
    used = [
        i
        for i in range(MAX_KRS + 1)
        if any(form.values.get(f"kr-{i}-{name}") for name in ("id", "title", "unit", "target"))
    ]
    free = [i for i in range(MAX_KRS + 1) if i not in used]
    return sorted(used + free[: max(0, min(blanks, MAX_KRS - len(used)))])


def _blank() -> Form:
    values = dict.fromkeys(_FORM_FIELDS, "")
    for index in range(3):
        values[f"kr-{index}-start"] = "0"
    return Form(values=values, csrf_ok=True)


def _filled(objective: planning.Objective) -> Form:
    values = dict.fromkeys(_FORM_FIELDS, "")
    values.update(
        title=objective.title,
        description=objective.description or "",
        brief_goal=objective.brief_goal or "",
        due_on=objective.due_on.isoformat() if objective.due_on else "",
    )
    for index, kr in enumerate(objective.key_results):
        values.update(
            {
                f"kr-{index}-id": str(kr.id),
                f"kr-{index}-title": kr.title,
                f"kr-{index}-unit": kr.unit or "",
                f"kr-{index}-start": _plain(kr.start_value),
                f"kr-{index}-target": _plain(kr.target_value),
            }
        )
    return Form(values=values, csrf_ok=True)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _decimal(text: str) -> Decimal | None:
    """A number as people write it: "12.5", "12,5", "1,234.5" or "1.234,5"."""
    try:
        value = parse_decimal(text)
    except (ValueError, InvalidOperation):
        return None
    return value if value.is_finite() and abs(value) < Decimal("1e14") else None


def _removed(form: Form) -> list[uuid.UUID]:
    found = []
    for index in range(MAX_KRS + 1):
        if form.values[f"kr-{index}-remove"] and form.values[f"kr-{index}-id"]:
            try:
                found.append(uuid.UUID(form.values[f"kr-{index}-id"]))
            except ValueError:
                continue
    return found


def _parse(
    visitor: Visitor, form: Form
) -> tuple[ObjectiveIn, list[tuple[uuid.UUID | None, KeyResultIn]]] | None:
    """The objective and its key results (id None: a new one), or None with the errors set."""
    _ = visitor.gettext
    if not form.csrf_ok:
        return None
    values = form.values
    rows: list[tuple[uuid.UUID | None, KeyResultIn]] = []
    for index in range(MAX_KRS + 1):
        name = f"kr-{index}-"
        row = {field: values[name + field] for field in ("title", "unit", "start", "target")}
        if values[name + "remove"] or not (row["title"] or row["target"] or row["unit"]):
            continue
        start, target = _decimal(row["start"] or "0"), _decimal(row["target"])
        if start is None:
            form.errors[name + "start"] = _("Enter a number, like 0 or 12.5.")
        if target is None:
            form.errors[name + "target"] = (
                _("Enter the number you aim for, like 50.")
                if not row["target"]
                else _("Enter a number, like 0 or 12.5.")
            )
        if not row["title"]:
            form.errors[name + "title"] = _("Say what you will measure.")
        if start is None or target is None or not row["title"]:
            continue
        try:
            kr = KeyResultIn(
                title=row["title"], unit=row["unit"] or None, start_value=start, target_value=target
            )
        except ValidationError as exc:
            _field_errors(
                visitor,
                form,
                exc,
                prefix=name,
                rename={"start_value": "start", "target_value": "target"},
            )
            continue
        known = values[name + "id"]
        try:
            rows.append((uuid.UUID(known) if known else None, kr))
        except ValueError:
            rows.append((None, kr))
    due_on = None
    if values["due_on"]:
        try:
            due_on = dt.date.fromisoformat(values["due_on"])
        except ValueError:
            form.errors["due_on"] = _("Enter a date, like 2027-06-30.")
    try:
        objective_in = ObjectiveIn(
            title=values["title"],
            description=values["description"] or None,
            brief_goal=values["brief_goal"] or None,
            due_on=due_on,
        )
    except ValidationError as exc:
        _field_errors(visitor, form, exc, prefix="", rename={})
        return None
    return (objective_in, rows) if form.ok else None


def _field_errors(
    visitor: Visitor, form: Form, exc: ValidationError, *, prefix: str, rename: dict[str, str]
) -> None:
    _ = visitor.gettext
    for error in exc.errors():
        loc = str(error["loc"][0]) if error.get("loc") else ""
        name = prefix + rename.get(loc, loc)
        context: dict[str, Any] = error.get("ctx") or {}
        if name in form.errors:
            continue
        if error["type"] == "string_too_short" and loc == "title":
            form.errors[name] = (
                _("Give it a title.") if not prefix else _("Say what you will measure.")
            )
        elif error["type"] == "string_too_long":
            form.errors[name] = _("Use at most %(max)s characters.", max=context.get("max_length"))
        else:
            form.errors[name] = _("Check this field.")


async def _brief_goals(request: Request, visitor: Visitor, frame: Frame) -> list[tuple[str, str]]:
    """The goals an objective may pursue: the approved Brief's, else the draft's."""
    assert frame.current is not None
    async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
        try:
            brief = (await service.current_brief(tx=tx)).document
        except service.BriefNotFoundError:
            brief = (await service.flow(tx=tx, org_id=frame.current.id)).draft
    return [(goal.statement, goal.statement) for goal in brief.goals]


async def _list(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    form: Form,
    *,
    status: int = 200,
    failed: uuid.UUID | None = None,
) -> Response:
    context: dict[str, Any] = {
        "form": form,
        "failed": failed,
        "kr_rows": _rows_shown(form, 3),
        "plain": _plain,
    }
    if frame.current is not None:
        async with org_scope(request, visitor.caller, frame.current.id) as (tx, _ctx):
            context["objectives"] = await planning.list_objectives(tx=tx)
        context["brief_goals"] = await _brief_goals(request, visitor, frame)
    return page(request, visitor, frame, "goals", "strategy/goals.html", context, status=status)


async def _edit(
    request: Request,
    visitor: Visitor,
    frame: Frame,
    objective_id: uuid.UUID,
    form: Form,
    *,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "form": form,
        "objective_id": objective_id,
        "kr_rows": _rows_shown(form, 1),
    }
    if frame.current is not None:
        context["brief_goals"] = await _brief_goals(request, visitor, frame)
    return page(request, visitor, frame, "goals", "strategy/goal_edit.html", context, status=status)
