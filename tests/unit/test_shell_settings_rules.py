"""Pure rules behind the wizard and settings: when the wizard runs, which logos pass, the
order tenant rows are deleted in, the currency guessed from where someone is."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xentri.shell.logos import MAX_LOGO_BYTES, LogoRefusedError, logo_key, logo_type
from xentri.shell.onboarding import is_pending, may_open
from xentri.shell.org_data import deletion_order
from xentri.shell.region import currency_for, known_time_zone, time_zones


def progress(step: str, *, org: bool = False, done: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        step=step,
        created_org_id=uuid.uuid4() if org else None,
        completed_at=datetime.now(UTC) if done else None,
    )


def test_the_wizard_runs_for_a_new_person_and_never_for_an_invited_one():
    assert is_pending(None, has_orgs=False) is True
    assert is_pending(None, has_orgs=True) is False  # joined an existing org by invitation
    assert is_pending(progress("organization"), has_orgs=True) is False  # joined midway
    assert is_pending(progress("region", org=True), has_orgs=True) is True  # closed halfway
    assert is_pending(progress("region", org=True, done=True), has_orgs=True) is False


def test_steps_open_up_to_the_one_reached():
    assert may_open(None, "profile") is True
    assert may_open(None, "organization") is False
    assert may_open(progress("organization"), "profile") is True
    assert may_open(progress("organization"), "region") is False
    assert may_open(progress("region"), "organization") is True


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n rest", "image/png"),
        (b"\xff\xd8\xff\xe0 rest", "image/jpeg"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_png_jpeg_and_webp_are_recognised_by_their_bytes(data, expected):
    assert logo_type(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "svg"),
        (b'  <?xml version="1.0"?>\n<svg/>', "svg"),
        (b"GIF89a....", "type"),
        (b"<html><script>alert(1)</script>", "type"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_LOGO_BYTES, "size"),
    ],
)
def test_anything_else_is_refused_with_its_reason(data, reason):
    with pytest.raises(LogoRefusedError) as refused:
        logo_type(data)
    assert refused.value.reason == reason


def test_a_logo_key_is_built_from_the_org_id_only():
    org_id = uuid.UUID("00000000-0000-4000-8000-000000000001")
    assert logo_key(org_id) == "orgs/00000000-0000-4000-8000-000000000001/logo"


def test_rows_are_deleted_children_first():
    edges = [
        ("memberships", "organizations"),
        ("copilot_messages", "copilot_threads"),
        ("api_keys", "organizations"),
        ("memberships", "users"),  # not a tenant table: ignored
    ]
    tables = ["organizations", "memberships", "copilot_threads", "copilot_messages", "api_keys"]

    order = deletion_order(tables, edges)

    assert sorted(order) == sorted(tables)
    for referencing, referenced in edges:
        if referenced in tables:
            assert order.index(referencing) < order.index(referenced)


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdef")), max_size=12))
def test_every_table_is_deleted_exactly_once_even_with_cycles(edges):
    order = deletion_order("abcdef", edges)
    assert sorted(order) == list("abcdef")


@pytest.mark.parametrize(
    ("zone", "accept", "expected"),
    [
        ("America/Bogota", None, "COP"),
        ("America/Mexico_City", "en-US", "MXN"),  # where they are beats their browser's language
        (None, "es-AR,es;q=0.9", "ARS"),
        (None, "es", "USD"),  # a language without a region says nothing of the money
        ("Europe/Madrid", None, "EUR"),
        ("Asia/Tokyo", None, "USD"),  # not a currency offered: the default
        (None, "!!", "USD"),
    ],
)
def test_the_currency_comes_from_the_time_zone_then_the_language_region(zone, accept, expected):
    assert currency_for(time_zone=zone, accept_language=accept) == expected


def test_time_zones_are_real_iana_names_without_legacy_aliases():
    zones = time_zones()
    assert zones[0] == "UTC"
    assert "America/Mexico_City" in zones
    assert "US/Eastern" not in zones
    assert known_time_zone("Mars/Olympus") is None
