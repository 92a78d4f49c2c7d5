"""Fail-closed row-level security for tenant tables (DESIGN §4)."""

from __future__ import annotations

# After a transaction-scoped setting ends, current_setting returns '' (not NULL): nullif makes
# that match no row instead of failing the cast, and the sub-select evaluates once per statement.
CURRENT_ORG = "(select nullif(current_setting('app.current_org_id', true), '')::uuid)"
CURRENT_USER = "(select nullif(current_setting('app.current_user_id', true), '')::uuid)"


def tenant_rls_statements(table: str) -> list[str]:
    """SQL that enables and forces RLS on `table` (optionally schema-qualified)."""
    policy = table.rsplit(".", 1)[-1] + "_tenant_isolation"
    return [
        f"alter table {table} enable row level security",
        f"alter table {table} force row level security",
        f"create policy {policy} on {table} "
        f"using (org_id = {CURRENT_ORG}) with check (org_id = {CURRENT_ORG})",
    ]


def system_access_statements(table: str, role: str, *, write: bool = False) -> list[str]:
    """A policy letting the cross-tenant system role (relay, scheduler) see every org's rows.

    Only that role gets it, and only on the tables its work needs; the app role stays
    fail-closed. The role still has NOBYPASSRLS: every table it may read is named here.
    """
    policy = table.rsplit(".", 1)[-1] + "_system_access"
    if write:
        return [
            f'create policy {policy} on {table} for all to "{role}" using (true) with check (true)'
        ]
    return [f'create policy {policy} on {table} for select to "{role}" using (true)']


def user_scope_statements(table: str, *, condition: str) -> list[str]:
    """A read-only policy for rows the signed-in user may see across orgs (their memberships).

    Like the tenant policy it fails closed: without `app.current_user_id` it matches nothing.
    `condition` may use {user}, the current user's id.
    """
    policy = table.rsplit(".", 1)[-1] + "_user_scope"
    return [
        f"create policy {policy} on {table} for select using "
        f"({condition.format(user=CURRENT_USER)})"
    ]


def secret_lookup_statements(table: str, *, column: str, setting: str) -> list[str]:
    """A read-only policy for the one row whose secret hash the caller proves it knows.

    Accepting an invitation or authenticating an API key happens before any org is known;
    the transaction sets `setting` to the hash of the presented secret and may then read
    exactly the matching row. Without the setting it matches nothing.
    """
    policy = table.rsplit(".", 1)[-1] + "_secret_lookup"
    return [
        f"create policy {policy} on {table} for select using "
        f"({column} = (select nullif(current_setting('{setting}', true), '')))"
    ]
