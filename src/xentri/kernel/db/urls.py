"""Connection URLs: libpq URIs in, SQLAlchemy (psycopg 3) URLs out."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url


def sqlalchemy_url(uri: str) -> URL:
    """Turn a postgres:// or postgresql:// URI into a SQLAlchemy URL using psycopg 3."""
    url = make_url(uri)
    if url.drivername in {"postgres", "postgresql", "postgresql+psycopg2", "postgresql+asyncpg"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.password == "":
        url = url.set(password=None)
    return url


def with_role(uri: str, *, user: str, password: str | None, database: str | None = None) -> str:
    """The same server as `uri`, as another role (and optionally another database)."""
    url = make_url(uri).set(username=user, password=password)
    if database is not None:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


def libpq_uri(uri: str) -> str:
    """A URI psycopg.connect accepts (no SQLAlchemy driver suffix)."""
    url = make_url(uri)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(uri: str, database: str) -> str:
    """The same server and role as `uri`, on another database."""
    return make_url(uri).set(database=database).render_as_string(hide_password=False)
