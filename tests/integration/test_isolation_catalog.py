"""Tenant isolation, table by table: every table with org_id, found in the catalog, is tested.

A new tenant table is covered without touching this file. A throw-away table with a broken
policy shows that these checks fail when isolation is broken (the test bites).
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import pool

from tests.support.identity import create_org, sign_up
from xentri.kernel.db.doctor import examine, tenant_tables
from xentri.kernel.db.rls import tenant_rls_statements
from xentri.kernel.db.urls import libpq_uri, sqlalchemy_url

pytestmark = pytest.mark.integration


def _catalog_tables(servers) -> list[str]:
    engine = create_sync_engine(sqlalchemy_url(servers.owner_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        tables = tenant_tables(conn)
    engine.dispose()
    return tables


@pytest.fixture(scope="module")
async def two_orgs(servers, tmp_path_factory):
    """Two orgs with real rows in the tenant tables, made through the API."""
    import httpx

    from tests.conftest import fresh_client_address, make_settings
    from xentri.composition import compose

    settings = make_settings(servers, tmp_path_factory.mktemp("iso"))
    app = compose(settings, database_url=servers.app_url, redis_url=servers.redis_url)
    orgs = []
    for name in ("Ana", "Bea"):
        transport = httpx.ASGITransport(app=app, client=fresh_client_address())
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            person = await sign_up(client, name=name)
            org_id = await create_org(person, f"{name} Co")
            await client.patch(
                f"/api/v1/orgs/{org_id}", json={"currency": "MXN"}, headers=person.headers()
            )
            orgs.append(org_id)
    await app.state.redis.aclose()
    await app.state.engine.dispose()
    return orgs


class IsolationBrokenError(AssertionError):
    pass


def check_isolation(app_url: str, table: str, org_a: uuid.UUID, org_b: uuid.UUID) -> None:
    """As the runtime role: no context sees and writes nothing; org A never touches org B."""
    with psycopg.connect(libpq_uri(app_url), autocommit=False) as conn:
        if not _can_select(conn, table):
            return  # the runtime role has no access at all (system-only tables)
        with conn.transaction():
            visible = conn.execute(f"select count(*) from {table}").fetchone()[0]
            if visible:
                raise IsolationBrokenError(f"{table}: {visible} rows visible without an org")
        _expect_refused_insert(conn, table, org=None, target=org_b)
        with conn.transaction():
            conn.execute("select set_config('app.current_org_id', %s, true)", (str(org_a),))
            foreign = conn.execute(
                f"select count(*) from {table} where org_id <> %s", (org_a,)
            ).fetchone()[0]
            if foreign:
                raise IsolationBrokenError(f"{table}: org A sees {foreign} rows of other orgs")
            if _can_update(conn, table):
                moved = conn.execute(
                    f"update {table} set org_id = org_id where org_id = %s", (org_b,)
                ).rowcount
                if moved:
                    raise IsolationBrokenError(f"{table}: org A updated {moved} rows of org B")
        _expect_refused_insert(conn, table, org=org_a, target=org_b)


def _can_select(conn, table: str) -> bool:
    return conn.execute("select has_table_privilege(%s, 'select')", (table,)).fetchone()[0]


def _can_update(conn, table: str) -> bool:
    return conn.execute("select has_table_privilege(%s, 'update')", (table,)).fetchone()[0]


def _expect_refused_insert(conn, table: str, *, org, target) -> None:
    if not conn.execute("select has_table_privilege(%s, 'insert')", (table,)).fetchone()[0]:
        return
    try:
        with conn.transaction():
            if org is not None:
                conn.execute("select set_config('app.current_org_id', %s, true)", (str(org),))
            conn.execute(f"insert into {table} (org_id) values (%s)", (target,))
    except psycopg.errors.InsufficientPrivilege as exc:
        if "row-level security" not in str(exc):
            raise
        return
    except psycopg.errors.NotNullViolation as exc:
        raise IsolationBrokenError(
            f"{table}: an insert for another org got past RLS ({exc})"
        ) from exc
    raise IsolationBrokenError(f"{table}: an insert for another org was accepted")


def _tenant_tables_in_code() -> list[str]:
    from xentri.migrations.registry import target_metadata

    return sorted(name for name, table in target_metadata.tables.items() if "org_id" in table.c)


# Parametrised from the tables declared in code: a new tenant table is tested without edits here.
@pytest.mark.parametrize("tenant_table", _tenant_tables_in_code())
def test_each_tenant_table_is_isolated(servers, two_orgs, tenant_table):
    org_a, org_b = two_orgs

    check_isolation(servers.app_url, tenant_table, org_a, org_b)


def test_every_tenant_table_in_the_database_is_declared_in_code(servers):
    # A table made by a migration but missing from the code would escape the test above.
    assert _catalog_tables(servers) == _tenant_tables_in_code()


def test_doctor_finds_nothing_wrong(servers):
    engine = create_sync_engine(sqlalchemy_url(servers.owner_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        findings = examine(conn, runtime_roles=(servers.app_role, servers.system_role))
    engine.dispose()

    assert findings == []


def test_a_broken_policy_is_caught_by_the_isolation_check_and_the_doctor(
    servers, owner_conn, two_orgs
):
    org_a, org_b = two_orgs
    table = f"testing.broken_{uuid.uuid4().hex[:6]}"
    owner_conn.execute(f"create table {table} (id serial primary key, org_id uuid not null)")
    owner_conn.execute(f"alter table {table} enable row level security")
    owner_conn.execute(f"alter table {table} force row level security")
    owner_conn.execute(f"create policy leaky on {table} using (true) with check (true)")
    owner_conn.execute(f"insert into {table} (org_id) values (%s), (%s)", (org_a, org_b))
    engine = create_sync_engine(sqlalchemy_url(servers.owner_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        findings = examine(conn, runtime_roles=(servers.app_role,), schemas=("testing",))
    engine.dispose()

    with pytest.raises(IsolationBrokenError, match="visible without an org"):
        check_isolation(servers.app_url, table, org_a, org_b)
    assert {f.problem for f in findings if f.subject == table} >= {
        "no fail-closed org_id policy for reads and writes",
        "policy leaky lets everyone through (true)",
    }


def test_a_table_with_unforced_rls_is_reported(servers, owner_conn):
    table = f"testing.unforced_{uuid.uuid4().hex[:6]}"
    owner_conn.execute(f"create table {table} (id serial primary key, org_id uuid not null)")
    for statement in tenant_rls_statements(table):
        if " force row level security" not in statement:
            owner_conn.execute(statement)
    engine = create_sync_engine(sqlalchemy_url(servers.owner_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        findings = examine(conn, runtime_roles=(), schemas=("testing",))
    engine.dispose()

    assert [f.problem for f in findings if f.subject == table] == [
        "row-level security is not forced (owners bypass it)"
    ]
