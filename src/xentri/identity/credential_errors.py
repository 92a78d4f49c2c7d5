"""What API keys, service tokens and bearer authentication refuse, as problem types."""

from __future__ import annotations

from xentri.kernel.errors import DomainError


class InvalidBearerError(DomainError):
    # One answer for unknown, revoked and expired keys: nothing to learn by probing.
    status, code, title = 401, "invalid-bearer", "The bearer credential is not valid"


class InvalidServiceTokenError(DomainError):
    status, code, title = 401, "invalid-service-token", "The service token is not valid"


class BearerNotAllowedError(DomainError):
    status, code, title = 403, "bearer-not-allowed", "Sign in to do this"


class ApiKeyNotFoundError(DomainError):
    status, code, title = 404, "api-key-not-found", "API key not found"


class InvalidApiKeyExpiryError(DomainError):
    status, code, title = 422, "invalid-api-key-expiry", "Choose an expiry in the future"


class SecretNotReplayableError(DomainError):
    # The idempotency store keeps response bodies in plain text; a secret must not land there.
    status, code, title = 400, "idempotency-not-supported", "Idempotency-Key is not accepted here"
