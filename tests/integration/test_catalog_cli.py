"""`xentri modules …` as an operator runs it: a real process against the test database."""

from __future__ import annotations

import pytest

from tests.integration.test_cli import assert_one_line_error, run
from tests.support.catalog import fresh_module, synced
from tests.support.db import as_org
from xentri.contracts.events import SYSTEM_ORG_ID

pytestmark = pytest.mark.integration


@pytest.fixture
def env(servers, tmp_path) -> dict[str, str]:
    return {
        "XENTRI_HOME": str(tmp_path),
        "XENTRI_DATABASE_URL": servers.owner_url,
        "XENTRI_DATABASE_APP_ROLE": servers.app_role,
        "XENTRI_DATABASE_SYSTEM_ROLE": servers.system_role,
        "XENTRI_LOG_FORMAT": "json",
    }


def module_row(owner_conn, module_id):
    return owner_conn.execute(
        "select status, status_source from modules where id = %s", (module_id,)
    ).fetchone()


def audit(owner_conn, module_id):
    with as_org(owner_conn, SYSTEM_ORG_ID):
        return owner_conn.execute(
            "select payload->>'old_status', payload->>'new_status', payload->>'changed_by',"
            " actor->>'id' from system_events"
            " where type = 'xentri.module.status_changed.v1' and payload->>'module_id' = %s",
            (module_id,),
        ).fetchall()


async def test_set_status_changes_it_and_records_who(env, owner_conn, servers):
    await synced(servers.owner_url)
    module_id = fresh_module(owner_conn, status="coming_soon")

    result = run(["modules", "set-status", module_id, "in_development", "--by", "ana@ops"], env)

    assert result.returncode == 0, result.stderr
    assert f"{module_id}: coming_soon → in_development" in result.stdout
    assert module_row(owner_conn, module_id) == ("in_development", "admin")
    assert audit(owner_conn, module_id) == [("coming_soon", "in_development", "ana@ops", "ana@ops")]


async def test_set_status_twice_records_one_change(env, owner_conn, servers):
    await synced(servers.owner_url)
    module_id = fresh_module(owner_conn, status="planned")

    run(["modules", "set-status", module_id, "beta", "--by", "ana@ops"], env)
    again = run(["modules", "set-status", module_id, "beta", "--by", "ana@ops"], env)

    assert again.returncode == 0, again.stderr
    assert f"{module_id} is already beta" in again.stdout
    assert len(audit(owner_conn, module_id)) == 1


async def test_an_unknown_status_fails_in_one_line(env, owner_conn, servers):
    await synced(servers.owner_url)
    result = run(["modules", "set-status", "finance.invoicing", "shipped"], env)

    assert_one_line_error(result, "unknown status 'shipped'")
    assert module_row(owner_conn, "finance.invoicing") == ("beta", "catalogue")


def test_an_unknown_module_fails_in_one_line(env):
    result = run(["modules", "set-status", "finance.teleportation", "beta"], env)

    assert_one_line_error(result, "There is no module 'finance.teleportation'")


async def test_sync_reports_what_it_did(env, owner_conn, servers):
    await synced(servers.owner_url)
    stray = fresh_module(owner_conn)

    first = run(["modules", "sync"], env)
    second = run(["modules", "sync"], env)

    assert first.returncode == 0, first.stderr
    assert "1 retired" in first.stdout
    assert "0 added, 0 updated, 0 status changes, 0 retired" in second.stdout
    assert owner_conn.execute(
        "select retired_at is not null from modules where id = %s", (stray,)
    ).fetchone() == (True,)


async def test_list_shows_statuses_and_scores(env, servers):
    await synced(servers.owner_url)
    result = run(["modules", "list", "--category", "finance", "--status", "beta"], env)

    assert result.returncode == 0, result.stderr
    assert "finance.invoicing" in result.stdout
    assert "finance.recurring_invoices" not in result.stdout
