"""JSON API of the catalogue: /api/v1/modules (signed in) and /api/v1/roadmap (public)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request

from xentri.catalog import service
from xentri.catalog.schemas import CategoryId, ModuleRead, RoadmapRead, VoteIn
from xentri.identity.http import CurrentCaller, engine_of, org_scope, requested_org
from xentri.kernel.db.tenant import system_transaction, user_transaction

router = APIRouter(prefix="/api/v1", tags=["modules"])

ModuleId = Path(max_length=80, examples=["finance.invoicing"])
CategoryFilter = Query(default=None, description="Only this category's modules.")


@router.get("/modules", summary="Every module with its status, vote count and whether I voted")
async def list_modules(
    request: Request, caller: CurrentCaller, category: CategoryId | None = CategoryFilter
) -> list[ModuleRead]:
    async with user_transaction(engine_of(request), caller.user_id) as tx:
        views = await service.list_modules(tx=tx, user_id=caller.user_id, category=category)
    return [ModuleRead.of(view) for view in views]


@router.get("/modules/{module_id}", summary="One module with its vote count and my vote")
async def get_module(
    request: Request, caller: CurrentCaller, module_id: str = ModuleId
) -> ModuleRead:
    async with user_transaction(engine_of(request), caller.user_id) as tx:
        view = await service.get_module(tx=tx, module_id=module_id, user_id=caller.user_id)
    return ModuleRead.of(view)


@router.post(
    "/modules/{module_id}/vote",
    summary="Vote for a module (once per person; again updates the use case)",
)
async def vote(
    request: Request,
    caller: CurrentCaller,
    module_id: str = ModuleId,
    vote_in: VoteIn | None = None,
) -> ModuleRead:
    # The vote is weighted by the org the caller acts in, so it goes through the member gate.
    org_id = requested_org(request, caller)
    async with org_scope(request, caller, org_id) as (tx, _ctx):
        view = await service.cast_vote(
            tx=tx,
            org_id=org_id,
            user_id=caller.user_id,
            module_id=module_id,
            use_case=vote_in.use_case if vote_in else None,
        )
    return ModuleRead.of(view)


@router.delete("/modules/{module_id}/vote", summary="Withdraw my vote (no vote is not an error)")
async def unvote(request: Request, caller: CurrentCaller, module_id: str = ModuleId) -> ModuleRead:
    async with user_transaction(engine_of(request), caller.user_id) as tx:
        view = await service.withdraw_vote(tx=tx, user_id=caller.user_id, module_id=module_id)
    return ModuleRead.of(view)


@router.get(
    "/roadmap",
    summary="The public roadmap: modules by status with vote counts and priority scores",
)
async def get_roadmap(
    request: Request, category: CategoryId | None = CategoryFilter
) -> RoadmapRead:
    # Public: no session, no org. Only counts cross tenants, through the tally function.
    async with system_transaction(engine_of(request)) as tx:
        groups = await service.roadmap(tx=tx, category=category)
    return RoadmapRead.of(groups)


routers = (router,)
