"""Pulse texts in the reader's language: message ids with parameters, filled at read time."""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping

from xentri.pulse.producers import Param


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a producer's text for the catalogs; it is translated when someone reads it."""
    return message


def in_language(
    text: str, params: Mapping[str, Param], lang: str, translations: _gettext.NullTranslations
) -> str:
    """The text translated and filled in; an agent's own words (no params) come back as they
    were written, since gettext returns a message it does not know unchanged."""
    if not text:
        return ""
    translated = translations.gettext(text)
    if not params:
        return translated
    values = {
        key: value if isinstance(value, str) else (value.get(lang) or value.get("en", ""))
        for key, value in params.items()
    }
    for candidate in (translated, text):
        try:
            return candidate % values
        except (KeyError, ValueError, TypeError):
            # A translation that lost a placeholder must not hide the item: try the source.
            continue
    return text
