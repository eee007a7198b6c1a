"""Working days: weekends, the bank holidays of England and Wales, and partnership closure days.

Deadlines are computed once, when a stage starts, and stored with a plain explanation; nothing
recomputes them later, so a closure day added afterwards never moves a running clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

import holidays

# The longest clock is well under a year; this bounds the search for a deadline.
SEARCH_DAYS = 400


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    explanation: str


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    found: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update({d: n for d, n in _bank_holidays(year).items() if start <= d <= end})
    return found


def closure_days(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    from concerns.models import ClosureDay

    rows = ClosureDay.objects.filter(date__range=(start, end)).values_list("date", "description")
    return dict(rows)


def days_off(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Weekdays in [start, end] that are not working days, with the reason for each."""
    return {**bank_holidays(start, end), **closure_days(start, end)}


def is_working_day(day: dt.date, off: Container[dt.date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in off


def add_working_days(start: dt.date, days: int) -> Deadline:
    """The date `days` working days after `start` (the start day itself does not count)."""
    off = days_off(start, start + dt.timedelta(days=SEARCH_DAYS))
    day, counted, skipped = start, 0, []
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        if day in off:
            skipped.append(day)
            continue
        counted += 1
    return Deadline(due=day, explanation=_explain(start, days, day, skipped))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 if end is not after start)."""
    if end <= start:
        return 0
    off = days_off(start, end)
    span = (end - start).days
    return sum(1 for i in range(1, span + 1) if is_working_day(start + dt.timedelta(days=i), off))


def _explain(start: dt.date, days: int, due: dt.date, skipped: list[dt.date]) -> str:
    unit = "working day" if days == 1 else "working days"
    text = f"{days} {unit} from {format_day(start)}"
    if skipped:
        text += f", skipping {format_skipped(skipped)}"
    return f"{text}: due {format_day(due)}"


def format_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def format_skipped(days: list[dt.date]) -> str:
    """'25, 28 Dec and 1 Jan': days grouped by month, the month named once per group."""
    groups: list[list[dt.date]] = []
    for day in days:
        if groups and (groups[-1][0].year, groups[-1][0].month) == (day.year, day.month):
            groups[-1].append(day)
        else:
            groups.append([day])
    parts = [", ".join(str(d.day) for d in g) + f" {g[0]:%b}" for g in groups]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
