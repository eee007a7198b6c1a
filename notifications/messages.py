"""What a notification may say, gathered once when it is made, and its template context.

Only what tells someone that they need to act: the reference, the stage, the deadline, the
agency asked to act, and links. Never the child, the summary or anything said in the case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from concerns.calendar import format_day
from concerns.models import Concern, OutcomeProposal, User
from concerns.models.records import ProposalStatus
from notifications.models import Kind, Notification, Reminder


def stage_label(concern: Concern) -> str:
    stage = concern.current_stage
    return f"stage {stage.number} ({stage.name})" if stage else ""


def acting_agency(reminder: Reminder, concern: Concern) -> str:
    if reminder.kind == Kind.SUBMITTED or reminder.payload.get("side") == "receiving":
        return concern.receiving_agency.name
    if reminder.payload.get("side") == "raising":
        return concern.raising_agency.name
    return ""


def concern_facts(reminder: Reminder, concern: Concern) -> dict[str, Any]:
    due = reminder.payload.get("due_date")
    at_once = (Kind.SUBMITTED, Kind.ESCALATED, Kind.RESOLVED, Kind.DISPUTED, Kind.REOPENED)
    if reminder.kind in at_once:
        due = concern.due_date.isoformat() if concern.due_date else due
    if reminder.kind == Kind.SUBMITTED and concern.response_due_date:
        due = concern.response_due_date.isoformat()
    if reminder.kind == Kind.PROPOSED:
        due = proposal_answer_due(concern) or due
    if reminder.kind == Kind.URGENT and concern.response_due_at:
        due = concern.response_due_at.isoformat()
    return {
        "due_date": due,
        "stage": stage_label(concern),
        "agency": acting_agency(reminder, concern),
    }


def proposal_answer_due(concern: Concern) -> str | None:
    day = (
        OutcomeProposal.objects.filter(concern=concern, status=ProposalStatus.PENDING)
        .values_list("answer_due", flat=True)
        .first()
    )
    return day.isoformat() if day else None


Rows = list[tuple[int, str, dt.date]]


def digest_facts(
    recipient: User, overdue: Rows, actions: Rows | None = None, left: Rows | None = None
) -> dict[str, Any]:
    """References and dates only: the overdue concerns, and the concerns whose agreed actions
    are overdue (never what the action is)."""
    return {
        "agency": recipient.agency.name if recipient.agency else "",
        "concerns": [
            {"id": pk, "reference": ref, "due_date": due.isoformat()} for pk, ref, due in overdue
        ],
        "actions": [
            {"id": pk, "reference": ref, "due_date": due.isoformat()}
            for pk, ref, due in actions or []
        ],
        "left": [
            {"id": pk, "reference": ref, "due_date": due.isoformat()} for pk, ref, due in left or []
        ],
    }


def absolute(path: str) -> str:
    return f"{settings.NOTIFY_SITE_URL}{path}"


def concern_link(concern_id: int) -> str:
    return absolute(reverse("concern-detail", args=[concern_id]))


def day_text(iso_day: str | None) -> str:
    """A day ('Tue 3 Nov 2026'), or a moment to the minute ('Tue 3 Nov 2026 at 14:05')."""
    if not iso_day:
        return ""
    if "T" not in iso_day:
        return format_day(dt.date.fromisoformat(iso_day))
    moment = timezone.localtime(dt.datetime.fromisoformat(iso_day))
    return f"{format_day(moment.date())} at {moment:%H:%M}"


def render_context(notification: Notification) -> dict[str, Any]:
    """Everything the message templates use, as display text."""
    facts = notification.context
    concerns = [
        {**c, "due": day_text(c["due_date"]), "link": concern_link(c["id"])}
        for c in facts.get("concerns", [])
    ]
    actions = [
        {**c, "due": day_text(c["due_date"]), "link": concern_link(c["id"])}
        for c in facts.get("actions", [])
    ]
    left = [
        {**c, "due": day_text(c["due_date"]), "link": concern_link(c["id"])}
        for c in facts.get("left", [])
    ]
    link = (
        concern_link(notification.concern_id)
        if notification.concern_id
        else absolute(reverse("concern-list") + "?overdue=on")
    )
    return {
        "notification": notification,
        "kind": notification.kind,
        "title": notification.get_kind_display(),
        "reference": notification.reference,
        "recipient": notification.recipient,
        "due": day_text(facts.get("due_date")),
        "stage": facts.get("stage", ""),
        "agency": facts.get("agency", ""),
        "concerns": concerns,
        "actions": actions,
        "left": left,
        "link": link,
        "inbox_link": absolute(reverse("notifications:list")),
        "service_name": "Concerns resolution",
    }
