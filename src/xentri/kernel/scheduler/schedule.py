"""When a cron schedule is due: wall-clock rules in a time zone, answered as UTC instants.

Daylight saving follows Debian's cron (as `cronsim` does), made explicit here:
- A *fixed-time* schedule (neither the minute nor the hour field starts with `*`, e.g.
  `0 2 * * *`) runs once per matching wall-clock time. A time the clock skips (spring
  forward) runs at the first instant after the skip; a time the clock shows twice (fall back)
  runs at its first occurrence only.
- Any other schedule (`*/15 * * * *`, `0 */6 * * *`) is an interval: it runs at every real
  instant whose wall clock matches, so it keeps its rhythm through the repeated hour and has
  nothing to run in the skipped one.
Slots are UTC instants; two wall times that fall on the same instant are one slot.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo

from cronsim import CronSim, CronSimError

# No zone has turned its clock back by more than this at once since 1970 (tzdb); wall times
# up to this much later than the current one may already have occurred.
_MAX_CLOCK_SETBACK = timedelta(hours=4)
_ONE_SECOND = timedelta(seconds=1)


class InvalidScheduleError(ValueError):
    """The cron expression cannot be parsed or never matches."""


class CronSchedule:
    """A five-field cron expression: minute, hour, day of month, month, day of week."""

    __slots__ = ("expression", "fixed_time")

    def __init__(self, expression: str) -> None:
        fields = expression.split()
        if len(fields) != 5:
            raise InvalidScheduleError(
                f"{expression!r}: expected 5 fields (minute hour day-of-month month day-of-week)"
            )
        try:
            CronSim(expression, datetime(2000, 1, 1))
        except CronSimError as exc:
            raise InvalidScheduleError(f"{expression!r}: {exc}") from None
        self.expression = " ".join(fields)
        self.fixed_time = not fields[0].startswith("*") and not fields[1].startswith("*")

    def __repr__(self) -> str:
        return f"CronSchedule({self.expression!r})"

    def latest_slot(self, *, at: datetime, zone: tzinfo) -> datetime | None:
        """The latest due instant at or before `at` (UTC), or None if it never was due."""
        if at.tzinfo is None:
            raise ValueError("`at` must carry a time zone")
        at = at.astimezone(UTC)
        best: datetime | None = None
        for wall in self._walls_back_from(at, zone):
            instants = self._instants_of(wall, zone)
            reached = [instant for instant in instants if instant <= at]
            if reached and (best is None or reached[-1] > best):
                best = reached[-1]
            # The latest instant of each wall time only falls as the walls fall, so once a wall
            # is wholly in the past no earlier wall can beat it. Walls partly in the future (the
            # first pass of a repeated hour) were collected above.
            if instants and instants[-1] <= at:
                return best
        return best

    def _instants_of(self, wall: datetime, zone: tzinfo) -> list[datetime]:
        """The UTC instants (ascending) at which the naive wall time `wall` is due in `zone`."""
        first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if _shows(first, zone) != wall:
            return [_end_of_skip(wall, zone)] if self.fixed_time else []
        second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
        if second == first or self.fixed_time:
            return [first]
        return [first, second]

    def _walls_back_from(self, at: datetime, zone: tzinfo) -> Iterator[datetime]:
        newest_offset = max(_offset(zone, at), _offset(zone, at - _MAX_CLOCK_SETBACK))
        newest_wall = (at + newest_offset).replace(tzinfo=None, microsecond=0)
        # CronSim steps one second back before matching; start one second later to include
        # `newest_wall` itself.
        return CronSim(self.expression, newest_wall + _ONE_SECOND, reverse=True)


def _offset(zone: tzinfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # an aware datetime always has one
    return offset


def _shows(instant: datetime, zone: tzinfo) -> datetime:
    """The naive wall time the clocks in `zone` show at `instant`."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _end_of_skip(wall: datetime, zone: tzinfo) -> datetime:
    """The instant the clock jumped over `wall`, a time that never appeared in `zone`."""
    # Read with the offset after the jump, the wall time lands before it; with the offset
    # before the jump, after it. The jump lies between: find it to the second.
    before = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    after = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    offset_after = _offset(zone, after)
    while after - before > _ONE_SECOND:
        middle = before + timedelta(seconds=int((after - before).total_seconds()) // 2)
        if _offset(zone, middle) == offset_after:
            after = middle
        else:
            before = middle
    return after
