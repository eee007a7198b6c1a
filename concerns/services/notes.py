"""Discussion notes: the written record of every conversation, in any state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from concerns import access
from concerns.access import Action
from concerns.chain import append_event
from concerns.models import Concern, DiscussionNote, User
from concerns.models.records import ContactMethod

from .base import acting_on, check_storable, raise_if, record, require_text, resolve_now


@dataclass
class NoteData:
    occurred_at: dt.datetime
    with_whom: str
    method: str
    discussion: str
    agreed: str = ""
    internal: bool = False
    submission_key: str = ""


# The words of each rule, shown by the note form too.
NOTE_MESSAGES = {
    "occurred_at": "Enter when the discussion took place.",
    "in_future": "The discussion date must not be in the future.",
    "with_whom": "Say who the discussion was with.",
    "method": "Choose how the discussion took place.",
    "discussion": "Enter what was said.",
}


def validate_note(data: NoteData, *, now: dt.datetime) -> None:
    errors: dict[str, str] = {}
    if data.occurred_at > now:
        errors["occurred_at"] = NOTE_MESSAGES["in_future"]
    require_text(errors, "with_whom", data.with_whom, NOTE_MESSAGES["with_whom"])
    if data.method not in ContactMethod.values:
        errors["method"] = NOTE_MESSAGES["method"]
    require_text(errors, "discussion", data.discussion, NOTE_MESSAGES["discussion"])
    check_storable(errors, DiscussionNote, data)
    raise_if(errors)


def note_create(
    *, concern_id: int, actor: User, data: NoteData, now: dt.datetime | None = None
) -> DiscussionNote:
    """Record a discussion. The same submission key twice returns the first note, not a copy."""
    at = resolve_now(now)
    with acting_on(concern_id, actor=actor, at=at, action=Action.NOTE) as moment:
        concern = moment.concern
        validate_note(data, now=at)
        if data.submission_key:
            existing = concern.notes.filter(submission_key=data.submission_key).first()
            if existing is not None:
                return existing
        with transaction.atomic():
            note = DiscussionNote(
                concern=concern,
                author=actor,
                created_at=at,
                occurred_at=data.occurred_at,
                with_whom=data.with_whom,
                method=data.method,
                discussion=data.discussion,
                agreed=data.agreed,
                internal=data.internal,
                submission_key=data.submission_key,
            )
            note._history_date = at  # type: ignore[attr-defined]
            note._history_user = actor  # type: ignore[attr-defined]
            note.save()
            append_event(
                concern=concern,
                actor=actor,
                kind="note.recorded",
                at=at,
                from_state=concern.state,
                to_state=concern.state,
                payload={
                    "note": note.pk,
                    "internal": data.internal,
                    "occurred_at": data.occurred_at,
                    **acting_for_payload(concern),
                },
            )
            if answers_urgent(concern, actor, data):
                concern.response_due_at = None
                record(
                    concern,
                    actor=actor,
                    kind="urgent.answered",
                    at=at,
                    from_state=concern.state,
                    payload={"note": note.pk},
                )
    return note


def acting_for_payload(concern: Concern) -> dict[str, object]:
    """Recorded by someone's cover: the note's event says for whom (as `record` does)."""
    for_whom = concern.__dict__.get("_acting_for")
    return {"acting_for": for_whom.pk, "acting_for_name": for_whom.full_name} if for_whom else {}


def answers_urgent(concern: Concern, actor: User, data: NoteData) -> bool:
    """A discussion shared with the other side, recorded by a named holder (or their cover),
    answers an urgent escalation that is waiting for a response."""
    mine = {person.pk for person in access.identities(actor)}
    named = bool(mine & {concern.raising_holder_id, concern.receiving_holder_id})
    return concern.response_due_at is not None and named and not data.internal
