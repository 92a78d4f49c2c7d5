"""Identity's refusals, worded for people in their language (identity's own texts are English
API details; the shell maps its stable codes instead of showing them)."""

from __future__ import annotations

from xentri.identity.errors import TooManyAttemptsError, WeakPasswordError
from xentri.shell.i18n import N_
from xentri.shell.visitor import Visitor

PASSWORD_PROBLEMS = {
    "password_too_short": N_("Use at least 10 characters."),
    "password_too_long": N_("Use at most 256 characters."),
    "password_too_common": N_(
        "This password is too common or too easy to guess. Try a short phrase instead."
    ),
}


def weak_password(visitor: Visitor, exc: WeakPasswordError) -> str:
    reason = str(exc.extensions.get("reason", ""))
    return visitor.gettext(PASSWORD_PROBLEMS.get(reason, "password_too_common"))


def too_many_attempts(visitor: Visitor, exc: TooManyAttemptsError) -> str:
    return visitor.gettext(
        "Too many attempts. Wait %(seconds)s seconds and try again.",
        seconds=exc.extensions.get("retry_after", 60),
    )
