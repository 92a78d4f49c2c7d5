"""Audit events of identity: facts only, never passwords, tokens or their hashes."""

from __future__ import annotations

import uuid
from typing import Literal

from xentri.contracts.events import EventPayload
from xentri.kernel.events.registry import registry

Role = Literal["owner", "admin", "member"]


class UserSignedUp(
    EventPayload, event_type="xentri.auth.signed_up.v1", schema="auth.signed_up@1.0"
):
    user_id: uuid.UUID


class LoginSucceeded(
    EventPayload, event_type="xentri.auth.login_succeeded.v1", schema="auth.login_succeeded@1.0"
):
    user_id: uuid.UUID
    session_id: uuid.UUID
    ip: str | None = None


class LoginFailed(
    EventPayload, event_type="xentri.auth.login_failed.v1", schema="auth.login_failed@1.0"
):
    user_id: uuid.UUID | None  # None: no such account (the email is not recorded)
    reason: Literal["bad_credentials", "throttled", "disabled"]
    ip: str | None = None


class PasswordChanged(
    EventPayload, event_type="xentri.auth.password_changed.v1", schema="auth.password_changed@1.0"
):
    user_id: uuid.UUID
    via: Literal["change", "reset"]


class EmailVerified(
    EventPayload, event_type="xentri.auth.email_verified.v1", schema="auth.email_verified@1.0"
):
    user_id: uuid.UUID


class OrgCreated(EventPayload, event_type="xentri.org.created.v1", schema="org.created@1.0"):
    org_id: uuid.UUID
    owner_id: uuid.UUID


class OrgSettingsChanged(
    EventPayload, event_type="xentri.org.settings_changed.v1", schema="org.settings_changed@1.0"
):
    changed: list[str]


class MemberRoleChanged(
    EventPayload,
    event_type="xentri.org.member_role_changed.v1",
    schema="org.member_role_changed@1.0",
):
    user_id: uuid.UUID
    old_role: Role
    new_role: Role


class MemberRemoved(
    EventPayload, event_type="xentri.org.member_removed.v1", schema="org.member_removed@1.0"
):
    user_id: uuid.UUID
    left: bool  # True when the member left on their own


class OwnershipTransferred(
    EventPayload,
    event_type="xentri.org.ownership_transferred.v1",
    schema="org.ownership_transferred@1.0",
):
    from_user_id: uuid.UUID
    to_user_id: uuid.UUID


class OrgDeleted(EventPayload, event_type="xentri.org.deleted.v1", schema="org.deleted@1.0"):
    """The org and every row of its data are gone; only its event log remains."""

    org_id: uuid.UUID
    deleted_by: uuid.UUID


class AccountDeleted(
    EventPayload, event_type="xentri.auth.account_deleted.v1", schema="auth.account_deleted@1.0"
):
    user_id: uuid.UUID


registry.register(
    UserSignedUp,
    LoginSucceeded,
    LoginFailed,
    PasswordChanged,
    EmailVerified,
    OrgCreated,
    OrgSettingsChanged,
    MemberRoleChanged,
    MemberRemoved,
    OwnershipTransferred,
    OrgDeleted,
    AccountDeleted,
)
