"""Routes that exist only in tests, to exercise the kernel's middleware with real effects."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from starlette.responses import JSONResponse

from xentri.kernel.http.problems import ProblemError

router = APIRouter(prefix="/api/v1/test")

# Test-only tables live in their own schema so the schema-drift check never sees them.
TEST_SCHEMA = "testing"
EFFECTS_TABLE = """
create table if not exists testing.test_effects (
  id uuid primary key,
  marker text not null,
  created_at timestamptz not null default now()
)
"""


class ItemCreate(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=50)]
    quantity: Annotated[int, Field(gt=0)]


@router.post("/effects", status_code=201)
async def record_effect(request: Request, item_in: ItemCreate) -> dict[str, object]:
    """Insert one row: how tests count how many times a request really ran."""
    effect_id = uuid.uuid4()
    async with request.app.state.engine.begin() as conn:
        await conn.execute(
            text("insert into testing.test_effects (id, marker) values (:id, :marker)"),
            {"id": effect_id, "marker": item_in.name},
        )
    return {"id": str(effect_id), "name": item_in.name, "quantity": item_in.quantity}


@router.post("/flaky")
async def flaky(item_in: ItemCreate) -> JSONResponse:
    if item_in.quantity == 1:
        return JSONResponse({"error": "down"}, status_code=503)
    return JSONResponse({"ok": True}, status_code=200)


@router.post("/conflict")
async def conflict() -> None:
    raise ProblemError(409, detail="Already exists.", slug="duplicate", existing_id="abc")


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internals: password=hunter2")
