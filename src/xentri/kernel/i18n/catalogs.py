"""gettext catalogs compiled in memory from the committed .po files (no generated .mo in git)."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from xentri.kernel.i18n.negotiation import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

DOMAIN = "messages"


@dataclass(frozen=True)
class Catalogs:
    by_language: dict[str, gettext.NullTranslations]

    def get(self, language: str) -> gettext.NullTranslations:
        return self.by_language.get(language) or self.by_language[DEFAULT_LANGUAGE]


def po_path(locales_dir: Path, language: str) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(path: Path, language: str) -> gettext.GNUTranslations:
    """Parse one .po file and compile it the way msgfmt would; fuzzy entries are left out."""
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def load_catalogs(locales_dir: Path, languages: tuple[str, ...] = SUPPORTED_LANGUAGES) -> Catalogs:
    """Every language's translations; a language without a catalog falls back to the msgids."""
    loaded: dict[str, gettext.NullTranslations] = {}
    for language in languages:
        path = po_path(locales_dir, language)
        loaded[language] = (
            compile_po(path, language) if path.exists() else gettext.NullTranslations()
        )
    loaded.setdefault(DEFAULT_LANGUAGE, gettext.NullTranslations())
    return Catalogs(by_language=loaded)
