"""API models of identity."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from xentri.identity.permissions import Role

Language = Literal["en", "es"]
OrgSize = Literal["solo", "2-10", "11-50", "51+"]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignupIn(_In):
    email: EmailStr
    password: Annotated[str, Field(min_length=1, max_length=1024)]
    name: Name
    preferred_language: Language = "en"


class LoginIn(_In):
    email: EmailStr
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class TokenIn(_In):
    token: Annotated[str, Field(min_length=10, max_length=200)]


class EmailIn(_In):
    email: EmailStr


class PasswordResetIn(_In):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    new_password: Annotated[str, Field(min_length=1, max_length=1024)]


class PasswordChangeIn(_In):
    current_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: Annotated[str, Field(min_length=1, max_length=1024)]


class ProfileUpdate(_In):
    name: Name | None = None
    phone: Annotated[str, Field(max_length=40, pattern=r"^\+?[0-9 ()\-.]{5,40}$")] | None = None
    avatar_url: Annotated[str, Field(max_length=500, pattern=r"^https?://")] | None = None
    preferred_language: Language | None = None


class UserRead(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    phone: str | None
    avatar_url: str | None
    preferred_language: str
    email_verified: bool


class SessionRead(BaseModel):
    user: UserRead
    active_org_id: uuid.UUID | None
    csrf_token: str


class OrgCreate(_In):
    name: Name
    industry: Annotated[str, Field(max_length=100)] | None = None
    size: OrgSize | None = None
    default_language: Language = "en"
    time_zone: str = "UTC"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError("unknown time zone (use an IANA name such as America/Mexico_City)")
        return value


class OrgUpdate(_In):
    name: Name | None = None
    industry: Annotated[str, Field(max_length=100)] | None = None
    size: OrgSize | None = None
    default_language: Language | None = None
    time_zone: str | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise ValueError("unknown time zone (use an IANA name such as America/Mexico_City)")
        return value


class OrgRead(BaseModel):
    id: uuid.UUID
    name: str
    industry: str | None
    size: str | None
    default_language: str
    time_zone: str
    currency: str
    role: Role
    created_at: datetime


class MemberRead(BaseModel):
    user_id: uuid.UUID
    name: str
    email: str
    role: Role
    joined_at: datetime


class RoleChange(_In):
    role: Role


class OwnershipTransfer(_In):
    to_user_id: uuid.UUID
