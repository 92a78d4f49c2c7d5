"""Cron slots in an org's time zone: once per wall-clock time, right across DST changes."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xentri.kernel.scheduler.jobs import JobSpec
from xentri.kernel.scheduler.schedule import CronSchedule, InvalidScheduleError

NEW_YORK = ZoneInfo("America/New_York")
MADRID = ZoneInfo("Europe/Madrid")
MEXICO_CITY = ZoneInfo("America/Mexico_City")
ONE_MINUTE = timedelta(minutes=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def slots_between(
    schedule: CronSchedule,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    *,
    every: timedelta = ONE_MINUTE,
) -> list[datetime]:
    """Every slot in [start, end], asking for the latest slot at each step (< the period)."""
    found: set[datetime] = set()
    at = start
    while at <= end:
        slot = schedule.latest_slot(at=at, zone=zone)
        if slot is not None and slot >= start:
            found.add(slot)
        at += every
    if (slot := schedule.latest_slot(at=end, zone=zone)) is not None and slot >= start:
        found.add(slot)
    return sorted(found)


def local_dates(slots: list[datetime], zone: ZoneInfo) -> Counter[date]:
    return Counter(slot.astimezone(zone).date() for slot in slots)


# --- the 02:00 job of the issue ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "expected_utc"),
    [
        # Spring forward: 02:00 never shows on the clock; the job runs when the clock jumps.
        (NEW_YORK, "2025-03-09", "2025-03-09T07:00:00"),
        (MADRID, "2025-03-30", "2025-03-30T01:00:00"),
        (MEXICO_CITY, "2022-04-03", "2022-04-03T08:00:00"),
        # Fall back: 02:00 shows once in these zones (the repeated hour is 01:00 or 02:00).
        (NEW_YORK, "2025-11-02", "2025-11-02T07:00:00"),
        (MADRID, "2025-10-26", "2025-10-26T00:00:00"),
        (MEXICO_CITY, "2022-10-30", "2022-10-30T08:00:00"),
        # Mexico dropped DST in 2022: the first Sunday of April 2023 is an ordinary day.
        (MEXICO_CITY, "2023-04-02", "2023-04-02T08:00:00"),
        # An ordinary winter and summer day.
        (NEW_YORK, "2025-01-15", "2025-01-15T07:00:00"),
        (MADRID, "2025-07-15", "2025-07-15T00:00:00"),
    ],
)
def test_a_0200_job_runs_exactly_once_on_each_local_day(zone, day, expected_utc):
    # Given a job at 02:00 in the org's zone
    schedule = CronSchedule("0 2 * * *")
    local_midnight = datetime.combine(date.fromisoformat(day), time(), tzinfo=zone)

    # When we collect its slots over that local day and the days either side
    slots = slots_between(
        schedule,
        zone,
        (local_midnight - timedelta(days=1)).astimezone(UTC),
        (local_midnight + timedelta(days=2)).astimezone(UTC),
        every=timedelta(minutes=10),
    )

    # Then every local date has one run, and the day in question runs at the expected instant
    assert utc(expected_utc) in slots
    assert set(local_dates(slots, zone).values()) == {1}
    assert len(slots) == 3


@pytest.mark.parametrize(
    ("zone", "day", "first_pass_utc"),
    [
        (NEW_YORK, "2025-11-02", "2025-11-02T05:30:00"),  # 01:30 EDT, then 01:30 EST
        (MEXICO_CITY, "2022-10-30", "2022-10-30T06:30:00"),  # 01:30 CDT, then 01:30 CST
    ],
)
def test_a_fixed_time_in_the_repeated_hour_runs_at_its_first_occurrence_only(
    zone, day, first_pass_utc
):
    schedule = CronSchedule("30 1 * * *")
    noon = datetime.combine(date.fromisoformat(day), time(12), tzinfo=zone).astimezone(UTC)

    slots = slots_between(schedule, zone, noon - timedelta(hours=14), noon)

    assert slots == [utc(first_pass_utc)]


def test_madrid_repeated_hour_runs_0230_once():
    # Europe/Madrid turns 03:00 CEST back to 02:00 CET, so 02:30 shows twice.
    slots = slots_between(
        CronSchedule("30 2 * * *"), MADRID, utc("2025-10-25T12:00:00"), utc("2025-10-26T12:00:00")
    )

    assert slots == [utc("2025-10-26T00:30:00")]


@pytest.mark.parametrize(
    ("day", "hours_on_the_clock"), [("2025-03-09", 23), ("2025-11-02", 25), ("2025-06-01", 24)]
)
def test_an_hourly_job_follows_real_hours_through_dst(day, hours_on_the_clock):
    # Given an interval schedule (the hour field starts with *)
    schedule = CronSchedule("0 * * * *")
    start = datetime.combine(date.fromisoformat(day), time(), tzinfo=NEW_YORK).astimezone(UTC)
    end = datetime.combine(
        date.fromisoformat(day) + timedelta(days=1), time(), tzinfo=NEW_YORK
    ).astimezone(UTC)

    # When we collect the slots of that local day
    slots = slots_between(schedule, NEW_YORK, start, end - ONE_MINUTE, every=timedelta(minutes=5))

    # Then it ran once an hour of real time, however many hours the day had
    assert len(slots) == hours_on_the_clock
    assert all(b - a == timedelta(hours=1) for a, b in itertools.pairwise(slots))


def test_a_midnight_clock_change_still_runs_the_job_that_day():
    # America/Santiago springs forward at 24:00 -> 01:00: 00:30 of that day never shows.
    santiago = ZoneInfo("America/Santiago")

    slot = CronSchedule("30 0 * * *").latest_slot(at=utc("2024-09-08T12:00:00"), zone=santiago)

    assert slot == utc("2024-09-08T04:00:00")  # 01:00 -03, the moment the clock jumped
    assert slot.astimezone(santiago).date() == date(2024, 9, 8)


def test_catching_up_after_downtime_yields_only_the_latest_slot():
    schedule = CronSchedule("0 2 * * *")

    # Three nights passed; only the last is due.
    assert schedule.latest_slot(at=utc("2025-01-18T12:00:00"), zone=MADRID) == utc(
        "2025-01-18T01:00:00"
    )


def test_a_slot_is_due_at_its_own_instant():
    schedule = CronSchedule("0 2 * * *")

    assert schedule.latest_slot(at=utc("2025-01-15T07:00:00"), zone=NEW_YORK) == utc(
        "2025-01-15T07:00:00"
    )
    assert schedule.latest_slot(
        at=utc("2025-01-15T07:00:00") - timedelta(microseconds=1), zone=NEW_YORK
    ) == utc("2025-01-14T07:00:00")


def test_calendar_fields_are_read_on_the_local_date():
    # Feb 29 is the local date: 23:30 of it in New York is already Mar 1 in UTC.
    leap_night = CronSchedule("30 23 29 2 *")

    assert leap_night.latest_slot(at=utc("2025-01-01T00:00:00"), zone=MADRID) == utc(
        "2024-02-29T22:30:00"
    )
    assert leap_night.latest_slot(at=utc("2025-01-01T00:00:00"), zone=NEW_YORK) == utc(
        "2024-03-01T04:30:00"
    )


@pytest.mark.parametrize(
    "expression", ["61 * * * *", "* * * *", "0 0 0 * * *", "0 0 30 2 *", "every day", ""]
)
def test_invalid_expressions_are_refused(expression):
    with pytest.raises(InvalidScheduleError):
        CronSchedule(expression)


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        CronSchedule("0 2 * * *").latest_slot(at=datetime(2025, 1, 1), zone=MADRID)


# --- JobSpec rules -------------------------------------------------------------------------


async def _noop(_context) -> None:
    return None


def test_retry_delay_doubles_after_each_failure():
    job = JobSpec(
        name="t.backoff", schedule="0 2 * * *", handler=_noop, retry_backoff=timedelta(seconds=30)
    )

    assert [job.retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
    ]


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"name": "Bad Name"}, "must match"),
        ({"name": "x" * 101}, "must match"),
        ({"schedule": "0 2 * *"}, "expected 5 fields"),
        ({"per_org": True, "timezone": "Europe/Madrid"}, "each org's time zone"),
        ({"timezone": "Mars/Olympus_Mons"}, "unknown time zone"),
        ({"max_attempts": 0}, "at least 1"),
        ({"retry_backoff": timedelta(0)}, "must be positive"),
    ],
)
def test_job_specs_are_checked_when_declared(overrides, refusal):
    values = {"name": "t.valid", "schedule": "0 2 * * *", "handler": _noop, **overrides}

    with pytest.raises(ValueError, match=refusal):
        JobSpec(**values)


# --- property: the slot is the latest due instant, by brute force -------------------------

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Madrid",
    "America/Mexico_City",
    "America/Santiago",  # changes at midnight
    "America/Havana",  # changes at midnight
    "Australia/Lord_Howe",  # a 30-minute DST
    "Antarctica/Troll",  # a 2-hour DST
    "Europe/Dublin",  # "negative" DST in tzdb
    "America/St_Johns",  # a :30 offset
    "Asia/Kathmandu",  # a :45 offset
    "Pacific/Apia",  # skipped 2011-12-30 entirely
    "Africa/Casablanca",  # DST suspended for Ramadan: changes weeks apart
    "America/Sao_Paulo",  # southern hemisphere, DST until 2019
]


@functools.cache
def clock_changes(zone_name: str) -> tuple[datetime, ...]:
    """Instants (UTC) where the zone's offset changed, 1995-2035 (to sample near them)."""
    zone = ZoneInfo(zone_name)
    changes = []
    step = timedelta(days=2)  # no zone here changes its clock twice within two days
    at = datetime(1995, 1, 1, tzinfo=UTC)
    offset = at.astimezone(zone).utcoffset()
    while at < datetime(2035, 1, 1, tzinfo=UTC):
        later = at + step
        if later.astimezone(zone).utcoffset() != offset:
            low, high = at, later
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            changes.append(high.replace(microsecond=0))
            offset = later.astimezone(zone).utcoffset()
        at = later
    return tuple(changes)


