"""How concerns read on a page: state tags, event titles and the chronology. No writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from concerns.models import CaseEvent, Concern, DiscussionNote, Stage
from concerns.models.concern import (
    Agreement,
    CloseReason,
    PauseReason,
    State,
    VoiceMissing,
    stage_number,
)

TAG_COLOURS = {
    State.DRAFT: "govuk-tag--grey",
    State.RESOLVED: "govuk-tag--green",
    State.CLOSED: "govuk-tag--grey",
    State.AUDITED: "govuk-tag--purple",
    State.WITHDRAWN: "govuk-tag--grey",
}

EVENT_TITLES = {
    "concern.drafted": "Draft started",
    "concern.edited": "Draft edited",
    "concern.submitted": "Submitted: stage 1 started",
    "concern.resolved": "Resolved",
    "outcome.confirmed": "Outcome confirmed as recorded",
    "concern.closed": "Closed",
    "concern.withdrawn": "Withdrawn",
    "concern.audited": "Audited by the partnership",
    "note.recorded": "Discussion recorded",
    "reminder.sent": "Reminder sent",
    "urgent.answered": "Urgent escalation answered",
    "concern.paused": "Paused: the clock has stopped",
    "concern.resumed": "Resumed: the clock runs again",
    "outcome.proposed": "Outcome proposed",
    "concern.reopened": "Reopened with new information",
    "concern.followed_on": "A follow-on concern was raised",
    "concern.handed_over": "Handed over",
    "action.updated": "Agreed action recorded",
    "outcome.disputed": "Proposed outcome disputed: the stage continues",
    "outcome.not_accepted": "The raiser does not accept the proposed outcome",
    "outcome.deemed_accepted": "No answer in time: the proposed outcome is deemed accepted",
}


def state_label(state: str, stages: dict[int, Stage]) -> str:
    number = stage_number(state)
    if number is None:
        return State(state).label
    stage = stages.get(number)
    return f"Stage {number}: {stage.name}" if stage else f"Stage {number}"


def state_tag_class(state: str) -> str:
    return TAG_COLOURS.get(state, "govuk-tag--blue")  # type: ignore[call-overload]


def event_title(event: CaseEvent, stages: dict[int, Stage]) -> str:
    if event.kind == "outcome.accepted":
        whose = "for themselves" if event.payload.get("answer") == "raiser" else "for their side"
        return f"Proposed outcome accepted {whose}"
    if event.kind in ("concern.escalated", "concern.escalated_urgently"):
        urgent = "Urgently escalated" if event.kind.endswith("urgently") else "Escalated"
        return f"{urgent} to {state_label(event.to_state, stages).lower()}"
    if event.kind == "concern.closed" and event.payload.get("reason") == "window_expired":
        return "Closed: the confirmation window ran out"
    return EVENT_TITLES.get(event.kind, event.kind.replace(".", " ").capitalize())


@dataclass
class ChronologyEntry:
    at: dt.datetime
    title: str
    who: str
    note: DiscussionNote | None = None
    details: dict[str, Any] | None = None

    @property
    def recorded_later(self) -> bool:
        """A discussion written up more than a day after it happened: the page says so, as
        it is placed by when it happened."""
        return self.note is not None and self.note.created_at - self.at > dt.timedelta(days=1)


def person_label(user: Any) -> str:
    if user is None:
        return "The system"
    return f"{user.full_name}, {user.agency}" if user.agency_id else user.full_name


def actor_label(event: CaseEvent) -> str:
    """Who did it: "Carol Cover, Children's Social Work Service, for Sian Manager" when acting
    as someone's cover."""
    label = person_label(event.actor)
    for_whom = event.payload.get("acting_for_name")
    return f"{label}, for {for_whom}" if for_whom else label


EVENT_DETAILS = {
    "reason": "Reason",
    "raising_position": "Raising agency's position",
    "receiving_position": "Receiving agency's position",
    "urgency": "Urgency",
    "outcome_statement": "Outcome",
    "new_information": "New information",
    "follow_on_reference": "Follow-on concern",
    "to_name": "Handed to",
}


def event_details(event: CaseEvent) -> dict[str, Any]:
    """Payload fields in words; a close reason is stored as a code."""
    details = {
        label: event.payload[k] for k, label in EVENT_DETAILS.items() if event.payload.get(k)
    }
    if event.kind == "concern.resolved" and event.payload.get("agreement") in Agreement.values:
        details["Agreed"] = Agreement(event.payload["agreement"]).label
    if event.kind == "concern.closed" and event.payload.get("reason") in CloseReason.values:
        details["Reason"] = CloseReason(event.payload["reason"]).label
    if event.kind in ("concern.paused", "concern.resumed"):
        details.pop("Reason", None)
        reason = event.payload.get("reason")
        if reason in PauseReason.values:
            details["Waiting for"] = event.payload.get("detail") or PauseReason(reason).label
        if event.kind == "concern.resumed":
            details["Working days paused"] = event.payload.get("paused_working_days")
    return details


def chronology(
    events: list[CaseEvent], notes: list[DiscussionNote], stages: dict[int, Stage]
) -> list[ChronologyEntry]:
    """Transitions and the notes this person may see, newest first."""
    entries = [
        ChronologyEntry(
            at=e.created_at,
            title=event_title(e, stages),
            who=actor_label(e),
            details=event_details(e),
        )
        for e in events
        if e.kind != "note.recorded"
    ]
    entries += [
        ChronologyEntry(at=n.occurred_at, title="Discussion", who=person_label(n.author), note=n)
        for n in notes
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def child_voice_text(concern: Concern) -> str:
    """The child's voice as recorded, or why it could not be gathered."""
    if concern.child_voice.strip():
        return concern.child_voice
    if concern.child_voice_missing:
        reason = VoiceMissing(concern.child_voice_missing).label
        detail = concern.child_voice_missing_detail.strip()
        return f"Not gathered: {reason.lower()}" + (f": {detail}" if detail else ".")
    return "Not recorded"
