"""JSON API of the notifications: /api/v1/notifications (the signed-in person's own)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.identity import accounts
from xentri.identity.http import Caller, CurrentCaller, engine_of
from xentri.kernel.db.tenant import user_transaction
from xentri.kernel.i18n import negotiate
from xentri.notifications import service
from xentri.notifications.schemas import MarkedRead, NotificationPageRead, NotificationRead

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get("/notifications", summary="My notifications, newest first, a page at a time")
async def list_notifications(
    request: Request,
    caller: CurrentCaller,
    page: int = Query(default=1, ge=1, le=10_000),
    per_page: int = Query(default=20, ge=1, le=service.MAX_PER_PAGE),
) -> NotificationPageRead:
    async with user_transaction(engine_of(request), caller.user_id) as tx:
        language = await _language(request, caller, tx)
        found = await service.list_notifications(
            tx=tx, user_id=caller.user_id, language=language, page=page, per_page=per_page
        )
    return NotificationPageRead.of(found)


@router.post("/notifications/read-all", summary="Mark all my notifications read")
async def read_all(request: Request, caller: CurrentCaller) -> MarkedRead:
    async with user_transaction(engine_of(request), caller.user_id) as tx:
        marked = await service.mark_all_read(tx=tx, user_id=caller.user_id)
        unread = await service.unread_count(tx=tx, user_id=caller.user_id)
    return MarkedRead(marked=marked, unread=unread)


@router.post("/notifications/{notification_id}/read", summary="Mark one notification read")
async def read_one(
    request: Request, caller: CurrentCaller, notification_id: uuid.UUID
) -> NotificationRead:
    async with user_transaction(engine_of(request), caller.user_id) as tx:
        language = await _language(request, caller, tx)
        view = await service.mark_read(
            tx=tx, user_id=caller.user_id, notification_id=notification_id, language=language
        )
    return NotificationRead.of(view)


async def _language(request: Request, caller: Caller, tx: AsyncSession) -> str:
    """The account's language, as the pages use (it starts as the one they signed up in)."""
    profile = await accounts.get_profile(tx=tx, user_id=caller.user_id)
    return negotiate(
        choice=profile.preferred_language, accept_language=request.headers.get("accept-language")
    )


routers = (router,)
