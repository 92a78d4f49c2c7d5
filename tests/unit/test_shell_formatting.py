"""Locale formatting and the shell's guard on where a form may send someone next."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from xentri.shell.formatting import datetime_in, money_in, number_in
from xentri.shell.templating import safe_next


def test_money_is_written_the_way_each_language_writes_it():
    assert money_in(1999, "USD", "en") == "$19.99"
    assert money_in(1999, "USD", "es") == "19,99\xa0US$"
    assert money_in(150000, "MXN", "es") == "1.500,00\xa0MXN"
    assert money_in(5000, "CLP", "en") == "CLP5,000"  # no minor unit in pesos chilenos


def test_numbers_and_dates_follow_the_language():
    assert number_in(1234567.5, "en") == "1,234,567.5"
    assert number_in(1234567.5, "es") == "1.234.567,5"
    moment = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
    assert datetime_in(moment, "en") == "Mar 1, 2026, 2:05:00\u202fPM"
    assert datetime_in(moment, "es") == "1 mar 2026, 14:05:00"
    assert datetime_in(None, "es") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/c/finance?x=1", "/c/finance?x=1"),
        ("/", "/"),
        (None, "/dashboard"),
        ("", "/dashboard"),
        ("//evil.test/", "/dashboard"),
        ("/\\evil.test", "/dashboard"),
        ("https://evil.test/", "/dashboard"),
        ("javascript:alert(1)", "/dashboard"),
        ("/ok\r\nSet-Cookie: x=y", "/dashboard"),
    ],
)
def test_next_is_only_ever_a_path_on_this_site(value, expected):
    assert safe_next(value) == expected
