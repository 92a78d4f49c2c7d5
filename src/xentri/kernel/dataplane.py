"""Resolve (and when needed start) the PostgreSQL and Redis that Xentri runs against."""

from __future__ import annotations

import hashlib
import hmac
import warnings
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import SecretStr

from xentri.kernel.config import Settings
from xentri.kernel.db.provision import provision
from xentri.kernel.db.roles import RoleLogin, RuntimeRoles
from xentri.kernel.db.urls import with_role
from xentri.kernel.embedded.postgres import EmbeddedPostgres
from xentri.kernel.embedded.redis import EmbeddedRedis
from xentri.kernel.home import ensure_home

EMBEDDED_DATABASE = "xentri"
EMBEDDED_OWNER_ROLE = "xentri_owner"


class _Stoppable(Protocol):
    def stop(self) -> None: ...


@dataclass
class DataPlane:
    owner_database_url: str
    app_database_url: str
    system_database_url: str
    redis_url: str
    roles: RuntimeRoles
    embedded: list[_Stoppable] = field(default_factory=list)

    def stop(self) -> None:
        """Stop what we started, Redis first so nothing writes to a closing database."""
        for server in reversed(self.embedded):
            server.stop()
        self.embedded.clear()


def derived_secret(settings: Settings, purpose: str) -> str:
    """A stable secret for `purpose`, derived from the secret key."""
    assert settings.secret_key is not None, "call with_secret_key() first"
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, purpose.encode(), hashlib.sha256).hexdigest()


def start_data_plane(settings: Settings, *, attach: bool = False) -> DataPlane:
    """Start the embedded servers the settings leave unset, provision them, return URLs.

    With `attach`, servers a running `xentri serve` already owns are used as they are and
    left running (the operations commands); PostgreSQL is shared that way in any case.
    """
    embedded: list[_Stoppable] = []
    try:
        owner_url = settings.database_url
        if owner_url is None:
            home = ensure_home(settings.home)
            postgres = EmbeddedPostgres(home / "postgres")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                admin_url = postgres.start()
            embedded.append(postgres)
            owner_url = provision(
                admin_url,
                owner_role=EMBEDDED_OWNER_ROLE,
                owner_password=derived_secret(settings, "database-owner-password"),
                database=EMBEDDED_DATABASE,
            )
        redis_url = settings.redis_url
        if redis_url is None:
            redis_server = EmbeddedRedis(ensure_home(settings.home) / "redis")
            redis_url = redis_server.attach() if attach else None
            if redis_url is None:
                redis_url = redis_server.start()
                embedded.append(redis_server)
    except BaseException:
        for server in reversed(embedded):
            server.stop()
        raise
    app_url, app_login = _login(
        settings,
        owner_url,
        url=settings.database_app_url,
        role=settings.database_app_role,
        password=settings.database_app_password,
        purpose="database-app-password",
    )
    system_url, system_login = _login(
        settings,
        owner_url,
        url=settings.database_system_url,
        role=settings.database_system_role,
        password=settings.database_system_password,
        purpose="database-system-password",
    )
    return DataPlane(
        owner_database_url=owner_url,
        app_database_url=app_url,
        system_database_url=system_url,
        redis_url=redis_url,
        roles=RuntimeRoles(app=app_login, system=system_login),
        embedded=embedded,
    )


def _login(
    settings: Settings,
    owner_url: str,
    *,
    url: str | None,
    role: str,
    password: SecretStr | None,
    purpose: str,
) -> tuple[str, RoleLogin]:
    """The URL a runtime role connects with, and the password `migrate` should give it."""
    if url is not None:
        return url, RoleLogin(role, None)
    secret = password.get_secret_value() if password else derived_secret(settings, purpose)
    return with_role(owner_url, user=role, password=secret), RoleLogin(role, secret)
