"""Wall-clock time arithmetic for recurring moments, in the conversation's own time zone.

Occurrences are computed from the local date and time each time, never by adding 7 × 24 hours,
so a weekly nudge stays at 12:00 across the daylight-saving switches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

HOLIDAY_COUNTRIES = {"be": "BE", "nl": "NL"}
_MAX_DAYS = 800
"""A plan that finds no day within this window (paused for years, all days holidays) is idle."""


@dataclass(frozen=True)
class Weekly:
    weekdays: tuple[int, ...]
    at: time
    tz: str
    holidays: str = "geen"
    paused_until: date | None = None

    def encode(self) -> str:
        return f"weekly:{','.join(map(str, self.weekdays))}:{self.at:%H:%M}"

    @classmethod
    def decode(cls, rule: str, tz: str) -> Weekly:
        _, days, hhmm = rule.split(":", 2)
        hours, minutes = hhmm.split(":")
        return cls(tuple(int(d) for d in days.split(",")), time(int(hours), int(minutes)), tz)


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(HOLIDAY_COUNTRIES[country], years=year).keys())


def is_holiday(day: date, country: str) -> bool:
    return country in HOLIDAY_COUNTRIES and day in _holidays(country, day.year)


def at_local(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of a local wall-clock time; a time in the spring gap moves forward."""
    zone = ZoneInfo(tz)
    local = datetime.combine(day, at, tzinfo=zone)
    roundtrip = local.astimezone(UTC).astimezone(zone)
    if roundtrip.replace(tzinfo=None) != local.replace(tzinfo=None):
        local = roundtrip
    return local.astimezone(UTC)


def next_weekly(rule: Weekly, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` that is not paused or a holiday."""
    zone = ZoneInfo(rule.tz)
    day = after.astimezone(zone).date()
    for _ in range(_MAX_DAYS):
        if day.weekday() in rule.weekdays:
            moment = at_local(day, rule.at, rule.tz)
            skipped = (rule.paused_until is not None and day <= rule.paused_until) or is_holiday(
                day, rule.holidays
            )
            if moment > after and not skipped:
                return moment
        day += timedelta(days=1)
    return None
