"""JSON API of Strategy's planning: /api/v1/strategy/objectives and /api/v1/strategy/decisions."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xentri.categories.strategy import planning
from xentri.categories.strategy.schemas import (
    DecisionIn,
    DecisionRead,
    KeyResultIn,
    ObjectiveIn,
    ObjectiveRead,
    OutcomeIn,
    ProgressIn,
)
from xentri.identity.http import CurrentCaller, org_scope, requested_org
from xentri.identity.permissions import Permission

router = APIRouter(prefix="/api/v1/strategy", tags=["strategy"])


@router.get("/objectives", summary="Objectives with their key results and progress")
async def list_objectives(request: Request, caller: CurrentCaller) -> list[ObjectiveRead]:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        found = await planning.list_objectives(tx=tx)
    return [ObjectiveRead.of(objective) for objective in found]


@router.post("/objectives", status_code=201, summary="Set an objective and its key results")
async def create_objective(
    request: Request, caller: CurrentCaller, objective_in: ObjectiveIn
) -> ObjectiveRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        objective = await planning.create_objective(
            tx=tx,
            org_id=org_id,
            title=objective_in.title,
            description=objective_in.description,
            brief_goal=objective_in.brief_goal,
            due_on=objective_in.due_on,
            key_results_in=[_key_result(kr) for kr in objective_in.key_results],
        )
    return ObjectiveRead.of(objective)


@router.get("/objectives/{objective_id}", summary="One objective")
async def get_objective(
    request: Request, caller: CurrentCaller, objective_id: uuid.UUID
) -> ObjectiveRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        return ObjectiveRead.of(await planning.objective(tx=tx, objective_id=objective_id))


@router.delete("/objectives/{objective_id}", status_code=204, summary="Delete an objective")
async def delete_objective(
    request: Request, caller: CurrentCaller, objective_id: uuid.UUID
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        await planning.delete_objective(tx=tx, objective_id=objective_id)
    return Response(status_code=204)


@router.post("/objectives/{objective_id}/key-results", status_code=201, summary="Add a key result")
async def add_key_result(
    request: Request, caller: CurrentCaller, objective_id: uuid.UUID, key_result_in: KeyResultIn
) -> ObjectiveRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        title, unit, start, target, current = _key_result(key_result_in)
        await planning.add_key_result(
            tx=tx,
            org_id=org_id,
            objective_id=objective_id,
            title=title,
            unit=unit,
            start=start,
            target=target,
            current=current,
        )
        return ObjectiveRead.of(await planning.objective(tx=tx, objective_id=objective_id))


@router.put("/key-results/{key_result_id}/progress", summary="Record a key result's value")
async def record_progress(
    request: Request, caller: CurrentCaller, key_result_id: uuid.UUID, progress_in: ProgressIn
) -> ObjectiveRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        objective_id = await planning.record_progress(
            tx=tx, key_result_id=key_result_id, current=progress_in.current_value
        )
        return ObjectiveRead.of(await planning.objective(tx=tx, objective_id=objective_id))


@router.get("/decisions", summary="The decision log, newest first; ?q= searches it")
async def list_decisions(
    request: Request,
    caller: CurrentCaller,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> list[DecisionRead]:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        found = await planning.list_decisions(tx=tx, query=q)
    return [DecisionRead.of(decision) for decision in found]


@router.post("/decisions", status_code=201, summary="Log a decision (also kept in memory)")
async def log_decision(
    request: Request, caller: CurrentCaller, decision_in: DecisionIn
) -> DecisionRead:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        decision = await planning.log_decision(
            tx=tx,
            org_id=org_id,
            user_id=caller.user_id,
            title=decision_in.title,
            context=decision_in.context,
            options=decision_in.options,
            decision=decision_in.decision,
            outcome=decision_in.outcome,
            decided_on=decision_in.decided_on,
        )
    return DecisionRead.of(decision)


@router.put("/decisions/{decision_id}/outcome", status_code=204, summary="What came of it")
async def record_outcome(
    request: Request, caller: CurrentCaller, decision_id: uuid.UUID, outcome_in: OutcomeIn
) -> Response:
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, ctx):
        ctx.require(Permission.DATA_WRITE)
        await planning.record_outcome(
            tx=tx, org_id=org_id, decision_id=decision_id, outcome=outcome_in.outcome
        )
    return Response(status_code=204)


def _key_result(kr: KeyResultIn) -> tuple[str, str | None, Decimal, Decimal, Decimal]:
    current = kr.current_value if kr.current_value is not None else kr.start_value
    return kr.title, kr.unit, kr.start_value, kr.target_value, current


routers = (router,)
