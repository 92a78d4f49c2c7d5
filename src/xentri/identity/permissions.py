"""Roles in an organization and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Permission(StrEnum):
    ORG_READ = "org.read"
    ORG_UPDATE = "org.update"
    ORG_DELETE = "org.delete"
    MEMBERS_READ = "members.read"
    MEMBERS_MANAGE = "members.manage"
    OWNERSHIP_TRANSFER = "ownership.transfer"
    API_KEYS_MANAGE = "api_keys.manage"
    DATA_READ = "data.read"
    DATA_WRITE = "data.write"


_MEMBER = frozenset(
    {Permission.ORG_READ, Permission.MEMBERS_READ, Permission.DATA_READ, Permission.DATA_WRITE}
)
_ADMIN = _MEMBER | {Permission.ORG_UPDATE, Permission.MEMBERS_MANAGE, Permission.API_KEYS_MANAGE}
_OWNER = _ADMIN | {Permission.ORG_DELETE, Permission.OWNERSHIP_TRANSFER}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEMBER: _MEMBER,
    Role.ADMIN: frozenset(_ADMIN),
    Role.OWNER: frozenset(_OWNER),
}
RANK = {Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}


def can(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]