@st.composite
def instants_in(draw: st.DrawFn, zone_name: str) -> datetime:
    changes = clock_changes(zone_name)
    if changes and draw(st.booleans()):
        # Most of what can go wrong happens within a day or so of a clock change.
        near = draw(st.sampled_from(changes))
        return near + timedelta(seconds=draw(st.integers(-36 * 3600, 36 * 3600)))
    return draw(
        st.datetimes(
            min_value=datetime(1996, 1, 1),
            max_value=datetime(2034, 12, 1),
            timezones=st.just(UTC),
        )
    )


@st.composite
def fixed_time_schedules(draw: st.DrawFn) -> tuple[str, set[int], set[int], set[int]]:
    minutes = draw(st.sets(st.sampled_from([0, 1, 15, 30, 45, 59]), min_size=1, max_size=3))
    hours = draw(st.sets(st.integers(0, 23), min_size=1, max_size=3))
    weekdays = draw(st.one_of(st.just(set(range(7))), st.sets(st.integers(0, 6), min_size=1)))
    day_field = "*" if weekdays == set(range(7)) else _listed(weekdays)
    return f"{_listed(minutes)} {_listed(hours)} * * {day_field}", minutes, hours, weekdays


@st.composite
def interval_schedules(draw: st.DrawFn) -> tuple[str, set[int], set[int], set[int]]:
    every_minutes = draw(st.sampled_from([1, 5, 15, 20, 30]))
    minutes = set(range(0, 60, every_minutes))
    minute_field = "*" if every_minutes == 1 else f"*/{every_minutes}"
    if draw(st.booleans()):
        hours, hour_field = set(range(24)), "*"
    else:
        every_hours = draw(st.integers(2, 12))
        hours, hour_field = set(range(0, 24, every_hours)), f"*/{every_hours}"
    if draw(st.booleans()):  # the minute field fixed, the hour field an interval
        minute = draw(st.integers(0, 59))
        minutes, minute_field = {minute}, str(minute)
        if hour_field == "*":
            hour_field, hours = "*/1", set(range(24))
    return f"{minute_field} {hour_field} * * *", minutes, hours, set(range(7))


