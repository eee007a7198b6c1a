"""What every write shares: lock the concern, check the actor, save, and chain one event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Model, TextField
from django.utils import timezone

from concerns import access, events, process
from concerns.access import Action
from concerns.chain import append_event
from concerns.errors import ConcernChanged, InvalidInput, NotVisible
from concerns.models import CaseEvent, Concern, User
from concerns.process import Moment


def resolve_now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


@contextmanager
def acting_on(
    concern_id: int,
    *,
    actor: User,
    action: Action,
    at: dt.datetime,
    seen_version: int | None = None,
) -> Iterator[Moment]:
    """Lock the concern for the whole transaction and check `actor` may do `action` now, by
    the same rule the concern page offers it (`process.require`).

    The row lock serialises everyone acting on one concern: whoever waits re-reads the state
    the winner left, and `seen_version` tells them if it moved since they looked.
    """
    with transaction.atomic():
        concern = (
            Concern.objects.select_for_update(of=("self",))
            .select_related("raising_agency", "receiving_agency", "raised_by")
            .get(pk=concern_id)
        )
        if not access.can(actor, concern, Action.VIEW):
            raise NotVisible()
        if seen_version is not None and concern.version != seen_version:
            raise ConcernChanged(concern.reference or "this concern")
        moment = Moment(concern, today=local_date(at))
        process.require(actor, moment, action)
        # Covering for someone: every event of this write says "X for Y".
        concern.__dict__["_acting_for"] = access.acting_for(actor, concern, action)
        yield moment


def save_concern(concern: Concern, *, actor: User | None, at: dt.datetime) -> None:
    concern.version += 1
    concern.updated_at = at
    concern._history_date = at  # type: ignore[attr-defined]
    concern._history_user = actor  # type: ignore[attr-defined]
    concern.save()


def record(
    concern: Concern,
    *,
    actor: User | None,
    kind: str,
    at: dt.datetime,
    from_state: str,
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    """Save the concern, chain the event that says what happened, and announce it to the
    domain's listeners (`concerns.events`), all in the caller's transaction."""
    save_concern(concern, actor=actor, at=at)
    for_whom: User | None = concern.__dict__.get("_acting_for")
    if for_whom is not None:
        payload = {
            **(payload or {}),
            "acting_for": for_whom.pk,
            "acting_for_name": for_whom.full_name,
        }
    event = append_event(
        concern=concern,
        actor=actor,
        kind=kind,
        at=at,
        from_state=from_state,
        to_state=concern.state,
        payload=payload,
    )
    events.publish(concern, event)
    return event


def require_text(errors: dict[str, str], field: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[field] = message


# Free text with no column limit is still capped: a 2 MiB note is a mistake or an attack.
TEXT_LIMIT = 10_000


def cap_text(errors: dict[str, str], field: str, value: str, limit: int = TEXT_LIMIT) -> None:
    """Free text a service takes directly (not through check_storable): no NUL characters,
    and no longer than `limit`."""
    if field in errors or not value:
        return
    if "\x00" in value:
        errors[field] = "Remove the hidden control character (NUL) from this text."
    elif len(value) > limit:
        errors[field] = f"Keep this to {limit:,} characters or fewer."


def check_storable(errors: dict[str, str], model: type[Model], data: object) -> None:
    """Text its column cannot hold is a field error, not a database error: PostgreSQL refuses
    NUL characters and values longer than the column, and SQLite would silently keep them.
    Unlimited text columns are held to TEXT_LIMIT characters."""
    for item in fields(data):  # type: ignore[arg-type]
        value = getattr(data, item.name)
        if not isinstance(value, str) or item.name in errors:
            continue
        if "\x00" in value:
            errors[item.name] = "Remove the hidden control character (NUL) from this text."
            continue
        try:
            column = model._meta.get_field(item.name)
        except FieldDoesNotExist:
            continue
        max_length = getattr(column, "max_length", None)
        if max_length is None and isinstance(column, TextField):
            max_length = TEXT_LIMIT
        if max_length and len(value) > max_length:
            errors[item.name] = f"Keep this to {max_length:,} characters or fewer."


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidInput(errors)
