"""Find every translatable string in the code and templates, as babel.cfg maps them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

# Paths relative to the repository root: the app's sources, its mapping, its catalogs.
SOURCE_DIR = Path("src/xentri")
MAPPING_FILE = Path("babel.cfg")
LOCALES_DIR = Path("src/xentri/locales")


def extract_template(*, source_dir: Path, mapping_file: Path) -> Catalog:
    """The .pot as it would be generated now (in memory: it is never committed)."""
    with mapping_file.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(  # type: ignore[no-untyped-call]
            mapping, filename=str(mapping_file)
        )
    template = Catalog(project="xentri", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source_dir), method_map, options_map, strip_comment_tags=True
    ):
        template.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return template
