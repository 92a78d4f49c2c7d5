"""Async engines. The app's engine connects as the runtime role, never the owner."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from xentri.kernel.db.urls import sqlalchemy_url


def create_engine(
    uri: str, *, pool_size: int = 10, application_name: str = "xentri"
) -> AsyncEngine:
    return create_async_engine(
        sqlalchemy_url(uri),
        pool_size=pool_size,
        # Overflow connections are closed on return: under load they churn (connect per
        # request). A fixed pool makes callers queue for a warm connection instead.
        max_overflow=0,
        pool_timeout=10,
        pool_pre_ping=True,
        pool_recycle=1800,
        # Server-side prepared statements break behind PgBouncer in transaction mode.
        connect_args={"prepare_threshold": None, "application_name": application_name},
    )
