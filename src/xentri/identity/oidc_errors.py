"""What OIDC sign-in refuses, with the status and problem type of each refusal."""

from __future__ import annotations

from xentri.kernel.errors import DomainError


class OidcNotConfiguredError(DomainError):
    status, code, title = 404, "oidc-not-configured", "OIDC is not configured"


class OidcUnavailableError(DomainError):
    status, code, title = 503, "oidc-unavailable", "Sign-in with your provider is unavailable"


class OidcProviderError(DomainError):
    status, code, title = 502, "oidc-provider-error", "Your identity provider did not answer"


class OidcStateError(DomainError):
    status, code, title = 400, "oidc-invalid-state", "This sign-in attempt is invalid or expired"


class OidcDeniedError(DomainError):
    status, code, title = 400, "oidc-denied", "Your identity provider did not sign you in"


class OidcIdTokenError(DomainError):
    status, code, title = 401, "oidc-invalid-id-token", "The identity provider's answer is invalid"


class OidcEmailUnverifiedError(DomainError):
    status, code, title = 403, "oidc-email-unverified", "Your provider has not verified your email"


class AccountDisabledError(DomainError):
    status, code, title = 403, "account-disabled", "This account is disabled"
