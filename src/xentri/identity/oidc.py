"""Sign in with an OpenID Connect provider: its settings and the code flow with PKCE.

Optional: with no issuer configured nothing here runs. The provider only proves who is at the
keyboard (a verified email); the account, its sessions and its roles stay Xentri's.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson
import structlog
from email_validator import EmailNotValidError, validate_email
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from redis.asyncio import Redis
from redis.exceptions import RedisError

from xentri.identity.oidc_errors import (
    OidcEmailUnverifiedError,
    OidcStateError,
    OidcUnavailableError,
)
from xentri.identity.tokens import hash_secret, same

if TYPE_CHECKING:
    from xentri.identity.oidc_provider import OidcProvider

log = structlog.get_logger("xentri.identity")

CALLBACK_PATH = "/api/v1/auth/oidc/callback"
FLOW_LIFETIME = timedelta(minutes=10)
_FLOW_KEY = "oidc:flow:"
_ERROR_CODE = re.compile(r"[a-z_]{1,64}")


class OidcSettings(BaseSettings):
    """XENTRI_OIDC_*. Without an issuer and a client id, OIDC sign-in is off."""

    model_config = SettingsConfigDict(
        env_prefix="XENTRI_OIDC_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    issuer: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None  # unset: a public client, protected by PKCE alone
    scopes: str = "openid email profile"
    # The callback URL registered with the provider; unset: {public_url}/api/v1/auth/oidc/callback.
    redirect_url: str | None = None
    org_claim: str | None = None  # an ID token claim holding a Xentri org id, e.g. org_id
    trust_org_claim: bool = False  # only then may the claim make a non-member a member
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    clock_skew_seconds: int = Field(default=60, ge=0, le=300)

    @field_validator("issuer", "client_id", "redirect_url", "org_claim", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("issuer")
    @classmethod
    def _secure_issuer(cls, value: str | None) -> str | None:
        return None if value is None else require_secure_url(value)

    @field_validator("redirect_url")
    @classmethod
    def _absolute_redirect(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise ValueError("must be an absolute http(s) URL")
        return value

    @field_validator("scopes")
    @classmethod
    def _openid_and_email(cls, value: str) -> str:
        scopes = list(dict.fromkeys(value.replace(",", " ").split()))
        if missing := {"openid", "email"} - set(scopes):
            raise ValueError(f"must include {' and '.join(sorted(missing))}")
        return " ".join(scopes)

    @model_validator(mode="after")
    def _issuer_and_client_together(self) -> OidcSettings:
        if (self.issuer is None) != (self.client_id is None):
            raise ValueError("set both XENTRI_OIDC_ISSUER and XENTRI_OIDC_CLIENT_ID, or neither")
        return self

    @property
    def configured(self) -> bool:
        return self.issuer is not None and self.client_id is not None


def require_secure_url(url: str) -> str:
    """Refuse a provider URL that is not https, except on this machine's loopback."""
    parts = urlsplit(url)
    if parts.hostname and (
        parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname))
    ):
        return url
    raise ValueError(f"{url!r} must be an https URL (plain http only on the loopback)")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class PendingLogin:
    """What the callback needs from the login that started the flow (kept in Redis)."""

    nonce: str
    verifier: str
    redirect_url: str
    next_path: str


@dataclass(frozen=True)
class LoginStart:
    authorization_url: str
    browser_binding: str  # for the flow cookie: the state is only good in this browser


@dataclass(frozen=True)
class ProviderIdentity:
    """A person as the provider vouches for them, reduced to what Xentri uses."""

    subject: str
    email: str
    name: str
    preferred_language: str
    avatar_url: str | None
    org_id: uuid.UUID | None  # the org claim, when configured, present and an org id


