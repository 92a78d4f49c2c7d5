"""The committed catalogs cover every string of the code and templates, Spanish fully."""

from __future__ import annotations

from pathlib import Path

from xentri.kernel.i18n import load_catalogs
from xentri.kernel.i18n.check import catalog_problems
from xentri.kernel.i18n.update import update_catalogs

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "src/xentri/locales"


def test_the_catalogs_match_the_code_and_spanish_is_complete():
    problems = catalog_problems(
        source_dir=ROOT / "src/xentri", mapping_file=ROOT / "babel.cfg", locales_dir=LOCALES
    )

    assert problems == []


def test_the_spanish_catalog_translates_at_run_time():
    catalogs = load_catalogs(LOCALES)

    assert catalogs.get("es").gettext("Log in") == "Iniciar sesión"
    assert catalogs.get("en").gettext("Log in") == "Log in"
    assert catalogs.get("xx").gettext("Log in") == "Log in"


def _project(tmp_path: Path, source: str, es_entries: str) -> tuple[Path, Path, Path]:
    src = tmp_path / "src"
    (src / "templates").mkdir(parents=True)
    (src / "views.py").write_text(source, encoding="utf-8")
    (src / "templates" / "page.html").write_text("<p>{{ _('Hello') }}</p>", encoding="utf-8")
    mapping = tmp_path / "babel.cfg"
    mapping.write_text("[python: **.py]\n[jinja2: **/templates/**.html]\n", encoding="utf-8")
    locales = tmp_path / "locales"
    for language, body in (("en", ""), ("es", es_entries)):
        path = locales / language / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True)
        path.write_text(body, encoding="utf-8")
    return src, mapping, locales


def _check(src: Path, mapping: Path, locales: Path) -> list[str]:
    return catalog_problems(source_dir=src, mapping_file=mapping, locales_dir=locales)


def test_the_check_reports_missing_stale_fuzzy_and_untranslated_strings(tmp_path):
    es = (
        'msgid "Hello"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Bye"\nmsgstr "Adiós"\n\n'
        'msgid "Gone"\nmsgstr "Ido"\n'
    )
    src, mapping, locales = _project(tmp_path, '_("Bye")\n_("Save")\n', es)

    problems = _check(src, mapping, locales)

    assert "es: untranslated 'Hello'" in problems
    assert "es: fuzzy 'Bye'" in problems
    assert "es: missing 'Save'" in problems
    assert "es: stale 'Gone' (no longer in the code or templates)" in problems
    assert "en: missing 'Hello'" in problems


def test_update_then_translate_leaves_nothing_to_report(tmp_path):
    src, mapping, locales = _project(tmp_path, '_("Save %(n)s")\n', "")
    update_catalogs(source_dir=src, mapping_file=mapping, locales_dir=locales)
    assert "es: untranslated 'Save %(n)s'" in _check(src, mapping, locales)
    po = locales / "es/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Hello"\nmsgstr ""', 'msgid "Hello"\nmsgstr "Hola"')
    text = text.replace(
        'msgid "Save %(n)s"\nmsgstr ""', 'msgid "Save %(n)s"\nmsgstr "Guardar %(n)s"'
    )
    po.write_text(text, encoding="utf-8")

    assert _check(src, mapping, locales) == []
    catalogs = load_catalogs(locales)
    assert catalogs.get("es").gettext("Save %(n)s") % {"n": 2} == "Guardar 2"


def test_a_translation_that_drops_a_placeholder_is_reported(tmp_path):
    src, mapping, locales = _project(
        tmp_path,
        '_("Wait %(seconds)s seconds")\n',
        'msgid "Hello"\nmsgstr "Hola"\n\nmsgid "Wait %(seconds)s seconds"\nmsgstr "Espera"\n',
    )
    (locales / "en/LC_MESSAGES/messages.po").write_text(
        'msgid "Hello"\nmsgstr ""\n\nmsgid "Wait %(seconds)s seconds"\nmsgstr ""\n',
        encoding="utf-8",
    )

    problems = _check(src, mapping, locales)

    assert len(problems) == 1
    assert problems == ["es: 'Wait %(seconds)s seconds': the translation's placeholders differ"]
