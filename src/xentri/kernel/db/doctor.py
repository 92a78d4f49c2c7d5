"""`xentri doctor`: prove from the catalog that tenant isolation is what we think it is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

_TENANT_TABLES = text(
    """
    select n.nspname as schema, c.relname as name, c.relrowsecurity as enabled,
           c.relforcerowsecurity as forced
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped
    where c.relkind in ('r', 'p') and n.nspname = any(:schemas)
    order by 1, 2
    """
)
_POLICIES = text(
    """
    select polname, polcmd, polroles::regrole[]::text[] as roles,
           pg_get_expr(polqual, polrelid) as using_expr,
           pg_get_expr(polwithcheck, polrelid) as check_expr
    from pg_policy where polrelid = (quote_ident(:schema) || '.' || quote_ident(:name))::regclass
    """
)
_ROLE = text("select rolsuper, rolbypassrls from pg_roles where rolname = :role")
_OWNED = text(
    "select count(*) from pg_tables where tableowner = :role and schemaname = any(:schemas)"
)


@dataclass(frozen=True)
class Finding:
    subject: str
    problem: str


def tenant_tables(conn: Connection, *, schemas: tuple[str, ...] = ("public",)) -> list[str]:
    rows = conn.execute(_TENANT_TABLES, {"schemas": list(schemas)}).all()
    return [row.name if row.schema == "public" else f"{row.schema}.{row.name}" for row in rows]


def examine(
    conn: Connection, *, runtime_roles: tuple[str, ...], schemas: tuple[str, ...] = ("public",)
) -> list[Finding]:
    """Everything that would let one org see or write another org's rows; empty when sound."""
    findings: list[Finding] = []
    for row in conn.execute(_TENANT_TABLES, {"schemas": list(schemas)}).all():
        subject = f"{row.schema}.{row.name}"
        if not row.enabled:
            findings.append(Finding(subject, "row-level security is not enabled"))
        if not row.forced:
            findings.append(Finding(subject, "row-level security is not forced (owners bypass it)"))
        policies = conn.execute(_POLICIES, {"schema": row.schema, "name": row.name}).all()
        if not any(_is_tenant_policy(policy) for policy in policies):
            findings.append(Finding(subject, "no fail-closed org_id policy for reads and writes"))
        for policy in policies:
            if _is_permissive_to_everyone(policy):
                findings.append(
                    Finding(subject, f"policy {policy.polname} lets everyone through (true)")
                )
    for role in runtime_roles:
        attributes = conn.execute(_ROLE, {"role": role}).first()
        if attributes is None:
            findings.append(Finding(f"role {role}", "does not exist"))
            continue
        if attributes.rolsuper:
            findings.append(Finding(f"role {role}", "is a superuser (bypasses RLS)"))
        if attributes.rolbypassrls:
            findings.append(Finding(f"role {role}", "has BYPASSRLS"))
        owned = conn.execute(_OWNED, {"role": role, "schemas": list(schemas)}).scalar_one()
        if owned:
            findings.append(Finding(f"role {role}", f"owns {owned} table(s) (owners can drop RLS)"))
    return findings


def _normalized(expression: str | None) -> str:
    return "".join((expression or "").split()).lower()


def _is_tenant_policy(policy: object) -> bool:
    using = _normalized(getattr(policy, "using_expr", None))
    check = _normalized(getattr(policy, "check_expr", None))
    command = getattr(policy, "polcmd", "")
    roles = getattr(policy, "roles", [])
    # The policy our helper writes: all commands, every role, org_id compared to the setting.
    return (
        command == "*"
        and list(roles) == ["-"]
        and "org_id=" in using
        and "current_setting('app.current_org_id'" in using
        and "nullif" in using
        and using == check
    )


def _is_permissive_to_everyone(policy: object) -> bool:
    using = _normalized(getattr(policy, "using_expr", None))
    roles = getattr(policy, "roles", [])
    return using == "true" and list(roles) == ["-"]
