"""The login roles the running system uses; the owner role only migrates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoleLogin:
    name: str
    password: str | None  # None: the password is managed outside Xentri; leave it alone


@dataclass(frozen=True)
class RuntimeRoles:
    app: RoleLogin  # requests and event handlers, always inside one org's transaction
    system: RoleLogin  # relay and scheduler: cross-org reads of the few tables they need
