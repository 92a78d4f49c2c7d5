"""Service tokens: a signed JWT (HS256) one Xentri process shows another, valid 5 minutes at most.

They carry the org the call acts in, the trace it belongs to and the calling service; nothing is
stored, so they cannot be revoked — which is why they live minutes, not days.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from xentri.identity.credential_errors import InvalidServiceTokenError

AUDIENCE = "xentri-service"
ISSUER = "xentri"
MAX_TTL = timedelta(minutes=5)
DEFAULT_TTL = timedelta(minutes=1)
# Tolerated clock difference between the issuing and the verifying host.
CLOCK_SKEW = timedelta(seconds=10)

_ALGORITHM = "HS256"
# Its own key, derived from the secret key: a token signed for anything else (a CSRF token,
# a future signed link) can never pass as a service token, and the reverse.
_KEY_PURPOSE = b"xentri/service-token/v1"
_MAX_TOKEN_LENGTH = 4096
_SUBJECT = re.compile(r"^[a-z][a-z0-9_.\-]{0,63}$")
_TRACE_ID = re.compile(r"^[0-9a-f]{32}$")
_REQUIRED = ["iss", "aud", "sub", "iat", "exp", "org_id", "trace_id"]


@dataclass(frozen=True)
class ServiceTokenClaims:
    org_id: uuid.UUID
    trace_id: str
    subject: str
    issued_at: datetime
    expires_at: datetime


def issue_service_token(
    secret_key: str,
    *,
    org_id: uuid.UUID,
    trace_id: str,
    subject: str,
    ttl: timedelta = DEFAULT_TTL,
    now: datetime | None = None,
) -> str:
    """Sign a token for one service-to-service call in `org_id`."""
    if not secret_key:
        raise ValueError("a secret key is required to sign service tokens")
    if not timedelta(seconds=1) <= ttl <= MAX_TTL:
        raise ValueError(f"a service token lives 1 to {int(MAX_TTL.total_seconds())} seconds")
    if not _SUBJECT.match(subject):
        raise ValueError("subject must be a service name such as 'scheduler' or 'agents.finance'")
    if not _TRACE_ID.match(trace_id):
        raise ValueError("trace_id must be 32 lowercase hex digits (a W3C trace id)")
    issued = int((now or datetime.now(UTC)).timestamp())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": subject,
        "iat": issued,
        "exp": issued + int(ttl.total_seconds()),
        "org_id": str(org_id),
        "trace_id": trace_id,
    }
    return jwt.encode(claims, _signing_key(secret_key), algorithm=_ALGORITHM)


def verify_service_token(
    secret_key: str, token: str, *, now: datetime | None = None
) -> ServiceTokenClaims:
    """The claims of a genuine, current token; InvalidServiceTokenError (401) otherwise."""
    if not secret_key or len(token) > _MAX_TOKEN_LENGTH:
        raise InvalidServiceTokenError("The token cannot be verified.", reason="malformed")
    try:
        # Only HS256 is accepted: "none" and public-key algorithms never reach the key.
        # exp and iat are checked below against `now`, which PyJWT cannot be given.
        claims: dict[str, Any] = jwt.decode(
            token,
            _signing_key(secret_key),
            algorithms=[_ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={
                "require": _REQUIRED,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise InvalidServiceTokenError(
            "The signature does not match.", reason="signature"
        ) from None
    except jwt.InvalidAudienceError:
        raise InvalidServiceTokenError(
            "The token is not for this audience.", reason="audience"
        ) from None
    except jwt.InvalidIssuerError:
        raise InvalidServiceTokenError("The token has another issuer.", reason="issuer") from None
    except jwt.InvalidTokenError:
        raise InvalidServiceTokenError("The token is malformed.", reason="malformed") from None
    return _checked(claims, now or datetime.now(UTC))


def _checked(claims: dict[str, Any], now: datetime) -> ServiceTokenClaims:
    iat, exp = claims["iat"], claims["exp"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (iat, exp)):
        raise InvalidServiceTokenError("iat and exp must be whole seconds.", reason="malformed")
    skew = CLOCK_SKEW.total_seconds()
    if not 0 < exp - iat <= MAX_TTL.total_seconds():
        raise InvalidServiceTokenError("A token must live 1 to 300 seconds.", reason="ttl")
    if iat > now.timestamp() + skew:
        raise InvalidServiceTokenError("The token is issued in the future.", reason="not_yet")
    if exp <= now.timestamp() - skew:
        raise InvalidServiceTokenError("The token has expired.", reason="expired")
    subject, trace_id = claims["sub"], claims["trace_id"]
    if not isinstance(subject, str) or not _SUBJECT.match(subject):
        raise InvalidServiceTokenError("sub is not a service name.", reason="malformed")
    if not isinstance(trace_id, str) or not _TRACE_ID.match(trace_id):
        raise InvalidServiceTokenError("trace_id is not a trace id.", reason="malformed")
    try:
        org_id = uuid.UUID(str(claims["org_id"]))
    except ValueError:
        raise InvalidServiceTokenError("org_id is not an id.", reason="malformed") from None
    return ServiceTokenClaims(
        org_id=org_id,
        trace_id=trace_id,
        subject=subject,
        issued_at=datetime.fromtimestamp(iat, UTC),
        expires_at=datetime.fromtimestamp(exp, UTC),
    )


def _signing_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), _KEY_PURPOSE, hashlib.sha256).digest()
