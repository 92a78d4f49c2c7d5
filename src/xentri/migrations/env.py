"""Alembic environment: runs as the owner role; the runtime role name comes from attributes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from xentri.kernel.db.urls import sqlalchemy_url
from xentri.migrations.registry import target_metadata

config = context.config


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(
        sqlalchemy_url(config.get_main_option("sqlalchemy.url") or ""),
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `xentri migrate`")
run_migrations_online()
