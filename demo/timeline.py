"""Volume data, part 1: random but plausible timelines, the steps of a concern and their times.

A timeline is a list of moves (draft, submit, escalate, ...) with working-day gaps between
them, laid out on weekdays in working hours and placed so that its last step is in the past:
recently for concerns still open, anywhere in the last two years for finished ones.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from concerns.calendar import (
    Deadline,
    days_off,
    deadline,
    is_working_day,
    working_days_between,
)
from concerns.models import ProcessSettings, Stage
from concerns.models.concern import State

FINISHED_WITHIN_DAYS = 730
OPEN_IDLE_DAYS = 25


class CachedCalendar:
    """The calendar's answers, remembered: volume data asks the same few thousand questions
    hundreds of thousands of times, and each answer costs a query for closure days.

    Working days between two dates come from a running count of working days over the span
    volume data uses, built once from the calendar's own days off.
    """

    def __init__(self, today: dt.date) -> None:
        self.deadlines: dict[tuple[dt.date, int], Deadline] = {}
        self.first = today - dt.timedelta(days=FINISHED_WITHIN_DAYS + 500)
        last = today + dt.timedelta(days=400)
        off = days_off(self.first, last)
        self.count_to: dict[dt.date, int] = {}
        counted, day = 0, self.first
        while day <= last:
            counted += is_working_day(day, off)
            self.count_to[day] = counted
            day += dt.timedelta(days=1)

    def deadline(self, start: dt.date, days: int) -> Deadline:
        key = (start, days)
        found = self.deadlines.get(key)
        if found is None:
            found = self.deadlines[key] = deadline(start, days)
        return found

    def between(self, start: dt.date, end: dt.date) -> int:
        """working_days_between(start, end)."""
        if end <= start:
            return 0
        if start in self.count_to and end in self.count_to:
            return self.count_to[end] - self.count_to[start]
        return working_days_between(start, end)


@dataclass(frozen=True)
class StageClock:
    stage_id: int
    number: int
    holder: str
    working_days: int
    response_working_days: int | None


@dataclass(frozen=True)
class Process:
    """The configured process, read once: stage clocks, the urgent route, the window."""

    stages: dict[int, StageClock]
    urgent_stage: int | None
    confirmation_days: int
    answer_days: int = 3

    @classmethod
    def load(cls) -> Process:
        stages = {
            s.number: StageClock(s.pk, s.number, s.holder, s.working_days, s.response_working_days)
            for s in Stage.objects.order_by("number")
        }
        urgent = Stage.objects.filter(accepts_urgent_escalation=True).order_by("number").first()
        return cls(
            stages=stages,
            urgent_stage=urgent.number if urgent else None,
            confirmation_days=ProcessSettings.current().confirmation_working_days,
            answer_days=ProcessSettings.current().answer_working_days,
        )

    @property
    def last_stage(self) -> int:
        return max(self.stages)


@dataclass(frozen=True)
class Move:
    kind: str
    gap: int  # weekdays after the previous move; 0 is the same day
    minute: int  # minute of the day, when the move starts a new day
    after_window: bool = False  # the gap counts from the confirmation deadline instead


@dataclass
class Timeline:
    state: str
    moves: list[Move]
    times: list[dt.datetime]

    @property
    def start(self) -> dt.datetime:
        return self.times[0]


def pick_state(rng: random.Random, process: Process) -> tuple[str, int]:
    """A final state and the highest stage reached; later stages are rarer."""
    stage_weights = [0.6 ** (n - 1) for n in sorted(process.stages)]
    reached = rng.choices(sorted(process.stages), weights=stage_weights)[0]
    roll = rng.random()
    for state, share in (
        (State.DRAFT, 0.05),
        ("open", 0.25),
        (State.RESOLVED, 0.06),
        (State.CLOSED, 0.30),
        (State.AUDITED, 0.20),
    ):
        if roll < share:
            return (f"stage_{reached}" if state == "open" else str(state)), reached
        roll -= share
    return State.WITHDRAWN, reached


class Planner:
    """Draws timelines. One per volume run; `rng` makes a run repeatable."""

    def __init__(
        self, rng: random.Random, process: Process, calendar: CachedCalendar, now: dt.datetime
    ) -> None:
        self.rng, self.process, self.calendar, self.now = rng, process, calendar, now
        self.zone = timezone.get_current_timezone()

    def timeline(self) -> Timeline:
        state, reached = pick_state(self.rng, self.process)
        moves = self.with_notes(self.moves(state, reached))
        return Timeline(state, moves, self.place(moves, state))

    def move(self, kind: str, gap: int, *, after_window: bool = False) -> Move:
        return Move(kind, gap, self.rng.randint(510, 1050), after_window)

    def stage_gap(self, stage: int) -> int:
        """Mostly within the stage's clock; a quarter of the time over it."""
        days = self.process.stages[stage].working_days
        if self.rng.random() < 0.75:
            return self.rng.randint(1, days)
        return self.rng.randint(days + 1, days * 2 + 3)

    def moves(self, state: str, reached: int) -> list[Move]:
        moves = [self.move("draft", 0)]
        if state == State.DRAFT:
            return moves
        moves.append(self.move("submit", self.rng.choice((0, 0, 1, 1, 2, 3))))
        moves += self.climb(reached)
        if state == State.WITHDRAWN:
            moves.append(self.move("withdraw", self.stage_gap(reached)))
        if state in (State.RESOLVED, State.CLOSED, State.AUDITED):
            moves.append(self.move("resolve", self.stage_gap(reached)))
        if state in (State.CLOSED, State.AUDITED):
            moves += self.closing()
        if state == State.AUDITED:
            moves.append(self.move("audit", self.rng.randint(5, 40)))
        return moves

    def climb(self, reached: int) -> list[Move]:
        moves, stage = [], 1
        urgent = self.process.urgent_stage
        use_urgent = urgent is not None and reached >= urgent > 1 and self.rng.random() < 0.08
        while stage < reached:
            gap = self.stage_gap(stage)
            if use_urgent and urgent is not None and stage < urgent:
                moves.append(self.move("urgent", gap))
                stage = urgent
                continue
            moves.append(self.move("escalate", gap))
            stage += 1
        return moves

    def closing(self) -> list[Move]:
        rng = self.rng
        if rng.random() < 0.85:
            return [
                self.move("confirm", rng.randint(0, 4)),
                self.move("confirm_close", rng.randint(0, 3)),
            ]
        confirmed = [self.move("confirm", rng.randint(0, 3))] if rng.random() < 0.5 else []
        return [*confirmed, self.move("close", rng.randint(1, 5), after_window=True)]

    def with_notes(self, moves: list[Move]) -> list[Move]:
        """Zero to three discussion notes, each on the day of a step or a day or two after."""
        for _ in range(self.rng.choice((0, 1, 1, 2, 2, 3))):
            at = self.rng.randint(1, len(moves))
            moves.insert(at, self.move("note", self.rng.choice((0, 0, 1, 2))))
        return moves

    # --- Putting moves on the calendar.

    def lay_out(self, start: dt.date, moves: list[Move]) -> list[dt.datetime]:
        times: list[dt.datetime] = []
        day, resolved_on = start, start
        for move in moves:
            if move.after_window:
                window = self.calendar.deadline(resolved_on, self.process.confirmation_days)
                day = add_weekdays(window.due, move.gap)
            else:
                day = add_weekdays(day, move.gap)
            if times and times[-1].date() == day:
                # Same day: a few minutes later, so the order of steps is the order of times.
                times.append(times[-1] + dt.timedelta(minutes=1 + move.minute % 20))
            else:
                midnight = dt.datetime.combine(day, dt.time(0), self.zone)
                times.append(midnight + dt.timedelta(minutes=move.minute))
            if move.kind == "resolve":
                resolved_on = day
        return times

    def place(self, moves: list[Move], state: str) -> list[dt.datetime]:
        """Lay the moves out so the last is in the past: recently for concerns with a running
        clock, anywhere in the last two years for finished ones. Moving back in whole weeks
        keeps every step on a weekday."""
        today = timezone.localdate(self.now)
        probe = self.lay_out(today, moves)
        length = probe[-1].date() - today
        running = state in (State.DRAFT, State.RESOLVED) or state.startswith("stage_")
        back = self.rng.randint(0, OPEN_IDLE_DAYS if running else FINISHED_WITHIN_DAYS)
        start = weekday_on_or_before(today - length - dt.timedelta(days=back))
        times = self.lay_out(start, moves)
        while times[-1] >= self.now:
            start -= dt.timedelta(days=7)
            times = self.lay_out(start, moves)
        return times


def add_weekdays(day: dt.date, days: int) -> dt.date:
    while days > 0:
        day += dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day


def weekday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=max(0, day.weekday() - 4))
