"""Bring every catalog in line with the code: add new strings (empty), drop removed ones, keep
translations. Run as `python -m xentri.kernel.i18n.update` from the repository root."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from xentri.kernel.i18n.catalogs import DOMAIN, po_path
from xentri.kernel.i18n.extract import LOCALES_DIR, MAPPING_FILE, SOURCE_DIR, extract_template
from xentri.kernel.i18n.negotiation import SUPPORTED_LANGUAGES


def update_catalogs(
    *,
    source_dir: Path = SOURCE_DIR,
    mapping_file: Path = MAPPING_FILE,
    locales_dir: Path = LOCALES_DIR,
    languages: tuple[str, ...] = SUPPORTED_LANGUAGES,
) -> None:
    template = extract_template(source_dir=source_dir, mapping_file=mapping_file)
    for language in languages:
        path = po_path(locales_dir, language)
        if path.exists():
            with path.open("rb") as source:
                catalog = read_po(source, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(
                locale=language, domain=DOMAIN, project="xentri", copyright_holder="Xentri"
            )
        catalog.fuzzy = False  # the header is written by this tool, not guessed
        # No fuzzy matching: a guessed translation is worse than an empty one the check reports.
        catalog.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            write_po(target, catalog, ignore_obsolete=True, omit_header=False, width=100)


if __name__ == "__main__":
    update_catalogs()
