"""Tenant transactions: the only way application code touches tenant tables."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

# Opens a fresh transaction in one org each time it is called: for a use case that must not
# hold one across a slow step (a model call), so it reads in one and writes in another.
Transactions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@asynccontextmanager
async def tenant_transaction(engine: AsyncEngine, org_id: uuid.UUID) -> AsyncIterator[AsyncSession]:
    """Open one unit of work scoped to an org: commits on success, rolls back on error."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        # is_local=true: the setting dies with the transaction, so a pooled connection
        # handed to the next request carries no org (a session-level SET would leak it).
        await session.execute(
            text("select set_config('app.current_org_id', :org_id, true)"),
            {"org_id": str(org_id)},
        )
        yield session


@asynccontextmanager
async def user_transaction(
    engine: AsyncEngine, user_id: uuid.UUID, *, org_id: uuid.UUID | None = None
) -> AsyncIterator[AsyncSession]:
    """A unit of work for one signed-in user: their memberships across orgs become readable,
    and with `org_id` the org's tenant tables as well."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        await session.execute(
            text(
                "select set_config('app.current_user_id', :user_id, true), "
                "set_config('app.current_org_id', :org_id, true)"
            ),
            {"user_id": str(user_id), "org_id": str(org_id) if org_id else ""},
        )
        yield session


@asynccontextmanager
async def system_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """Open one unit of work with no org: tenant tables show and accept nothing in it."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        yield session
