"""What identity refuses, with the status and problem type each refusal answers with."""

from __future__ import annotations

from xentri.kernel.errors import DomainError


class InvalidCredentialsError(DomainError):
    # One message whether the email exists or not: nothing to learn by guessing.
    status, code, title = 401, "invalid-credentials", "Email or password is incorrect"


class NotAuthenticatedError(DomainError):
    status, code, title = 401, "unauthenticated", "Sign in to continue"


class CsrfError(DomainError):
    status, code, title = 403, "csrf-failed", "Missing or invalid CSRF token"


class TooManyAttemptsError(DomainError):
    status, code, title = 429, "too-many-attempts", "Too many attempts"


class WeakPasswordError(DomainError):
    status, code, title = 422, "weak-password", "Choose a stronger password"


class EmailTakenError(DomainError):
    status, code, title = 409, "email-taken", "An account with this email already exists"


class InvalidTokenError(DomainError):
    status, code, title = 400, "invalid-token", "This link is invalid or has expired"


class OrgNotFoundError(DomainError):
    # Also what a non-member gets: whether another org exists is not theirs to know.
    status, code, title = 404, "org-not-found", "Organization not found"


class ForbiddenError(DomainError):
    status, code, title = 403, "forbidden", "Your role does not allow this"


class MemberNotFoundError(DomainError):
    status, code, title = 404, "member-not-found", "Member not found"


class LastOwnerError(DomainError):
    status, code, title = 409, "last-owner", "An organization needs an owner"