async def begin_login(
    *, provider: OidcProvider, redis: Redis, redirect_url: str, next_path: str
) -> LoginStart:
    """Remember a new flow server-side and return where to send the browser."""
    state, nonce, verifier, binding = (secrets.token_urlsafe(32) for _ in range(4))
    url = await provider.authorization_url(
        state=state, nonce=nonce, verifier=verifier, redirect_url=redirect_url
    )
    record = {
        "nonce": nonce,
        "verifier": verifier,
        "redirect_url": redirect_url,
        "next_path": next_path,
        "binding": hash_secret(binding),
    }
    try:
        await redis.set(_flow_key(state), orjson.dumps(record), ex=FLOW_LIFETIME, nx=True)
    except (RedisError, OSError) as exc:
        log.warning("oidc_flow_store_unavailable", error=repr(exc))
        raise OidcUnavailableError("Try again in a moment.") from None
    return LoginStart(authorization_url=url, browser_binding=binding)


async def take_pending_login(
    *, redis: Redis, state: str | None, browser_binding: str | None
) -> PendingLogin:
    """Consume the flow a state names: once only, and only in the browser that started it."""
    if not state:
        raise OidcStateError("The provider sent no state. Start the sign-in again.")
    try:
        # GETDEL: a replayed callback finds nothing, however fast it follows the first.
        raw = await redis.getdel(_flow_key(state))
    except (RedisError, OSError) as exc:
        log.warning("oidc_flow_store_unavailable", error=repr(exc))
        raise OidcUnavailableError("Try again in a moment.") from None
    if raw is None:
        raise OidcStateError("It was already used or has expired. Start the sign-in again.")
    record = orjson.loads(raw)
    # Without this, someone could start a flow, then send you its callback link and sign
    # you in to their account (login CSRF).
    if not browser_binding or not same(hash_secret(browser_binding), record["binding"]):
        raise OidcStateError("It was started in another browser. Start the sign-in again.")
    return PendingLogin(
        nonce=record["nonce"],
        verifier=record["verifier"],
        redirect_url=record["redirect_url"],
        next_path=record["next_path"],
    )


def identity_from_claims(claims: dict[str, Any], *, org_claim: str | None) -> ProviderIdentity:
    """The verified email and profile of validated ID token claims."""
    email = claims.get("email")
    if not isinstance(email, str):
        raise OidcEmailUnverifiedError("It shared no email address (is the email scope allowed?).")
    # Some providers send the flag as a string; `is True` because 1 == True in Python.
    verified = claims.get("email_verified")
    if not (verified is True or verified in ("true", "True")):
        raise OidcEmailUnverifiedError("Verify your email address with your provider first.")
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise OidcEmailUnverifiedError("It shared an address that is not an email.") from None
    return ProviderIdentity(
        subject=str(claims["sub"]),
        email=email,
        name=_display_name(claims, email),
        preferred_language=_language(claims.get("locale")),
        avatar_url=_avatar(claims.get("picture")),
        org_id=_org_id(claims.get(org_claim)) if org_claim else None,
    )


def safe_next_path(value: str | None) -> str:
    """A path on this site to land on after sign-in; anything else lands on '/'."""
    if not value or len(value) > 1000 or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return "/"
    parts = urlsplit(value)
    return "/" if parts.scheme or parts.netloc else value


def provider_error_code(value: object) -> str:
    """An OAuth error code fit to echo back (it comes from a URL anyone can type)."""
    return value if isinstance(value, str) and _ERROR_CODE.fullmatch(value) else "unknown"


def _flow_key(state: str) -> str:
    # Hashed: the state travels in URLs and logs; the key should not be findable from it.
    return _FLOW_KEY + hash_secret(state)


def _display_name(claims: dict[str, Any], email: str) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    return (name.strip() or email.split("@", 1)[0])[:200]


def _language(locale: object) -> str:
    return "es" if isinstance(locale, str) and locale.lower()[:2] == "es" else "en"


def _avatar(picture: object) -> str | None:
    if isinstance(picture, str) and picture.startswith("https://") and len(picture) <= 500:
        return picture
    return None


def _org_id(value: object) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
