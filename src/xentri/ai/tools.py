"""What an agent's tools receive: the org they act for. A tool opens its own tenant transaction
from it, so an agent can only ever reach the org it is answering for (RLS does the rest)."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.kernel.db.tenant import tenant_transaction


@dataclass(frozen=True)
class ToolContext:
    org_id: uuid.UUID
    engine: AsyncEngine

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One unit of work scoped to the agent's org (a category service call inside it)."""
        return tenant_transaction(self.engine, self.org_id)
