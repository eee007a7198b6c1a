"""Pausing a stage's clock while another process runs, and resuming it with the deadline moved
by exactly the working days it was paused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from concerns.access import Action
from concerns.calendar import add_working_days, format_day, working_days_between
from concerns.models import Concern, StagePeriod, User
from concerns.models.concern import PauseReason

from .base import acting_on, local_date, raise_if, record, resolve_now

# The longest a pause may be expected to last: longer, and the stage should move instead.
LONGEST_PAUSE = dt.timedelta(days=90)
EXPLANATION_LENGTH = 300  # the stored explanation's column
DETAIL_LENGTH = 300  # Concern.pause_detail

PAUSE_MESSAGES = {
    "reason": "Choose what the concern is waiting for.",
    "detail": "Say what the concern is waiting for.",
    "resume_expected": "Enter the date you expect to resume, after today.",
    "resume_too_far": "A pause may be expected to last 90 days at most; escalate it instead.",
}


@dataclass
class PauseData:
    reason: str
    resume_expected: dt.date | None
    detail: str = ""


def validate_pause(data: PauseData, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if data.reason not in PauseReason.values:
        errors["reason"] = PAUSE_MESSAGES["reason"]
    elif data.reason == PauseReason.OTHER and not data.detail.strip():
        errors["detail"] = PAUSE_MESSAGES["detail"]
    if len(data.detail) > DETAIL_LENGTH:
        errors["detail"] = "Keep this to 300 characters or fewer."
    if data.resume_expected is None or data.resume_expected <= today:
        errors["resume_expected"] = PAUSE_MESSAGES["resume_expected"]
    elif data.resume_expected > today + LONGEST_PAUSE:
        errors["resume_expected"] = PAUSE_MESSAGES["resume_too_far"]
    raise_if(errors)


def concern_pause(
    *,
    concern_id: int,
    actor: User,
    data: PauseData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """Stop the stage's clock: reminders wait, and one comes on the expected resume date."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.PAUSE, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        validate_pause(data, local_date(at))
        concern.paused_at = at
        concern.pause_reason = data.reason
        concern.pause_detail = data.detail.strip()
        concern.resume_expected = data.resume_expected
        record(
            concern,
            actor=actor,
            kind="concern.paused",
            at=at,
            from_state=concern.state,
            payload={
                "reason": data.reason,
                "detail": concern.pause_detail,
                "resume_expected": data.resume_expected,
            },
        )
    return concern


def waiting_for(concern: Concern) -> str:
    """'a strategy discussion', or the other reason in the holder's words."""
    if concern.pause_reason == PauseReason.OTHER:
        return concern.pause_detail
    return PauseReason(concern.pause_reason).label.removeprefix("Awaiting ")


def concern_resume(
    *,
    concern_id: int,
    actor: User,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """Restart the clock; the deadline moves by the working days it was paused, and the
    stored explanation says so."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.RESUME, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        assert concern.paused_at is not None  # process.require refuses a running clock
        days = working_days_between(local_date(concern.paused_at), local_date(at))
        payload = {"paused_working_days": days, "reason": concern.pause_reason}
        move_deadline(concern, days)
        concern.paused_at = None
        concern.pause_reason, concern.pause_detail, concern.resume_expected = "", "", None
        record(
            concern,
            actor=actor,
            kind="concern.resumed",
            at=at,
            from_state=concern.state,
            payload={**payload, "due_date": concern.due_date},
        )
    return concern


def move_deadline(concern: Concern, days: int) -> None:
    concern.paused_working_days += days
    period = StagePeriod.objects.filter(concern=concern, ended_at__isnull=True).first()
    if period is not None:
        period.paused_working_days += days
    if days == 0 or concern.due_date is None:
        if period is not None:
            period.save(update_fields=["paused_working_days"])
        return
    unit = "working day" if days == 1 else "working days"
    concern.due_date = add_working_days(concern.due_date, days)
    moved = f"; paused {days} {unit} for {waiting_for(concern)}: due {format_day(concern.due_date)}"
    concern.due_explanation = (concern.due_explanation + moved)[-EXPLANATION_LENGTH:]
    if period is not None:
        period.due_date, period.due_explanation = concern.due_date, concern.due_explanation
        period.save(update_fields=["paused_working_days", "due_date", "due_explanation"])
