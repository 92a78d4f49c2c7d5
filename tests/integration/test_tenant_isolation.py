"""Row-level security is enforced by PostgreSQL itself, for the role the app connects as."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.support.db import as_org
from xentri.kernel.db.engine import create_engine
from xentri.kernel.db.rls import tenant_rls_statements
from xentri.kernel.db.tenant import system_transaction, tenant_transaction

pytestmark = pytest.mark.integration

ORG_A = uuid.UUID("00000000-0000-4000-8000-00000000000a")
ORG_B = uuid.UUID("00000000-0000-4000-8000-00000000000b")


@pytest.fixture(scope="module")
def probe_table(owner_conn):
    """A tenant table made with the same helper migrations use, holding one row per org."""
    owner_conn.execute(
        "create table if not exists testing.rls_probe ("
        " id uuid primary key, org_id uuid not null, note text not null)"
    )
    owner_conn.execute(
        "create index if not exists ix_rls_probe_org_id on testing.rls_probe (org_id)"
    )
    if not owner_conn.execute(
        "select relforcerowsecurity from pg_class where oid = 'testing.rls_probe'::regclass"
    ).fetchone()[0]:
        for statement in tenant_rls_statements("testing.rls_probe"):
            owner_conn.execute(statement)
    # The owner is subject to FORCE RLS too, so seeding sets the org like the app would.
    for org, note in ((ORG_A, "a's row"), (ORG_B, "b's row")):
        with as_org(owner_conn, org):
            owner_conn.execute(
                "insert into testing.rls_probe (id, org_id, note) values (%s, %s, %s)",
                (uuid.uuid4(), org, note),
            )
    return "testing.rls_probe"


@pytest.fixture
async def engine(servers):
    engine = create_engine(servers.app_url, pool_size=1)
    yield engine
    await engine.dispose()


async def test_without_org_the_runtime_role_sees_nothing(engine, probe_table):
    async with system_transaction(engine) as tx:
        rows = (await tx.execute(text("select note from testing.rls_probe"))).all()

    assert rows == []


async def test_tenant_transaction_sees_only_its_org(engine, probe_table):
    async with tenant_transaction(engine, ORG_A) as tx:
        notes = (await tx.execute(text("select note from testing.rls_probe"))).scalars().all()

    assert notes == ["a's row"]


async def test_writing_another_orgs_row_is_refused(engine, probe_table, owner_conn):
    with pytest.raises(DBAPIError, match="row-level security"):
        async with tenant_transaction(engine, ORG_A) as tx:
            await tx.execute(
                text(
                    "insert into testing.rls_probe (id, org_id, note) values (:id, :org, 'sneaky')"
                ),
                {"id": uuid.uuid4(), "org": ORG_B},
            )

    assert owner_conn.execute(
        "select count(*) from testing.rls_probe where note = 'sneaky'"
    ).fetchone() == (0,)


async def test_updates_cannot_move_a_row_to_another_org(engine, probe_table):
    with pytest.raises(DBAPIError, match="row-level security"):
        async with tenant_transaction(engine, ORG_A) as tx:
            await tx.execute(text("update testing.rls_probe set org_id = :org"), {"org": ORG_B})


async def test_pooled_connection_carries_no_org_after_a_tenant_transaction(engine, probe_table):
    async with tenant_transaction(engine, ORG_A) as tx:
        inside = (await tx.execute(text("select pg_backend_pid()"))).scalar_one()

    async with engine.connect() as conn:
        backend = (await conn.execute(text("select pg_backend_pid()"))).scalar_one()
        setting = (
            await conn.execute(text("select current_setting('app.current_org_id', true)"))
        ).scalar_one()
        rows = (await conn.execute(text("select note from testing.rls_probe"))).all()

    assert backend == inside, "the pool of one must hand back the same connection"
    assert setting in ("", None)
    assert rows == []


async def test_failed_tenant_transaction_rolls_back(engine, probe_table, owner_conn):
    marker = f"rolled-back-{uuid.uuid4().hex[:6]}"

    async def insert_then_fail() -> None:
        async with tenant_transaction(engine, ORG_A) as tx:
            await tx.execute(
                text("insert into testing.rls_probe (id, org_id, note) values (:id, :org, :note)"),
                {"id": uuid.uuid4(), "org": ORG_A, "note": marker},
            )
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await insert_then_fail()

    assert owner_conn.execute(
        "select count(*) from testing.rls_probe where note = %s", (marker,)
    ).fetchone() == (0,)


def test_runtime_role_cannot_bypass_rls_or_own_tables(owner_conn, servers):
    role = owner_conn.execute(
        "select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
        "from pg_roles where rolname = %s",
        (servers.app_role,),
    ).fetchone()
    owned = owner_conn.execute(
        "select count(*) from pg_tables where schemaname = 'public' and tableowner = %s",
        (servers.app_role,),
    ).fetchone()[0]

    assert role == (False, False, False, False)
    assert owned == 0


async def test_runtime_role_cannot_change_the_schema(engine):
    with pytest.raises(DBAPIError, match="permission denied"):
        async with system_transaction(engine) as tx:
            await tx.execute(text("create table intruder (id int)"))


async def test_runtime_role_cannot_disable_rls(engine, probe_table):
    with pytest.raises(DBAPIError, match="must be owner"):
        async with system_transaction(engine) as tx:
            await tx.execute(text("alter table testing.rls_probe disable row level security"))


def test_every_tenant_table_has_forced_rls(owner_conn, probe_table):
    unprotected = owner_conn.execute(
        """
        select c.relname from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped
        where n.nspname not in ('pg_catalog', 'information_schema', 'testing')
          and c.relkind in ('r', 'p')
          and not (c.relrowsecurity and c.relforcerowsecurity)
        """
    ).fetchall()

    assert unprotected == []


def test_migrations_match_the_tables_in_code(servers):
    from xentri.kernel.db.migrate import schema_drift

    assert schema_drift(servers.owner_url, roles=servers.roles) is None
