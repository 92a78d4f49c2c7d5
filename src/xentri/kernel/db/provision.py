"""Create the owner role and database on a server we administer (embedded, or tests)."""

from __future__ import annotations

import psycopg
from psycopg import sql

from xentri.kernel.db.urls import libpq_uri, with_database, with_role


def provision(admin_uri: str, *, owner_role: str, owner_password: str, database: str) -> str:
    """Ensure `owner_role` (not a superuser) owns `database`; return the owner's URI."""
    with psycopg.connect(libpq_uri(admin_uri), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_roles where rolname = %s", (owner_role,)).fetchone()
        verb = "alter" if exists else "create"
        # CREATEROLE lets the owner create the runtime role in the first migration.
        conn.execute(
            sql.SQL("{} role {} login nosuperuser createrole password {}").format(
                sql.SQL(verb), sql.Identifier(owner_role), sql.Literal(owner_password)
            )
        )
        if not conn.execute("select 1 from pg_database where datname = %s", (database,)).fetchone():
            conn.execute(
                sql.SQL("create database {} owner {}").format(
                    sql.Identifier(database), sql.Identifier(owner_role)
                )
            )
    with psycopg.connect(libpq_uri(with_database(admin_uri, database)), autocommit=True) as db:
        db.execute(sql.SQL("alter schema public owner to {}").format(sql.Identifier(owner_role)))
        # pgvector (episodic memory's embeddings) is not a trusted extension: the owner role
        # cannot create it, so the administrator does, where the server has it and the admin
        # may. Without it the migrations leave the embedding column out.
        db.execute(_CREATE_VECTOR_IF_POSSIBLE)
    return with_role(admin_uri, user=owner_role, password=owner_password, database=database)


_CREATE_VECTOR_IF_POSSIBLE = """
do $$
begin
  create extension if not exists vector;
exception when insufficient_privilege or undefined_file or feature_not_supported then
  raise notice 'pgvector is not available';
end
$$
"""


def drop_database(admin_uri: str, database: str) -> None:
    with psycopg.connect(libpq_uri(admin_uri), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database))
        )
