"""Language negotiation: the person's choice, Accept-Language, the org's default, English."""

from __future__ import annotations

import pytest

from xentri.kernel.i18n import negotiate, parse_accept_language, supported_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", ["es-MX", "es", "en"]),
        ("en;q=0.2, es;q=0.8", ["es", "en"]),
        ("fr, es;q=0.5, en;q=0.5", ["fr", "es", "en"]),
        ("es;q=0, en", ["en"]),
        ("es;q=abc, en", ["en"]),
        ("", []),
        (None, []),
    ],
)
def test_accept_language_is_ordered_by_weight_then_position(header, expected):
    assert parse_accept_language(header) == expected


def test_a_tag_maps_to_its_supported_language():
    assert supported_language("es-419") == "es"
    assert supported_language("ES_mx") == "es"
    assert supported_language("en-GB") == "en"
    assert supported_language("fr-CA") is None
    assert supported_language("") is None


def test_the_persons_choice_wins():
    assert negotiate(choice="es", accept_language="en-US", org_default="en") == "es"


def test_then_the_browser_then_the_org_then_english():
    assert negotiate(accept_language="fr, es-AR;q=0.7", org_default="en") == "es"
    assert negotiate(accept_language="fr, de", org_default="es") == "es"
    assert negotiate(accept_language="fr") == "en"
    assert negotiate() == "en"


def test_an_unsupported_choice_falls_through_and_a_wildcard_stops_the_browser_list():
    assert negotiate(choice="de", accept_language="es") == "es"
    assert negotiate(accept_language="*, es", org_default="es") == "es"
    assert negotiate(accept_language="*, es") == "en"


def test_a_huge_header_is_cut_short():
    header = ",".join(["xx"] * 500 + ["es"])
    assert negotiate(accept_language=header) == "en"
