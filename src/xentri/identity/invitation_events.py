"""Audit events of invitations: ids and roles only, never the token, its hash or the email.

The invitee's email stays out on purpose: system_events is append-only, so an address written
there could never be erased. The invitation id leads to the row that holds it, which can be.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from xentri.contracts.events import EventPayload
from xentri.identity.events import Role
from xentri.kernel.events.registry import registry


class InvitationSent(
    EventPayload, event_type="xentri.org.invitation_sent.v1", schema="org.invitation_sent@1.0"
):
    invitation_id: uuid.UUID
    role: Role
    invited_by: uuid.UUID
    expires_at: datetime


class InvitationRevoked(
    EventPayload,
    event_type="xentri.org.invitation_revoked.v1",
    schema="org.invitation_revoked@1.0",
):
    invitation_id: uuid.UUID
    role: Role
    reason: Literal["revoked", "replaced"]  # replaced: the same address was invited again
    replaced_by: uuid.UUID | None = None


class InvitationAccepted(
    EventPayload,
    event_type="xentri.org.invitation_accepted.v1",
    schema="org.invitation_accepted@1.0",
):
    invitation_id: uuid.UUID
    user_id: uuid.UUID
    role: Role  # the member's role after accepting (unchanged when already a member)
    already_member: bool


registry.register(InvitationSent, InvitationRevoked, InvitationAccepted)