def _listed(values: set[int]) -> str:
    return ",".join(str(value) for value in sorted(values))


def cron_weekday(day: date) -> int:
    return (day.weekday() + 1) % 7  # cron: 0 is Sunday


def shows(wall: datetime, zone: ZoneInfo) -> bool:
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


def expected_fixed_time_slot(
    minutes: set[int], hours: set[int], weekdays: set[int], zone: ZoneInfo, at: datetime
) -> datetime | None:
    """Walk the wall-clock times of the last 9 local days, Debian cron's way."""
    today = at.astimezone(zone).date()
    due = []
    for back in range(-1, 10):
        day = today - timedelta(days=back)
        if cron_weekday(day) not in weekdays:
            continue
        for hour in hours:
            for minute in minutes:
                wall = datetime.combine(day, time(hour, minute))
                while not shows(wall, zone):  # skipped by the clock: run once it shows again
                    wall += ONE_MINUTE
                instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
                if instant <= at:
                    due.append(instant)
    return max(due, default=None)


def expected_interval_slot(
    minutes: set[int], hours: set[int], zone: ZoneInfo, at: datetime
) -> datetime | None:
    """Walk real minutes back from `at`: the first whose wall clock matches (daily at least)."""
    instant = at.replace(second=0, microsecond=0)
    while instant > at - timedelta(hours=30):
        shown = instant.astimezone(zone)
        if shown.minute in minutes and shown.hour in hours:
            return instant
        instant -= ONE_MINUTE
    return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), zone_name=st.sampled_from(ZONES))
