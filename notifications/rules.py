"""When reminders fall due and who they are for: pure functions of a concern and `now`.

Every rule lives here, with its timings read from settings (NOTIFY_*_WORKING_DAYS), so the
whole policy can be read in one place. The rules say *when* by the calendar; services move
each time into working hours, store it, and the sweep sends it.

- submitted: the named responder and the receiving agency's managers are told at once;
- escalated (ordinary or urgent): whoever now holds the stage, on both sides, at once;
- one working day before a stage is due: its holders, at the start of that working day;
- a stage past its due date: the raiser and the holders, the first working morning after it,
  then every two working days while it stays overdue (a prompt; nothing escalates by itself);
- resolved: both sides at once, asked to confirm the outcome is on their records; one working
  day before the confirmation window closes, each agency that has not confirmed;
- each working morning, a digest per manager of the overdue concerns in their agency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from concerns import calendar
from concerns.models import AgreedAction, Concern, OutcomeProposal
from concerns.models.concern import State
from concerns.models.records import ActionStatus, ProposalStatus
from notifications import hours
from notifications.models import Kind

if TYPE_CHECKING:
    from notifications.models import Reminder


class Audience(StrEnum):
    RAISER = "raiser"
    RESPONDER = "responder"
    # The receiving agency's safeguarding leads: someone there knows, whoever is named.
    RECEIVING_LEADS = "receiving_leads"
    # Whoever holds the current stage by the stage configuration, on both sides.
    HOLDERS = "holders"
    # The named people of both agencies: practitioners and the holders they escalated to.
    BOTH_SIDES = "both_sides"
    # The named people of one agency (the reminder's payload says which side).
    SIDE = "side"
    # The one person the reminder was planned for (the digest's manager).
    RECIPIENT = "recipient"
    # Whoever a proposed outcome still awaits an answer from (their leads, if they have left).
    ANSWERERS = "answerers"
    # An agreed action's named owner, or else the owning agency's named people.
    ACTION_OWNER = "action_owner"


AUDIENCES: dict[str, tuple[Audience, ...]] = {
    Kind.SUBMITTED: (Audience.RESPONDER, Audience.RECEIVING_LEADS),
    Kind.ESCALATED: (Audience.HOLDERS,),
    Kind.DUE_SOON: (Audience.HOLDERS,),
    Kind.OVERDUE: (Audience.RAISER, Audience.HOLDERS),
    Kind.RESOLVED: (Audience.BOTH_SIDES,),
    Kind.CONFIRM: (Audience.SIDE,),
    Kind.DIGEST: (Audience.RECIPIENT,),
    Kind.URGENT: (Audience.HOLDERS,),
    Kind.RESUME: (Audience.HOLDERS,),
    Kind.PROPOSED: (Audience.ANSWERERS,),
    Kind.ANSWER: (Audience.ANSWERERS,),
    Kind.DISPUTED: (Audience.RAISER, Audience.HOLDERS),
    Kind.REOPENED: (Audience.RAISER, Audience.HOLDERS),
    Kind.ACTION_DUE: (Audience.ACTION_OWNER,),
    Kind.ACTION_OVERDUE: (Audience.ACTION_OWNER,),
}
# Reminders about agreed actions outlive the concern's state: closing it does not end them.
NO_STATE = ""

# Reminders that working hours do not hold back: an urgent response is due to the minute.
ANY_HOUR_KINDS = frozenset({Kind.URGENT})
URGENT_WARNING = dt.timedelta(hours=4)  # the first reminder, before the response is due
URGENT_REPEAT = dt.timedelta(hours=2)  # then at the deadline and every two hours after it
URGENT_REPEATS = 12  # at most a day of repeats; the overdue stage prompts go on after that


def goes_out_at(kind: str, at: dt.datetime) -> dt.datetime:
    """When something of `kind` falling due at `at` may go out: moved into working hours,
    unless working hours do not hold its kind back."""
    return at if kind in ANY_HOUR_KINDS else hours.next_delivery_time(at)


# Events that tell people something at once.
NOTICES: dict[str, str] = {
    "concern.submitted": Kind.SUBMITTED,
    "concern.escalated": Kind.ESCALATED,
    "concern.escalated_urgently": Kind.ESCALATED,
    "concern.resolved": Kind.RESOLVED,
    "outcome.proposed": Kind.PROPOSED,
    "outcome.disputed": Kind.DISPUTED,
    "concern.reopened": Kind.REOPENED,
}

SIDES = ("raising", "receiving")


@dataclass(frozen=True)
class Timings:
    due_soon_working_days: int = 1
    overdue_repeat_working_days: int = 2
    confirm_reminder_working_days: int = 1


def timings() -> Timings:
    return Timings(
        due_soon_working_days=settings.NOTIFY_DUE_SOON_WORKING_DAYS,
        overdue_repeat_working_days=settings.NOTIFY_OVERDUE_REPEAT_WORKING_DAYS,
        confirm_reminder_working_days=settings.NOTIFY_CONFIRM_REMINDER_WORKING_DAYS,
    )


@dataclass(frozen=True)
class Planned:
    """A reminder a rule asks for: its kind, unique key, and when it falls due by the rule."""

    kind: str
    key: str
    due_at: dt.datetime
    state: str
    payload: dict[str, Any] = field(default_factory=dict)


def today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def notice(concern: Concern, event_kind: str, sequence: int, at: dt.datetime) -> Planned | None:
    """The at-once notice an event calls for, keyed by the event so it exists once."""
    kind = NOTICES.get(event_kind)
    if kind is None:
        return None
    payload = {"due_date": iso(concern.due_date)}
    return Planned(kind, f"concern:{concern.pk}:event:{sequence}", at, concern.state, payload)


def running(concern: Concern) -> bool:
    """An open stage whose clock runs (not paused)."""
    return concern.is_open and concern.due_date is not None and concern.paused_at is None


def due_soon(concern: Concern, t: Timings) -> Planned | None:
    """The morning `t.due_soon_working_days` working days before the stage is due."""
    if not running(concern) or concern.due_date is None:
        return None
    day = calendar.previous_working_day(concern.due_date, t.due_soon_working_days)
    due_at = hours.morning_of(day)
    if concern.stage_started_at is not None and due_at < concern.stage_started_at:
        return None  # the stage started after that morning: its start notice said it all
    key = f"concern:{concern.pk}:{concern.state}:due_soon:{concern.due_date}"
    return Planned(Kind.DUE_SOON, key, due_at, concern.state, clock(concern))


def overdue_on(concern: Concern, day: dt.date) -> Planned:
    key = f"concern:{concern.pk}:{concern.state}:overdue:{concern.due_date}:{day}"
    return Planned(Kind.OVERDUE, key, hours.morning_of(day), concern.state, clock(concern))


def first_overdue(concern: Concern) -> Planned | None:
    """The first working morning after the due date: the stage has passed it."""
    if not running(concern) or concern.due_date is None:
        return None
    return overdue_on(concern, calendar.next_working_day(concern.due_date))


def next_overdue(concern: Concern, now: dt.datetime, t: Timings) -> Planned | None:
    """The next repeat after today, every `t.overdue_repeat_working_days` working days from
    the first, while the stage stays overdue. Counted from the first reminder, not from when
    the last one went out, so a late sweep never shifts (or floods) the schedule."""
    if not running(concern) or not concern.is_overdue(today(now)):
        return None
    assert concern.due_date is not None
    day = calendar.next_working_day(concern.due_date)
    while day <= today(now):
        day = calendar.add_working_days(day, t.overdue_repeat_working_days)
    return overdue_on(concern, day)


def confirm_reminders(concern: Concern, t: Timings) -> list[Planned]:
    """Before the confirmation window closes, one reminder per agency (sent only if that
    agency has not confirmed by then)."""
    if concern.state != State.RESOLVED or concern.due_date is None:
        return []
    day = calendar.previous_working_day(concern.due_date, t.confirm_reminder_working_days)
    due_at = hours.morning_of(day)
    if concern.resolved_at is not None and due_at < concern.resolved_at:
        return []  # a window this short: the resolution notice already asked
    return [
        Planned(
            Kind.CONFIRM,
            f"concern:{concern.pk}:resolved:confirm:{side}:{concern.due_date}",
            due_at,
            concern.state,
            {**clock(concern), "side": side},
        )
        for side in SIDES
    ]


def urgent_key(concern: Concern) -> str:
    assert concern.response_due_at is not None
    return f"concern:{concern.pk}:urgent:{concern.response_due_at.isoformat()}"


def urgent_payload(concern: Concern) -> dict[str, Any]:
    assert concern.response_due_at is not None
    return {"response_due_at": concern.response_due_at.isoformat()}


def urgent_response(concern: Concern, event_kind: str, now: dt.datetime) -> list[Planned]:
    """At once (the escalation's own notice waits for working hours), before the response
    falls due, and when it does, whatever the hour."""
    if not concern.is_open or concern.response_due_at is None:
        return []
    due, key, state = concern.response_due_at, urgent_key(concern), concern.state
    at_once = []
    if event_kind == "concern.escalated_urgently":
        at_once = [Planned(Kind.URGENT, f"{key}:now", now, state, urgent_payload(concern))]
    return [
        *at_once,
        Planned(Kind.URGENT, f"{key}:before", due - URGENT_WARNING, state, urgent_payload(concern)),
        Planned(Kind.URGENT, f"{key}:due", due, state, urgent_payload(concern)),
    ]


def next_urgent(concern: Concern, now: dt.datetime) -> Planned | None:
    """Every URGENT_REPEAT after the deadline while nobody has answered (up to a day)."""
    due = concern.response_due_at
    if not concern.is_open or due is None or now < due:
        return None
    repeat = (now - due) // URGENT_REPEAT + 1
    if repeat > URGENT_REPEATS:
        return None
    at = due + repeat * URGENT_REPEAT
    key = f"{urgent_key(concern)}:repeat:{repeat}"
    return Planned(Kind.URGENT, key, at, concern.state, urgent_payload(concern))


def resume_reminder(concern: Concern) -> Planned | None:
    """The morning a paused concern was expected to resume: its holders are asked to."""
    if concern.paused_at is None or concern.resume_expected is None:
        return None
    key = f"concern:{concern.pk}:paused:{concern.paused_at.isoformat()}:resume"
    payload = {"paused_at": concern.paused_at.isoformat()}
    return Planned(
        Kind.RESUME, key, hours.morning_of(concern.resume_expected), concern.state, payload
    )


def answer_reminder(concern: Concern, event_kind: str, payload: dict[str, Any]) -> Planned | None:
    """The morning answers to a proposed outcome are due: whoever has not answered is told
    that silence will be recorded as acceptance."""
    if event_kind != "outcome.proposed" or not payload.get("answer_due"):
        return None
    day = dt.date.fromisoformat(str(payload["answer_due"]))
    key = f"concern:{concern.pk}:proposal:{payload['proposal']}:answer"
    facts = {"proposal": payload["proposal"], "due_date": day.isoformat()}
    return Planned(Kind.ANSWER, key, hours.morning_of(day), concern.state, facts)


def action_reminders(actions: list[AgreedAction]) -> list[Planned]:
    """For each agreed action: the morning it is due, and the first working morning after it
    (sent only while the action is still open)."""
    found = []
    for action in actions:
        key = f"action:{action.pk}:{action.due_date.isoformat()}"
        payload = {"action": action.pk, "due_date": action.due_date.isoformat()}
        found.append(
            Planned(
                Kind.ACTION_DUE, f"{key}:due", hours.morning_of(action.due_date), NO_STATE, payload
            )
        )
        late = hours.morning_of(calendar.next_working_day(action.due_date))
        found.append(Planned(Kind.ACTION_OVERDUE, f"{key}:overdue", late, NO_STATE, payload))
    return found


def plan(
    concern: Concern,
    event_kind: str,
    sequence: int,
    now: dt.datetime,
    t: Timings | None = None,
    payload: dict[str, Any] | None = None,
) -> list[Planned]:
    """Every reminder the concern's new state calls for, after the event `event_kind`."""
    t = t or timings()
    found = [notice(concern, event_kind, sequence, now)]
    if concern.is_open:
        found += [due_soon(concern, t), first_overdue(concern), resume_reminder(concern)]
        found += urgent_response(concern, event_kind, now)
        found.append(answer_reminder(concern, event_kind, payload or {}))
    found += confirm_reminders(concern, t)
    return [p for p in found if p is not None]


def still_applies(reminder: Reminder, concern: Concern | None, now: dt.datetime) -> bool:
    """Whether a due reminder should still go out, judged on the concern as it is now."""
    if concern is None:
        return True
    if reminder.kind in (Kind.ACTION_DUE, Kind.ACTION_OVERDUE):  # the action is still open
        return AgreedAction.objects.filter(
            pk=reminder.payload.get("action"), status=ActionStatus.OPEN
        ).exists()
    if concern.state != reminder.state:
        return False
    if reminder.kind == Kind.RESUME:  # still paused, by the same pause
        paused = concern.paused_at
        return paused is not None and reminder.payload.get("paused_at") == paused.isoformat()
    if concern.paused_at is not None and reminder.kind in (Kind.DUE_SOON, Kind.OVERDUE):
        return False  # the clock is stopped: its reminders wait for the resumed deadline
    if reminder.kind == Kind.DUE_SOON:
        same_deadline = reminder.payload.get("due_date") == iso(concern.due_date)
        return same_deadline and not concern.is_overdue(today(now))
    if reminder.kind == Kind.OVERDUE:
        return concern.is_overdue(today(now))
    if reminder.kind == Kind.ANSWER:  # the same proposal, still awaiting answers
        return awaiting_answers(concern, reminder.payload.get("proposal"))
    if reminder.kind == Kind.URGENT:  # not yet answered, and the same urgent escalation
        due = concern.response_due_at
        return due is not None and reminder.payload.get("response_due_at") == due.isoformat()
    return True


def awaiting_answers(concern: Concern, proposal_id: Any) -> bool:
    return OutcomeProposal.objects.filter(
        pk=proposal_id, concern=concern, status=ProposalStatus.PENDING
    ).exists()


def clock(concern: Concern) -> dict[str, Any]:
    return {"due_date": iso(concern.due_date)}


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
