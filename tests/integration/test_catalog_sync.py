"""`xentri modules sync` and set-status against the real database: idempotent, admin-safe."""

from __future__ import annotations

import copy

import pytest

from tests.support.catalog import fresh_module, synced
from tests.support.db import as_org
from xentri.catalog import load_catalogue, service
from xentri.catalog.catalogue import Catalogue
from xentri.catalog.sync import sync_catalogue
from xentri.contracts.events import SYSTEM_ORG_ID
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.tenant import tenant_transaction

pytestmark = pytest.mark.integration


@pytest.fixture
async def owner_engine(servers):
    engine = create_engine(servers.owner_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
async def shipped(owner_engine, servers):
    """Start from the shipped catalogue and put it back afterwards, admin statuses included."""
    await synced(servers.owner_url)
    yield load_catalogue()
    async with tenant_transaction(owner_engine, SYSTEM_ORG_ID) as tx:
        await sync_catalogue(tx=tx, catalogue=load_catalogue(), reset_statuses=True)


async def sync(owner_engine, catalogue: Catalogue, **options):
    async with tenant_transaction(owner_engine, SYSTEM_ORG_ID) as tx:
        return await sync_catalogue(tx=tx, catalogue=catalogue, **options)


async def admin_sets(owner_engine, module_id, status, by="ops@xentri"):
    async with tenant_transaction(owner_engine, SYSTEM_ORG_ID) as tx:
        return await service.set_status(tx=tx, module_id=module_id, status=status, changed_by=by)


def variant(catalogue: Catalogue, change) -> Catalogue:
    raw = copy.deepcopy(catalogue.model_dump(mode="json"))
    change(raw)
    return Catalogue.model_validate(raw)


def module_in(raw, module_id):
    for category in raw["categories"]:
        for sub in category["subcategories"]:
            for module in sub["modules"]:
                if module["id"] == module_id:
                    return sub["modules"], module
    raise KeyError(module_id)


def row(owner_conn, module_id):
    return owner_conn.execute(
        "select status, status_source, retired_at is not null, name->>'es' from modules"
        " where id = %s",
        (module_id,),
    ).fetchone()


def status_events(owner_conn, module_id) -> list[tuple]:
    with as_org(owner_conn, SYSTEM_ORG_ID):
        return owner_conn.execute(
            "select payload->>'old_status', payload->>'new_status', payload->>'source',"
            " payload->>'changed_by', actor->>'type' from system_events"
            " where type = 'xentri.module.status_changed.v1' and payload->>'module_id' = %s"
            " order by org_seq",
            (module_id,),
        ).fetchall()


async def test_a_second_sync_changes_nothing(shipped, owner_engine, owner_conn):
    report = await sync(owner_engine, shipped)

    assert not report.changed
    assert (report.added, report.updated, report.status_changes, report.retired) == (
        [],
        [],
        [],
        [],
    )
    live = owner_conn.execute("select count(*) from modules where retired_at is null")
    assert live.fetchone()[0] == len(list(shipped.entries()))


async def test_edits_in_the_file_reach_the_table(shipped, owner_engine, owner_conn):
    def rename(raw):
        module_in(raw, "team.recognition")[1]["name"]["es"] = "Reconocimiento al equipo"

    report = await sync(owner_engine, variant(shipped, rename))

    assert report.updated == ["team.recognition"]
    assert row(owner_conn, "team.recognition")[3] == "Reconocimiento al equipo"


async def test_a_status_change_in_the_file_is_applied_and_emitted_once(
    shipped, owner_engine, owner_conn
):
    before = len(status_events(owner_conn, "legal.trademarks"))

    def promote(raw):
        module_in(raw, "legal.trademarks")[1]["status"] = "coming_soon"

    promoted = variant(shipped, promote)
    first = await sync(owner_engine, promoted)
    second = await sync(owner_engine, promoted)

    assert [(c.module_id, c.old_status, c.new_status) for c in first.status_changes] == [
        ("legal.trademarks", "planned", "coming_soon")
    ]
    assert not second.changed
    assert row(owner_conn, "legal.trademarks")[:2] == ("coming_soon", "catalogue")
    assert status_events(owner_conn, "legal.trademarks")[before:] == [
        ("planned", "coming_soon", "catalogue", None, "system")
    ]


async def test_an_admins_status_survives_a_sync_until_reset(shipped, owner_engine, owner_conn):
    before = len(status_events(owner_conn, "legal.insurance"))
    change = await admin_sets(owner_engine, "legal.insurance", "in_development")

    kept = await sync(owner_engine, shipped)
    assert row(owner_conn, "legal.insurance")[:2] == ("in_development", "admin")
    assert kept.kept_admin_status == ["legal.insurance"]
    assert not kept.changed

    reset = await sync(owner_engine, shipped, reset_statuses=True)

    assert (change.old_status, change.new_status) == ("planned", "in_development")
    assert [c.module_id for c in reset.status_changes] == ["legal.insurance"]
    assert row(owner_conn, "legal.insurance")[:2] == ("planned", "catalogue")
    assert status_events(owner_conn, "legal.insurance")[before:] == [
        ("planned", "in_development", "admin", "ops@xentri", "user"),
        ("in_development", "planned", "catalogue", None, "system"),
    ]


async def test_setting_the_same_status_again_records_nothing(shipped, owner_engine, owner_conn):
    before = len(status_events(owner_conn, "legal.e_signatures"))

    assert await admin_sets(owner_engine, "legal.e_signatures", "planned") is None
    assert row(owner_conn, "legal.e_signatures")[:2] == ("planned", "catalogue")
    assert len(status_events(owner_conn, "legal.e_signatures")) == before


async def test_setting_the_status_of_an_unknown_module_is_refused(shipped, owner_engine):
    from xentri.catalog.errors import ModuleNotFoundError

    with pytest.raises(ModuleNotFoundError):
        await admin_sets(owner_engine, "legal.time_travel", "beta")


async def test_a_module_dropped_from_the_file_is_retired_then_restored(
    shipped, owner_engine, owner_conn
):
    def drop(raw):
        siblings, module = module_in(raw, "team.one_on_ones")
        siblings.remove(module)

    retired = await sync(owner_engine, variant(shipped, drop))
    assert retired.retired == ["team.one_on_ones"]
    assert row(owner_conn, "team.one_on_ones")[2] is True

    restored = await sync(owner_engine, shipped)

    # Back, and the modules after it move back to their old positions.
    assert "team.one_on_ones" in restored.updated
    assert "team.recognition" in restored.updated
    assert restored.retired == []
    assert row(owner_conn, "team.one_on_ones")[2] is False


async def test_modules_outside_the_file_are_retired_and_leave_the_listing(
    shipped, owner_engine, owner_conn, app_engine
):
    stray = fresh_module(owner_conn)

    report = await sync(owner_engine, shipped)

    assert stray in report.retired
    async with tenant_transaction(app_engine, SYSTEM_ORG_ID) as tx:
        listed = {view.id for view in await service.list_modules(tx=tx)}
        statuses = await service.current_statuses(tx=tx)
    assert stray not in listed
    assert stray not in statuses
    assert statuses["finance.invoicing"] == "beta"


async def test_the_runtime_role_cannot_write_the_catalogue(app_engine, shipped):
    from sqlalchemy import text
    from sqlalchemy.exc import ProgrammingError

    with pytest.raises(ProgrammingError, match="permission denied"):
        async with tenant_transaction(app_engine, SYSTEM_ORG_ID) as tx:
            await tx.execute(text("update modules set status = 'active'"))
