"""Starting a stage (or the confirmation window): compute the deadline once and store it."""

from __future__ import annotations

import datetime as dt

from concerns.calendar import deadline, working_days_between
from concerns.models import Concern, ProcessSettings, Stage, StagePeriod

from .base import local_date


def enter_stage(concern: Concern, stage: Stage, *, at: dt.datetime) -> StagePeriod:
    """Move the concern's clock to `stage`, ending the period of the stage it leaves."""
    end_current_period(concern, at=at)
    start = local_date(at)
    clock = deadline(start, stage.working_days)
    response_due = (
        deadline(start, stage.response_working_days).due if stage.response_working_days else None
    )
    concern.stage_started_at = at
    concern.due_date = clock.due
    concern.response_due_date = response_due
    concern.response_due_at = None
    concern.due_explanation = clock.explanation
    return StagePeriod.objects.create(
        concern=concern,
        stage=stage,
        number=stage.number,
        started_at=at,
        due_date=clock.due,
        response_due_date=response_due,
        due_explanation=clock.explanation,
        raising_holder=concern.raising_holder,
        receiving_holder=concern.receiving_holder,
        partnership_holder=concern.partnership_holder,
    )


def end_current_period(concern: Concern, *, at: dt.datetime) -> None:
    """Close the running stage period and count the working days it took."""
    for period in StagePeriod.objects.filter(concern=concern, ended_at__isnull=True):
        period.ended_at = at
        period.working_days = working_days_between(local_date(period.started_at), local_date(at))
        period.save(update_fields=["ended_at", "working_days"])


def record_time_to_outcome(concern: Concern, *, at: dt.datetime) -> None:
    if concern.submitted_at is not None:
        concern.working_days_to_outcome = working_days_between(
            local_date(concern.submitted_at), local_date(at)
        )


def start_confirmation_window(concern: Concern, *, at: dt.datetime) -> None:
    end_current_period(concern, at=at)
    days = ProcessSettings.current().confirmation_working_days
    clock = deadline(local_date(at), days)
    concern.stage_started_at = at
    concern.due_date = clock.due
    concern.response_due_date = None
    concern.response_due_at = None
    concern.due_explanation = clock.explanation


def clock_payload(concern: Concern) -> dict[str, object]:
    return {
        "due_date": concern.due_date,
        "response_due_date": concern.response_due_date,
        "due_explanation": concern.due_explanation,
    }
