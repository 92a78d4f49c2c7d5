"""One real PostgreSQL and one real Redis per test run, shared by every integration test.

Embedded servers by default; XENTRI_TEST_DATABASE_URL (a role that can create roles and
databases) and XENTRI_TEST_REDIS_URL point the run at existing servers instead. Tests stay
isolated by using a fresh org (or, before identity exists, a fresh caller address) each.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import SecretStr

from xentri.composition import compose
from xentri.kernel.config import Settings
from xentri.kernel.db.migrate import migrate
from xentri.kernel.db.provision import drop_database, provision
from xentri.kernel.db.roles import RoleLogin, RuntimeRoles
from xentri.kernel.db.urls import libpq_uri, with_role
from xentri.kernel.embedded.postgres import EmbeddedPostgres
from xentri.kernel.embedded.redis import EmbeddedRedis


@dataclass(frozen=True)
class TestServers:
    admin_url: str
    owner_url: str
    app_url: str
    app_role: str
    system_url: str
    system_role: str
    owner_role: str
    database: str
    redis_url: str
    workdir: Path
    roles: RuntimeRoles


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestServers]:
    workdir = tmp_path_factory.mktemp("servers")
    run_id = secrets.token_hex(4)
    stack = contextlib.ExitStack()
    with stack:
        admin_url = os.environ.get("XENTRI_TEST_DATABASE_URL")
        if not admin_url:
            postgres = EmbeddedPostgres(workdir / "postgres")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                admin_url = postgres.start(throwaway=True)
            stack.callback(postgres.stop)
        redis_url = os.environ.get("XENTRI_TEST_REDIS_URL")
        if not redis_url:
            redis_server = EmbeddedRedis(workdir / "redis")
            redis_url = redis_server.start(throwaway=True)
            stack.callback(redis_server.stop)

        database = f"xentri_test_{run_id}"
        owner_role = f"xentri_owner_{run_id}"
        app_role, system_role = f"xentri_app_{run_id}", f"xentri_system_{run_id}"
        owner_url = provision(
            admin_url, owner_role=owner_role, owner_password=secrets.token_hex(8), database=database
        )
        stack.callback(_drop_roles, admin_url, owner_role, app_role, system_role)
        stack.callback(drop_database, admin_url, database)
        roles = RuntimeRoles(
            app=RoleLogin(app_role, secrets.token_hex(8)),
            system=RoleLogin(system_role, secrets.token_hex(8)),
        )
        migrate(owner_url, roles=roles)
        _create_test_tables(owner_url, app_role)
        yield TestServers(
            admin_url=admin_url,
            owner_url=owner_url,
            app_url=with_role(owner_url, user=app_role, password=roles.app.password),
            app_role=app_role,
            system_url=with_role(owner_url, user=system_role, password=roles.system.password),
            system_role=system_role,
            roles=roles,
            owner_role=owner_role,
            database=database,
            redis_url=redis_url,
            workdir=workdir,
        )


def _create_test_tables(owner_url: str, app_role: str) -> None:
    import psycopg
    from psycopg import sql

    from tests.support.events import HANDLED_TABLE
    from tests.support.routes import EFFECTS_TABLE, TEST_SCHEMA

    schema = sql.Identifier(TEST_SCHEMA)
    with psycopg.connect(libpq_uri(owner_url), autocommit=True) as conn:
        conn.execute(sql.SQL("create schema if not exists {}").format(schema))
        conn.execute(
            sql.SQL("grant usage on schema {} to {}").format(schema, sql.Identifier(app_role))
        )
        conn.execute(
            sql.SQL(
                "alter default privileges in schema {} "
                "grant select, insert, update, delete on tables to {}"
            ).format(schema, sql.Identifier(app_role))
        )
        conn.execute(EFFECTS_TABLE)
        conn.execute(HANDLED_TABLE)


def _drop_roles(admin_url: str, *roles: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(libpq_uri(admin_url), autocommit=True) as conn:
        for role in roles:
            conn.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(role)))


@pytest.fixture(scope="session")
def owner_conn(servers: TestServers) -> Iterator[Any]:
    """A psycopg connection as the owner role, for test set-up that the app role may not do."""
    import psycopg

    with psycopg.connect(libpq_uri(servers.owner_url), autocommit=True) as conn:
        yield conn


def make_settings(servers: TestServers, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "home": tmp_path / "home",
        "secret_key": SecretStr("test-secret-" + secrets.token_hex(8)),
        "database_url": servers.owner_url,
        "database_app_url": servers.app_url,
        "database_app_role": servers.app_role,
        "database_system_url": servers.system_url,
        "database_system_role": servers.system_role,
        "redis_url": servers.redis_url,
        "database_pool_size": 5,
    }
    values.update(overrides)
    return Settings(**values)


_addresses = itertools.count(1)


def fresh_client_address() -> tuple[str, int]:
    """A caller address no other test uses: its own rate-limit and idempotency scope."""
    n = next(_addresses)
    return (f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}", 40000)


AppFactory = Callable[..., FastAPI]


@pytest.fixture
async def make_app(servers: TestServers, tmp_path: Path) -> AsyncIterator[AppFactory]:
    """Build an app against the run's servers; settings overrides and extra routers allowed."""
    built: list[FastAPI] = []

    def factory(*, routers: tuple[APIRouter, ...] = (), **overrides: Any) -> FastAPI:
        redis_url = overrides.pop("redis_url", servers.redis_url)
        settings = make_settings(servers, tmp_path, redis_url=redis_url, **overrides)
        app = compose(
            settings, database_url=servers.app_url, redis_url=redis_url, extra_routers=routers
        )
        built.append(app)
        return app

    yield factory
    for app in built:
        await app.state.redis.aclose()
        await app.state.engine.dispose()


@pytest.fixture
def client_for() -> Callable[[FastAPI], httpx.AsyncClient]:
    def build(app: FastAPI, address: tuple[str, int] | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(
            app=app, client=address or fresh_client_address(), raise_app_exceptions=False
        )
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    return build