def test_fixed_time_slot_is_the_latest_due_instant(data, zone_name):
    expression, minutes, hours, weekdays = data.draw(fixed_time_schedules())
    at = data.draw(instants_in(zone_name))
    zone = ZoneInfo(zone_name)
    schedule = CronSchedule(expression)

    slot = schedule.latest_slot(at=at, zone=zone)

    assert schedule.fixed_time
    assert slot == expected_fixed_time_slot(minutes, hours, weekdays, zone, at)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), zone_name=st.sampled_from(ZONES))
def test_interval_slot_is_the_latest_matching_real_minute(data, zone_name):
    expression, minutes, hours, _ = data.draw(interval_schedules())
    at = data.draw(instants_in(zone_name))
    zone = ZoneInfo(zone_name)
    schedule = CronSchedule(expression)

    slot = schedule.latest_slot(at=at, zone=zone)

    assert not schedule.fixed_time
    assert slot == expected_interval_slot(minutes, hours, zone, at)


@settings(max_examples=200, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    data=st.data(),
    step_minutes=st.integers(1, 36 * 60),
)
def test_slots_never_go_backwards_as_time_passes(zone_name, data, step_minutes):
    expression, *_ = data.draw(st.one_of(fixed_time_schedules(), interval_schedules()))
    at = data.draw(instants_in(zone_name))
    zone = ZoneInfo(zone_name)
    schedule = CronSchedule(expression)

    earlier = schedule.latest_slot(at=at, zone=zone)
    later = schedule.latest_slot(at=at + timedelta(minutes=step_minutes), zone=zone)

    assert earlier is not None
    assert later is not None
    assert earlier <= later
    assert schedule.latest_slot(at=earlier, zone=zone) == earlier
