"""Load modules.yaml into the `modules` table: idempotent, and an admin's status survives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from xentri.catalog.catalogue import Catalogue, CatalogueEntry
from xentri.catalog.domain import ModuleStatus
from xentri.catalog.events import ModuleStatusChanged
from xentri.catalog.tables import modules
from xentri.contracts.events import SYSTEM_ORG_ID, Actor
from xentri.kernel.events.outbox import emit, new_event

SYNC_ACTOR = Actor(type="system", id="catalogue-sync")
EVENT_SOURCE = "xentri.catalog"
# Two processes starting at once (two API replicas after one migration) take turns here.
_SYNC_LOCK = text("select pg_advisory_xact_lock(hashtext('xentri.catalog.sync'))")


@dataclass
class StatusChange:
    module_id: str
    old_status: ModuleStatus
    new_status: ModuleStatus


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    kept_admin_status: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.status_changes or self.retired)


async def sync_catalogue(
    *, tx: AsyncSession, catalogue: Catalogue, reset_statuses: bool = False
) -> SyncReport:
    """Make `modules` match the catalogue file.

    Runs as the owner in a transaction scoped to the platform org (status changes are emitted
    there). A status an admin set is kept unless `reset_statuses`; modules gone from the file
    are retired, not deleted, since votes refer to them.
    """
    await tx.execute(_SYNC_LOCK)
    existing = {row.id: row for row in (await tx.execute(select(modules))).all()}
    report = SyncReport()
    for entry in catalogue.entries():
        row = existing.pop(entry.module.id, None)
        if row is None:
            await tx.execute(
                insert(modules).values(**_described(entry), status=entry.module.status)
            )
            report.added.append(entry.module.id)
            continue
        changes = {k: v for k, v in _described(entry).items() if getattr(row, k) != v}
        if row.retired_at is not None:
            changes["retired_at"] = None
        wanted = entry.module.status
        if row.status_source == "admin" and not reset_statuses:
            if row.status != wanted:
                report.kept_admin_status.append(row.id)
        elif row.status != wanted:
            changes.update(status=wanted, status_source="catalogue", status_changed_at=func.now())
            report.status_changes.append(StatusChange(row.id, row.status, wanted))
        elif row.status_source != "catalogue":
            changes["status_source"] = "catalogue"
        if changes:
            await tx.execute(
                update(modules)
                .where(modules.c.id == row.id)
                .values(**changes, updated_at=func.now())
            )
            report.updated.append(row.id)
    for row in existing.values():
        if row.retired_at is None:
            await tx.execute(
                update(modules)
                .where(modules.c.id == row.id)
                .values(retired_at=func.now(), updated_at=func.now())
            )
            report.retired.append(row.id)
    for change in report.status_changes:
        payload = ModuleStatusChanged(
            module_id=change.module_id,
            old_status=change.old_status,
            new_status=change.new_status,
            source="catalogue",
        )
        event = new_event(payload, org_id=SYSTEM_ORG_ID, actor=SYNC_ACTOR, source=EVENT_SOURCE)
        await emit(tx, event)
    return report


def _described(entry: CatalogueEntry) -> dict[str, Any]:
    module = entry.module
    return {
        "id": module.id,
        "category": entry.category_id,
        "subcategory": entry.subcategory_id,
        "name": module.name.model_dump(),
        "description": module.description.model_dump(),
        "icon": module.icon,
        "sort_order": entry.sort_order,
    }


async def sync_database(owner_url: str, *, reset_statuses: bool = False) -> SyncReport:
    """Sync the shipped catalogue into the database at `owner_url` (the migrating role)."""
    from xentri.catalog.catalogue import load_catalogue
    from xentri.kernel.db.engine import create_engine
    from xentri.kernel.db.tenant import tenant_transaction

    engine = create_engine(owner_url, pool_size=1, application_name="xentri-catalogue-sync")
    try:
        async with tenant_transaction(engine, SYSTEM_ORG_ID) as tx:
            return await sync_catalogue(
                tx=tx, catalogue=load_catalogue(), reset_statuses=reset_statuses
            )
    finally:
        await engine.dispose()
