"""Working hours: when a reminder may go out.

Working days are `concerns.calendar`'s (weekends, bank holidays of England and Wales, the
partnership's closure days); the hours come from settings.NOTIFY_WORKING_HOURS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from concerns.calendar import next_working_day


@dataclass(frozen=True)
class WorkingHours:
    start: dt.time
    end: dt.time
    zone: ZoneInfo
    always: bool = False


def parse_hours(text: str, zone: str) -> WorkingHours:
    """'09:00-17:30' (start inclusive, end exclusive), or 'always'."""
    tz = ZoneInfo(zone)
    if text.strip().lower() == "always":
        return WorkingHours(dt.time(0), dt.time(23, 59, 59), tz, always=True)
    start, end = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    if start >= end:
        raise ValueError(f"Working hours must start before they end: {text!r}")
    return WorkingHours(start, end, tz)


def working_hours() -> WorkingHours:
    return parse_hours(settings.NOTIFY_WORKING_HOURS, settings.NOTIFY_TIME_ZONE)


def morning_of(day: dt.date, hours: WorkingHours | None = None) -> dt.datetime:
    hours = hours or working_hours()
    return dt.datetime.combine(day, hours.start, tzinfo=hours.zone)


def is_delivery_time(at: dt.datetime, hours: WorkingHours | None = None) -> bool:
    hours = hours or working_hours()
    if hours.always:
        return True
    local = at.astimezone(hours.zone)
    in_hours = hours.start <= local.time() < hours.end
    return in_hours and next_working_day(local.date(), inclusive=True) == local.date()


def next_delivery_time(at: dt.datetime, hours: WorkingHours | None = None) -> dt.datetime:
    """`at` if it falls in working hours; otherwise the start of the next working morning."""
    hours = hours or working_hours()
    if hours.always:
        return at
    local = at.astimezone(hours.zone)
    day = next_working_day(local.date(), inclusive=True)
    if day == local.date() and local.time() >= hours.end:
        day = next_working_day(day)
    if day == local.date() and local.time() >= hours.start:
        return at
    return morning_of(day, hours)
