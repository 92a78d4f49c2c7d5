"""Fail when a catalog lacks a string of the code, keeps one the code dropped, or leaves Spanish
untranslated or fuzzy. Run as `python -m xentri.kernel.i18n.check` from the repository root."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from xentri.kernel.i18n.catalogs import DOMAIN, po_path
from xentri.kernel.i18n.extract import LOCALES_DIR, MAPPING_FILE, SOURCE_DIR, extract_template
from xentri.kernel.i18n.negotiation import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog_problems(
    *,
    source_dir: Path = SOURCE_DIR,
    mapping_file: Path = MAPPING_FILE,
    locales_dir: Path = LOCALES_DIR,
    languages: tuple[str, ...] = SUPPORTED_LANGUAGES,
) -> list[str]:
    template = extract_template(source_dir=source_dir, mapping_file=mapping_file)
    wanted = {_key(message.id, message.context) for message in template if message.id}
    problems: list[str] = []
    for language in languages:
        path = po_path(locales_dir, language)
        if not path.exists():
            problems.append(f"{language}: no catalog at {path}")
            continue
        with path.open("rb") as source:
            catalog = read_po(source, locale=language, domain=DOMAIN)
        problems.extend(_problems_of(catalog, language, wanted))
    return problems


def _problems_of(catalog: Catalog, language: str, wanted: set[str]) -> list[str]:
    problems: list[str] = []
    present = {_key(message.id, message.context): message for message in catalog if message.id}
    for key in sorted(wanted - present.keys()):
        problems.append(f"{language}: missing {key!r}")
    for key in sorted(present.keys() - wanted):
        problems.append(f"{language}: stale {key!r} (no longer in the code or templates)")
    for key, message in sorted(present.items()):
        if message.fuzzy:
            problems.append(f"{language}: fuzzy {key!r}")
        # English is the source language: an empty msgstr means "the msgid as written".
        if language != DEFAULT_LANGUAGE and not _translated(message.string):
            problems.append(f"{language}: untranslated {key!r}")
        if _translated(message.string) and _placeholders(message.string) != _placeholders(
            message.id
        ):
            problems.append(f"{language}: {key!r}: the translation's placeholders differ")
    return problems


def _placeholders(text: object) -> set[str]:
    # %(name)s placeholders, whatever flags the .po file carries (a hand edit may drop them).
    parts = text if isinstance(text, tuple | list) else (text,)
    return {name for part in parts for name in _PLACEHOLDER.findall(str(part))}


def _key(message_id: object, context: str | None) -> str:
    text = message_id[0] if isinstance(message_id, tuple | list) else str(message_id)
    return f"{context}|{text}" if context else text


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(bool(part) for part in string)
    return bool(string)


def main() -> int:
    problems = catalog_problems()
    for problem in problems:
        print(problem, file=sys.stderr)  # noqa: T201
    if problems:
        print(  # noqa: T201
            f"{len(problems)} catalog problem(s); run `python -m xentri.kernel.i18n.update`, "
            "then translate what it added.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
