"""Budget windows: resets at 00/06/12/18 org-local, correct across time zones and DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xentri.ai.budgets import budget_window

ZONES = sorted(
    zone
    for zone in available_timezones()
    if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "posix/", "right/"))
)
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=400, deadline=None)
@given(instant=instants, zone=st.sampled_from(ZONES))
def test_the_window_holds_the_instant_and_lasts_five_to_seven_hours(instant, zone):
    window = budget_window(instant, zone)

    assert window.contains(instant)
    assert timedelta(hours=5) <= window.end - window.start <= timedelta(hours=7)


@settings(max_examples=300, deadline=None)
@given(instant=instants, zone=st.sampled_from(ZONES))
def test_windows_are_contiguous(instant, zone):
    window = budget_window(instant, zone)

    following = budget_window(window.end, zone)
    preceding = budget_window(window.start - timedelta(microseconds=1), zone)

    assert following.start == window.end
    assert preceding.end == window.start


@settings(max_examples=300, deadline=None)
@given(instant=instants, zone=st.sampled_from(ZONES))
def test_a_window_starts_on_a_reset_hour_of_the_local_clock_unless_a_gap_skipped_it(instant, zone):
    window = budget_window(instant, zone)

    local = window.start.astimezone(ZoneInfo(zone))
    naive = local.replace(tzinfo=None)
    round_trip = naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    on_reset = local.hour in (0, 6, 12, 18) and local.minute == 0 and local.second == 0
    assert on_reset or round_trip != window.start  # else: the reset fell in a DST gap


def test_mexico_city_noon_window():
    window = budget_window(datetime(2026, 11, 25, 19, 30, tzinfo=UTC), "America/Mexico_City")

    assert window.start == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # 12:00 local (UTC-6)
    assert window.end == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 18:00 local


def test_new_york_spring_forward_night_is_one_hour_shorter():
    # 2026-03-08: clocks go from 02:00 to 03:00; the 00:00-06:00 window has 5 real hours.
    window = budget_window(datetime(2026, 3, 8, 8, 0, tzinfo=UTC), "America/New_York")

    assert window.start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)  # 00:00 EST
    assert window.end == datetime(2026, 3, 8, 10, 0, tzinfo=UTC)  # 06:00 EDT
    assert window.end - window.start == timedelta(hours=5)


def test_new_york_fall_back_night_is_one_hour_longer():
    window = budget_window(datetime(2026, 11, 1, 7, 0, tzinfo=UTC), "America/New_York")

    assert window.end - window.start == timedelta(hours=7)


def test_santiago_skipped_midnight_starts_where_the_gap_begins():
    # 2026-09-06 in Chile: 00:00 does not exist, clocks jump from 23:59:59 (-04) to 01:00 (-03).
    window = budget_window(datetime(2026, 9, 6, 6, 0, tzinfo=UTC), "America/Santiago")

    assert window.start == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
    assert window.start.astimezone(ZoneInfo("America/Santiago")).hour == 1
    assert window.end == datetime(2026, 9, 6, 9, 0, tzinfo=UTC)  # 06:00 -03


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="aware"):
        budget_window(datetime(2026, 1, 1, 12, 0), "UTC")
