"""What invitations refuse, with the status and problem type each refusal answers with."""

from __future__ import annotations

from xentri.kernel.errors import DomainError


class AlreadyMemberError(DomainError):
    status, code, title = 409, "already-member", "This person is already a member"


class InvitationNotFoundError(DomainError):
    # Also what another org's member gets for this org's invitation ids.
    status, code, title = 404, "invitation-not-found", "Invitation not found"


class InvitationUnavailableError(DomainError):
    # Only the token's holder gets this far, so saying why (reason=expired|revoked|accepted)
    # tells nobody anything they could not learn from their own email.
    status, code, title = 410, "invitation-unavailable", "This invitation can no longer be used"


class InvitationAlreadyAcceptedError(DomainError):
    status, code, title = 409, "invitation-accepted", "This invitation was already accepted"


class InvitationEmailMismatchError(DomainError):
    status, code, title = (
        403,
        "invitation-email-mismatch",
        "This invitation was sent to another email address",
    )
