"""The language of a page: the account's choice when signed in, else the language cookie, else
the browser's Accept-Language, else English (xentri.kernel.i18n.negotiate)."""

from __future__ import annotations

from fastapi import Request

from xentri.kernel.i18n import negotiate, supported_language

LANG_COOKIE = "xentri_lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600

# Language names are written in their own language, so everyone can find theirs.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def page_language(request: Request, *, account_language: str | None = None) -> str:
    """Signed in, the account's preference is the person's choice (it starts as the language
    they signed up in); signed out, the cookie set by the language switcher is."""
    choice = account_language or supported_language(request.cookies.get(LANG_COOKIE))
    return negotiate(choice=choice, accept_language=request.headers.get("accept-language"))
