"""What a notification says, by message key: rendered when it is read or mailed, in the
recipient's language at that moment (a stored sentence would stay in the language it was
written in after the person switched). Parameters that differ by language (a module's name)
are stored in every language, as the catalogue keeps them."""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xentri.kernel.i18n import DEFAULT_LANGUAGE, Catalogs, load_catalogs, supported_language

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a message for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Message:
    title: str
    body: str


MESSAGES: dict[str, Message] = {
    "module_in_development": Message(
        title=N_("%(module)s is now in development"),
        body=N_(
            "You voted for %(module)s. We have started building it, and we will tell you "
            "when you can try it."
        ),
    ),
    "module_in_beta": Message(
        title=N_("%(module)s is now in beta"),
        body=N_(
            "You voted for %(module)s. You can try it now: it is in beta, and your "
            "feedback shapes what comes next."
        ),
    ),
}
# A key this version does not know (written by a newer one, or retired) still shows something.
_UNKNOWN = Message(title=N_("Notification"), body=N_("Open it to see what changed."))


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


@functools.cache
def catalogs() -> Catalogs:
    """The .po catalogs, compiled once on first use (the email sender runs without the shell)."""
    return load_catalogs(LOCALES_DIR)


def render(
    message_key: str,
    params: Mapping[str, Any],
    *,
    language: str,
    translations: gettext.NullTranslations | None = None,
) -> Rendered:
    language = supported_language(language) or DEFAULT_LANGUAGE
    translations = translations or catalogs().get(language)
    message = MESSAGES.get(message_key, _UNKNOWN)
    values = {name: _in(language, value) for name, value in params.items()}
    return Rendered(
        title=_filled(translations.gettext(message.title), values),
        body=_filled(translations.gettext(message.body), values),
    )


def email_text(
    rendered: Rendered, *, language: str, link: str, settings_link: str
) -> tuple[str, str]:
    """Subject and plain-text body of a notification's email."""
    translations = catalogs().get(supported_language(language) or DEFAULT_LANGUAGE)
    _ = translations.gettext
    body = "\n\n".join(
        (
            rendered.body,
            _("Open it in Xentri: %(link)s") % {"link": link},
            _("You get this email because you asked for it. Choose what we send you: %(link)s")
            % {"link": settings_link},
        )
    )
    return rendered.title, body + "\n"


def _in(language: str, value: Any) -> Any:
    """A value stored per language, in `language` (English when that one is missing)."""
    if isinstance(value, Mapping) and DEFAULT_LANGUAGE in value:
        return value.get(language) or value[DEFAULT_LANGUAGE]
    return value


def _filled(template: str, values: Mapping[str, Any]) -> str:
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        # A parameter missing from an old row: show the sentence rather than fail the page.
        return template
