"""Retention: when a finished concern comes up for review, a legal hold that stops its
disposal, the disposal itself, and a subject-access export.

The rule is the partnership's (ProcessSettings): a concern comes up for review
`retention_years` after it closed (or was withdrawn), or when the child reaches
`retention_until_age`, whichever is later. A partnership officer then disposes of it, giving
a reason: its personal data and case text are erased, everywhere they are held (the concern,
its notes, actions, proposals, handovers, audit, its history rows and its events' payloads),
and what the report counts stays (agencies, dates, stages, category, level of need, themes,
outcome codes). The disposal is recorded on the partnership chain with what the concern's
chain then holds, so `verify_audit` can tell a disposal from tampering.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from concerns import access
from concerns.chain import DISPOSED_KIND, append_aside, append_partnership_event, chain_summary
from concerns.errors import ActionRefused, NotVisible
from concerns.models import (
    AgreedAction,
    Audit,
    AuditAction,
    CaseEvent,
    Concern,
    DiscussionNote,
    Handover,
    OutcomeProposal,
    ProcessSettings,
    StagePeriod,
    State,
    User,
)

from .base import cap_text, raise_if, require_text, resolve_now

FINISHED = (State.CLOSED, State.AUDITED, State.WITHDRAWN)

# What disposal erases on the concern itself (everything else is a code, a date or a link).
ERASED: dict[str, Any] = {
    "child_initials": "",
    "child_date_of_birth": None,
    "raising_agency_case_number": "",
    "receiving_agency_case_number": "",
    "receiving_contact_name": "",
    "receiving_contact_role": "",
    "receiving_contact_team": "",
    "receiving_contact_phone": "",
    "receiving_contact_email": "",
    "summary": "",
    "outcome_sought": "",
    "child_voice": "",
    "child_voice_missing_detail": "",
    "safeguarding_action": "",
    "pause_detail": "",
    "due_explanation": "",
    "outcome_statement": "",
    "withdrawn_reason": "",
}
ERASED_ELSEWHERE: list[tuple[Any, dict[str, Any]]] = [
    (DiscussionNote, {"with_whom": "", "discussion": "", "agreed": ""}),
    (AgreedAction, {"description": "", "status_reason": ""}),
    (
        OutcomeProposal,
        {
            "outcome_statement": "",
            "dispute_reason": "",
            "raiser_reason": "",
            "answer_due_explanation": "",
        },
    ),
    (StagePeriod, {"due_explanation": ""}),
    (Handover, {"reason": ""}),
    (Audit, {"findings": ""}),
]
# In an event's payload, a string survives only as a code ("stage_2", "agreed") or a date.
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$|^\d{4}-\d{2}-\d{2}([T ][\d:.+\-Z]*)?$")


def ended_on(concern: Concern) -> dt.date | None:
    if concern.state not in FINISHED:
        return None
    ended = concern.closed_at or concern.updated_at
    return timezone.localdate(ended)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def review_date(concern: Concern, rules: ProcessSettings | None = None) -> dt.date | None:
    """When a finished concern comes up for review (None while it is still open)."""
    ended = ended_on(concern)
    if ended is None:
        return None
    rules = rules or ProcessSettings.current()
    due = add_years(ended, rules.retention_years)
    born = concern.child_date_of_birth
    if born and rules.retention_until_age:
        due = max(due, add_years(born, rules.retention_until_age))
    return due


def due_for_review(today: dt.date) -> list[tuple[Concern, dt.date]]:
    """Finished concerns, not disposed of and not on hold, whose review date has come."""
    rules = ProcessSettings.current()
    latest_end = add_years(today, -rules.retention_years)
    candidates = (
        Concern.objects.filter(state__in=FINISHED, disposed_at=None, legal_hold_reason="")
        .filter(
            Q(closed_at__date__lte=latest_end) | Q(closed_at=None, updated_at__date__lte=latest_end)
        )
        .order_by("closed_at", "pk")
    )
    found = []
    for concern in candidates.iterator():
        due = review_date(concern, rules)
        if due is not None and due <= today:
            found.append((concern, due))
    return found


def require_officer(actor: User) -> None:
    if not access.may_manage_retention(actor):
        raise NotVisible()


def locked(concern_id: int) -> Concern:
    return Concern.objects.select_for_update(of=("self",)).get(pk=concern_id)


def officers_reason(actor: User, reason: str, missing: str) -> str:
    """Only a partnership officer; and their reason, given and at most 300 characters."""
    require_officer(actor)
    errors: dict[str, str] = {}
    require_text(errors, "reason", reason, missing)
    cap_text(errors, "reason", reason, limit=300)
    raise_if(errors)
    return reason.strip()


def hold_place(
    *, concern_id: int, actor: User, reason: str, now: dt.datetime | None = None
) -> Concern:
    """Put a legal hold on a concern (litigation, an inquiry, a review): it cannot be
    disposed of until the hold is lifted."""
    reason = officers_reason(actor, reason, "Enter why the concern must be kept")
    at = resolve_now(now)
    with transaction.atomic():
        concern = locked(concern_id)
        if concern.disposed_at:
            raise ActionRefused("This concern's personal data has already been disposed of.")
        concern.legal_hold_reason = reason
        Concern.objects.filter(pk=concern.pk).update(legal_hold_reason=reason)
        append_aside(
            concern,
            actor=actor,
            kind="concern.legal_hold_placed",
            at=at,
            payload={"reason": reason},
        )
    return concern


def hold_lift(
    *, concern_id: int, actor: User, reason: str, now: dt.datetime | None = None
) -> Concern:
    reason = officers_reason(actor, reason, "Enter why the hold is no longer needed")
    at = resolve_now(now)
    with transaction.atomic():
        concern = locked(concern_id)
        if not concern.legal_hold_reason:
            raise ActionRefused("This concern is not on hold.")
        concern.legal_hold_reason = ""
        Concern.objects.filter(pk=concern.pk).update(legal_hold_reason="")
        append_aside(
            concern,
            actor=actor,
            kind="concern.legal_hold_lifted",
            at=at,
            payload={"reason": reason},
        )
    return concern


def disposal_refusal(concern: Concern, today: dt.date) -> str | None:
    if concern.disposed_at:
        return "This concern's personal data has already been disposed of."
    if concern.legal_hold_reason:
        return f"This concern is on legal hold ({concern.legal_hold_reason}): lift the hold first."
    due = review_date(concern)
    if due is None:
        return "Only a closed or withdrawn concern can be disposed of."
    if due > today:
        return f"This concern is kept until {due:%-d %B %Y} under the retention rule."
    return None


def dispose(
    *, concern_id: int, actor: User, reason: str, now: dt.datetime | None = None
) -> Concern:
    """Erase the concern's personal data and case text, keeping its anonymous figures, and
    record the disposal on the partnership chain. Refused (with why) when it is on hold, not
    finished, not yet due for review, or already disposed of."""
    reason = officers_reason(actor, reason, "Enter the reason for disposal")
    at = resolve_now(now)
    with transaction.atomic():
        concern = locked(concern_id)
        refused = disposal_refusal(concern, timezone.localdate(at))
        if refused:
            raise ActionRefused(refused)
        Concern.objects.filter(pk=concern.pk).update(**ERASED, disposed_at=at, updated_at=at)
        concern.history.all().delete()
        for model, blanks in ERASED_ELSEWHERE:
            rows = model.objects.filter(concern=concern)
            rows.update(**blanks)
            history = getattr(model, "history", None)
            if history is not None:
                history.filter(concern_id=concern.pk).delete()
        AuditAction.objects.filter(audit__concern=concern).update(description="")
        events = redact_events(concern)
        append_partnership_event(
            actor=actor,
            kind=DISPOSED_KIND,
            at=at,
            payload={
                "concern": concern.pk,
                "reference": concern.reference,
                "reason": reason,
                **chain_summary(events),
            },
        )
    concern.refresh_from_db()
    return concern


def redacted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redacted(item) for item in value]
    if isinstance(value, str):
        return value if CODE.match(value) else ""
    return value


def redact_events(concern: Concern) -> list[CaseEvent]:
    """Each event's payload reduced to codes, numbers and dates (one UPDATE per event, which
    the database allows only now the concern is marked disposed of)."""
    events = list(CaseEvent.objects.filter(concern=concern).order_by("sequence"))
    for event in events:
        event.payload = redacted(event.payload)
        event.redacted = True
    CaseEvent.objects.bulk_update(events, ["payload", "redacted"], batch_size=500)
    return events
