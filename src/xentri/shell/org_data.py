"""All of an org's data, found in the database catalog (every table with `org_id`, so a table
added by any later migration is included without touching this file): exported as a zip of
JSON files, or deleted when the org is.
"""

from __future__ import annotations

import base64
import json
import uuid
import zipfile
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from xentri.contracts.events import Actor
from xentri.identity.events import OrgDeleted
from xentri.identity.orgs import OrgContext
from xentri.identity.permissions import Permission
from xentri.kernel.db.doctor import tenant_tables
from xentri.kernel.events.outbox import emit, new_event

# The event spine's own tables outlive an org: the log is append-only (a trigger refuses
# deletes), and the org's last events, its deletion among them, must still be relayed.
SPINE_TABLES = frozenset(
    {"system_events", "org_event_sequences", "relay_cursors", "event_receipts", "dead_letters"}
)
# Secrets' hashes are useless to the owner and dangerous in a file that travels.
_REDACTED_SUFFIX = "_hash"
_CHUNK = 64 * 1024

_FOREIGN_KEYS = text(
    """
    select distinct src.relname as referencing, dst.relname as referenced
    from pg_constraint con
    join pg_class src on src.oid = con.conrelid
    join pg_class dst on dst.oid = con.confrelid
    join pg_namespace n on n.oid = src.relnamespace
    where con.contype = 'f' and n.nspname = 'public' and src.oid <> dst.oid
    """
)


def _quoted(table: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in table.split("."))


_PRIVILEGE = text("select has_table_privilege(cast(:table as regclass), :privilege)")


def _catalog(
    conn: Connection, privilege: str
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Tenant tables the app role may (and may not) `privilege`, and the foreign keys.

    A few tables are the event spine's and scheduler's bookkeeping that the app role may not
    touch at all (relay cursors, job runs); they hold no data of the business.
    """
    edges = [(row.referencing, row.referenced) for row in conn.execute(_FOREIGN_KEYS)]
    allowed: list[str] = []
    refused: list[str] = []
    for table in tenant_tables(conn):
        granted = conn.execute(_PRIVILEGE, {"table": _quoted(table), "privilege": privilege})
        (allowed if granted.scalar_one() else refused).append(table)
    return allowed, refused, edges


def deletion_order(tables: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """Tables ordered so that each comes before every table it references (children first)."""
    remaining = sorted(set(tables))
    references: dict[str, set[str]] = {table: set() for table in remaining}
    for referencing, referenced in edges:
        if referencing in references and referenced in references:
            references[referencing].add(referenced)
    ordered: list[str] = []
    while remaining:
        # A table can go once nothing left still references it.
        free = [t for t in remaining if not any(t in references[o] for o in remaining if o != t)]
        if not free:  # a reference cycle: let the cascades sort out the rest
            free = remaining[:1]
        for table in free:
            ordered.append(table)
            remaining.remove(table)
    return ordered


async def delete_org(*, tx: AsyncSession, ctx: OrgContext) -> None:
    """Delete every row of the org in every tenant table, then record that it happened.

    `tx` is the org's own tenant transaction: row-level security keeps each statement inside
    the org even if a condition here were wrong.
    """
    ctx.require(Permission.ORG_DELETE)
    connection = await tx.connection()
    tables, _bookkeeping, edges = await connection.run_sync(_catalog, "DELETE")
    for table in deletion_order((t for t in tables if t not in SPINE_TABLES), edges):
        await tx.execute(
            # Names from the catalog, quoted; the value is a bound parameter.
            text(f"delete from {_quoted(table)} where org_id = :org"),  # noqa: S608
            {"org": ctx.org_id},
        )
    actor = Actor(type="user", id=str(ctx.user_id))
    payload = OrgDeleted(org_id=ctx.org_id, deleted_by=ctx.user_id)
    await emit(tx, new_event(payload, org_id=ctx.org_id, actor=actor, source="shell"))


class _Sink:
    """A write-only file for zipfile that hands out what was written so far (streaming)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data, self._parts, self.size = b"".join(self._parts), [], 0
        return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


async def export_org(
    *, engine: AsyncEngine, org_id: uuid.UUID, files: dict[str, bytes] | None = None
) -> AsyncIterator[bytes]:
    """The org's data as a zip, produced piece by piece: one `<table>.json` per tenant table
    (a JSON array of rows), `manifest.json`, and any `files` given (the logo).

    One REPEATABLE READ transaction with only the org's setting (no user setting, so the
    user-scope policies add nothing from other orgs): every file is of the same moment.
    """
    async with engine.connect() as raw:
        conn = await raw.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            await conn.execute(
                text("select set_config('app.current_org_id', :org, true)"), {"org": str(org_id)}
            )
            tables, skipped, _edges = await conn.run_sync(_catalog, "SELECT")
            sink = _Sink()
            archive = zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED)
            counts: dict[str, int] = {}
            for table in sorted(tables):
                counts[table] = 0
                with archive.open(f"{table}.json", "w") as member:
                    member.write(b"[")
                    result = await conn.stream(
                        text(f"select * from {_quoted(table)} where org_id = :org"),  # noqa: S608
                        {"org": org_id},
                    )
                    async for row in result.mappings():
                        clean = {k: v for k, v in row.items() if not k.endswith(_REDACTED_SUFFIX)}
                        line = json.dumps(clean, default=_plain, ensure_ascii=False)
                        member.write((b"\n" if not counts[table] else b",\n") + line.encode())
                        counts[table] += 1
                        if sink.size >= _CHUNK:
                            yield sink.take()
                    member.write(b"\n]\n")
                yield sink.take()
            for name, data in sorted((files or {}).items()):
                archive.writestr(f"files/{name}", data)
            manifest = {
                "org_id": str(org_id),
                "exported_at": datetime.now(UTC).isoformat(),
                "tables": counts,
                "not_exported": dict.fromkeys(sorted(skipped), "system bookkeeping"),
                "redacted": f"columns ending in {_REDACTED_SUFFIX} (hashes of secrets)",
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
            archive.close()
            yield sink.take()
