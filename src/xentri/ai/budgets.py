"""Token budget windows (ADR-010): each org's budget resets at 00:00, 06:00, 12:00 and 18:00 in
the org's time zone.

Pure: the windows are computed from an instant and a time zone. A reset time a DST change skips
(00:00 does not exist in some zones on the day clocks spring forward) starts the window where
the gap begins; a repeated hour (clocks falling back) belongs to the window it starts in. Windows
are contiguous, never overlap, and last between 5 and 7 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RESET_HOURS = (0, 6, 12, 18)


@dataclass(frozen=True)
class BudgetWindow:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive: the next reset, when the assistant is back

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def budget_window(instant: datetime, time_zone: str) -> BudgetWindow:
    """The window holding `instant` (an aware datetime) for an org in `time_zone`."""
    if instant.tzinfo is None:
        raise ValueError("budget windows need an aware datetime")
    zone = ZoneInfo(time_zone)
    moment = instant.astimezone(UTC)
    local_day = moment.astimezone(zone).date()
    # The resets of the day before, this day and the day after, as UTC instants: enough to
    # bracket any instant whatever the DST shifts of the zone.
    resets = sorted(
        {
            _reset_instant(local_day + timedelta(days=offset), hour, zone)
            for offset in (-1, 0, 1)
            for hour in RESET_HOURS
        }
    )
    start = max(reset for reset in resets if reset <= moment)
    end = min(reset for reset in resets if reset > moment)
    return BudgetWindow(start=start, end=end)


def _reset_instant(day: date, hour: int, zone: ZoneInfo) -> datetime:
    # fold=0 (the default) reads a repeated wall time as its first occurrence, and a wall time
    # that a spring-forward gap skips with the offset in force before the gap: the instant the
    # gap begins when the reset is where the gap starts (a midnight change), inside it otherwise.
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
