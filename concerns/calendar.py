"""Working days: weekends, the bank holidays of England and Wales, and partnership closure days.

The one calendar of the product: deadlines (`deadline`, with a plain explanation) and the
working-day steps the reminder rules take (`add_working_days`, `next_working_day`,
`previous_working_day`). Working hours (when a reminder may go out) are notifications' own.

Deadlines are computed once, when a stage starts, and stored with their explanation; nothing
recomputes them later, so a closure day added afterwards never moves a running clock.

Closure days are read from the database once and kept for the process: a change saved in
this process forgets them at once (`forget_closure_days`, connected in `ConcernsConfig.ready`);
other processes (the worker, other web processes) read them again within
`CLOSURE_DAYS_CACHE_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import holidays
from django.conf import settings
from django.db import transaction

# The longest clock is well under a year; this bounds the search for a deadline.
SEARCH_DAYS = 400
# Working days are never further apart than this (Christmas plus closure days is far less).
LOOKAHEAD_DAYS = 60


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


_closures: tuple[float, dict[dt.date, str]] | None = None


def all_closure_days() -> dict[dt.date, str]:
    """Every closure day, read at most once per CLOSURE_DAYS_CACHE_SECONDS in this process."""
    global _closures
    from concerns.models import ClosureDay

    now = time.monotonic()
    if _closures is None or now - _closures[0] > settings.CLOSURE_DAYS_CACHE_SECONDS:
        _closures = (now, dict(ClosureDay.objects.values_list("date", "description")))
    return _closures[1]


def forget_closure_days(*args: Any, **kwargs: Any) -> None:
    """Read closure days afresh next time: now, and again when the change commits (a reader
    in between may have cached what was not yet committed). A signal receiver."""
    global _closures
    _closures = None
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(forget_closure_days)


def closure_days(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    return {day: name for day, name in all_closure_days().items() if start <= day <= end}


def days_off(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Weekdays in [start, end] that are not working days, with the reason for each."""
    return {**bank_holidays(start, end), **closure_days(start, end)}


def is_working_day(day: dt.date, off: Container[dt.date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in off


def working_days_from(start: dt.date, span: int = LOOKAHEAD_DAYS) -> list[dt.date]:
    """The working days in [start, start + span], in order."""
    off = days_off(start, start + dt.timedelta(days=span))
    days = (start + dt.timedelta(days=n) for n in range(span + 1))
    return [day for day in days if is_working_day(day, off)]


def next_working_day(day: dt.date, *, inclusive: bool = False) -> dt.date:
    """The first working day after `day` (or `day` itself, if inclusive and working)."""
    first = day if inclusive else day + dt.timedelta(days=1)
    return working_days_from(first)[0]


def previous_working_day(day: dt.date, count: int = 1) -> dt.date:
    """The working day `count` working days before `day`."""
    start = day - dt.timedelta(days=LOOKAHEAD_DAYS)
    earlier = [d for d in working_days_from(start) if d < day]
    return earlier[-count]


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day `count` (at least 1) working days after `day`: `deadline(...).due`
    without the explanation."""
    return working_days_from(day + dt.timedelta(days=1))[count - 1]


def deadline(start: dt.date, days: int) -> Deadline:
    """The date `days` working days after `start` (the start day itself does not count), with
    the plain explanation stored beside it."""
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
