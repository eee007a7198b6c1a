"""A subject-access export: everything the service holds about one concern, in one document,
for the data protection officer answering a request (who redacts third parties before it is
sent). Agency-internal notes are included: the officer decides what is disclosed."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from concerns.models import CaseEvent, Concern


def row(obj: Model) -> dict[str, Any]:
    return {field.attname: field.value_from_object(obj) for field in obj._meta.concrete_fields}


def related(manager: Any) -> list[dict[str, Any]]:
    return [row(obj) for obj in manager.order_by("pk")]


def subject_access_export(concern: Concern) -> dict[str, Any]:
    audit = getattr(concern, "audit_record", None)
    return {
        "concern": row(concern),
        "themes": list(concern.themes.values_list("name", flat=True)),
        "people": {
            str(person.pk): {"name": person.full_name, "agency": str(person.agency or "")}
            for person in people_named(concern)
        },
        "discussion_notes": related(concern.notes),
        "agreed_actions": related(concern.actions),
        "outcome_proposals": related(concern.proposals),
        "confirmations": related(concern.confirmations),
        "stage_periods": related(concern.stage_periods),
        "handovers": related(concern.handovers),
        "audit": row(audit) if audit else None,
        "audit_actions": related(audit.actions) if audit else [],
        "events": [
            {
                "sequence": event.sequence,
                "at": event.created_at,
                "by": event.actor_id,
                "kind": event.kind,
                "from": event.from_state,
                "to": event.to_state,
                "details": event.payload,
            }
            for event in CaseEvent.objects.filter(concern=concern).order_by("sequence")
        ],
        "reads": [
            {"at": record.at, "by": record.user_id, "what": record.what, "reason": record.reason}
            for record in concern.access_records.order_by("at", "pk")
        ],
    }


def people_named(concern: Concern) -> list[Any]:
    """Everyone the export's ids refer to, so the officer can read it."""
    from concerns.models import User

    ids: set[int] = set()
    for field in concern._meta.concrete_fields:
        if field.is_relation and field.related_model is User:
            value = field.value_from_object(concern)
            if value:
                ids.add(int(value))
    ids |= set(CaseEvent.objects.filter(concern=concern).values_list("actor_id", flat=True)) - {
        None
    }
    ids |= set(concern.notes.values_list("author_id", flat=True))
    ids |= set(concern.access_records.values_list("user_id", flat=True)) - {None}
    return list(User.objects.filter(pk__in=ids).select_related("agency"))
