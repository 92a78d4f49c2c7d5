"""API models of invitations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from xentri.identity.permissions import Role

InvitationToken = Annotated[str, Field(min_length=10, max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InvitationCreate(_In):
    email: EmailStr
    role: Role = Role.MEMBER


class InvitationRead(BaseModel):
    """A pending invitation as its org sees it; the token is only ever in the email."""

    id: uuid.UUID
    email: str
    role: Role
    invited_by: uuid.UUID | None
    inviter_name: str | None
    expires_at: datetime
    created_at: datetime


class InvitationPreviewRead(BaseModel):
    org_name: str
    role: Role
    inviter_name: str | None
    email: str
    expires_at: datetime


class InvitationAcceptIn(_In):
    token: InvitationToken


class InvitationAcceptRead(BaseModel):
    org_id: uuid.UUID
    org_name: str
    role: Role = Field(description="Your role in the org (unchanged if you were already a member).")
    already_member: bool
