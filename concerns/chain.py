"""Appending to and verifying the per-concern hash chain of audit events.

Each event's seal is HMAC-SHA256, under a key held outside the database, over its content and
the previous event's seal, so changing, removing or reordering any event breaks every link
after it, and nobody without the key can forge or recompute one. The key's id is stored with
the event (keys rotate: settings.AUDIT_KEYS). Appends happen while the caller holds the
concern's row lock, which makes the sequence number safe to compute.

Events from before the chain was keyed carry a plain SHA-256 (no key id); `concerns.anchor`
trusts them only as far as a signed checkpoint covers them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from concerns.models import CaseEvent, Concern, ProcessSettings, User


def canonical_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it reads back from the JSON column: dates become ISO strings."""
    loaded: dict[str, Any] = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    return loaded


def compute_hash(
    *,
    concern_id: int | None,
    sequence: int,
    actor_id: int | None,
    created_at: dt.datetime,
    kind: str,
    from_state: str,
    to_state: str,
    payload: dict[str, Any],
    request_id: str,
    prev_hash: str,
    key_id: str = "",
) -> str:
    body = {
        "concern": concern_id,
        "sequence": sequence,
        "actor": actor_id,
        "at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "kind": kind,
        "from": from_state,
        "to": to_state,
        "payload": payload,
        "request": request_id,
        "prev": prev_hash,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if not key_id:
        return hashlib.sha256(text.encode()).hexdigest()
    secret = audit_key(key_id)
    if secret is None:
        return ""  # an unknown key: nothing matches, and check_link says why
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def audit_key(key_id: str) -> str | None:
    keys: dict[str, str] = settings.AUDIT_KEYS
    return keys.get(key_id)


def current_key_id() -> str:
    """The key that seals new events: the first of settings.AUDIT_KEYS."""
    keys: dict[str, str] = settings.AUDIT_KEYS
    if not keys:
        raise ImproperlyConfigured("AUDIT_KEYS must name at least one key to seal audit events.")
    return next(iter(keys))


def event_hash(event: CaseEvent) -> str:
    return compute_hash(
        concern_id=event.concern_id,
        sequence=event.sequence,
        actor_id=event.actor_id,
        created_at=event.created_at,
        kind=event.kind,
        from_state=event.from_state,
        to_state=event.to_state,
        payload=event.payload,
        request_id=event.request_id,
        prev_hash=event.prev_hash,
        key_id=event.key_id,
    )


def build_event(
    *,
    concern: Concern | None,
    previous: CaseEvent | None,
    actor: User | None,
    kind: str,
    at: dt.datetime,
    from_state: str = "",
    to_state: str = "",
    payload: dict[str, Any] | None = None,
    request_id: str = "",
) -> CaseEvent:
    """An unsaved event chained to `previous` (used directly by bulk loaders)."""
    event = CaseEvent(
        concern=concern,
        sequence=(previous.sequence + 1) if previous else 1,
        actor=actor,
        created_at=at.astimezone(dt.UTC),
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        payload=canonical_payload(payload or {}),
        request_id=request_id,
        prev_hash=previous.hash if previous else "",
        key_id=current_key_id(),
    )
    event.hash = event_hash(event)
    return event


def append_event(*, concern: Concern | None, **fields: Any) -> CaseEvent:
    """Append one event to the concern's chain. The caller holds the concern's row lock."""
    previous = CaseEvent.objects.filter(concern=concern).order_by("-sequence").first()
    event = build_event(concern=concern, previous=previous, **fields)
    event.save(force_insert=True)
    return event


def append_aside(
    concern: Concern, *, actor: User | None, kind: str, at: dt.datetime, payload: dict[str, Any]
) -> CaseEvent:
    """An event that leaves the concern's state as it is (a legal hold, a download), so the
    chain's last event still names the state the concern is in. The caller holds its lock."""
    return append_event(
        concern=concern,
        actor=actor,
        kind=kind,
        at=at,
        from_state=concern.state,
        to_state=concern.state,
        payload=payload,
    )


def append_partnership_event(**fields: Any) -> CaseEvent:
    """Append to the partnership's own chain (events about no single concern, e.g. exports).

    The settings row is the lock that serialises appends to that chain.
    """
    with transaction.atomic():
        ProcessSettings.objects.select_for_update().get_or_create(pk=1)
        return append_event(concern=None, **fields)


DISPOSED_KIND = "concern.disposed"  # on the partnership chain (concerns.services.retention)


def chain_summary(events: Iterable[CaseEvent]) -> dict[str, Any]:
    """What the disposal record vouches for: the chain's length, its head, and a digest of
    the redacted payloads."""
    listed = list(events)
    digest = hashlib.sha256()
    for event in listed:
        digest.update(json.dumps(event.payload, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return {
        "events": len(listed),
        "head": listed[-1].hash if listed else "",
        "digest": digest.hexdigest(),
    }


@dataclass(frozen=True)
class BrokenLink:
    concern_id: int | None
    sequence: int
    reason: str

    def __str__(self) -> str:
        chain = f"concern {self.concern_id}" if self.concern_id else "the partnership chain"
        return f"{chain}, event {self.sequence}: {self.reason}"


def check_link(event: CaseEvent, previous: CaseEvent | None) -> str | None:
    expected_sequence = previous.sequence + 1 if previous else 1
    if event.sequence != expected_sequence:
        return f"expected event {expected_sequence} here (an event is missing)"
    if event.prev_hash != (previous.hash if previous else ""):
        return "it does not point to the previous event's hash"
    if event.key_id and audit_key(event.key_id) is None:
        return f"it is sealed with a key this service does not hold ({event.key_id!r})"
    if event.redacted:
        return None  # its text erased at disposal: verify_disposals checks what remains
    if event.hash != event_hash(event):
        return "its content does not match its seal (it was altered)"
    return None


def verify_events(events: Iterable[CaseEvent]) -> Iterator[BrokenLink]:
    """The first broken link of each chain in `events`, ordered by concern then sequence."""
    previous: CaseEvent | None = None
    broken: set[int | None] = set()  # chains already reported (None: the partnership's)
    for event in events:
        if previous is not None and previous.concern_id != event.concern_id:
            previous = None
        if event.concern_id not in broken:
            reason = check_link(event, previous)
            if reason:
                broken.add(event.concern_id)
                yield BrokenLink(event.concern_id, event.sequence, reason)
        previous = event


def verify_all(concern_ids: Iterable[int] | None = None) -> Iterator[BrokenLink]:
    """Every chain (each concern's and the partnership's), or only the given concerns'."""
    ids = list(concern_ids) if concern_ids is not None else None
    events = CaseEvent.objects.order_by("concern_id", "sequence")
    if ids is not None:
        events = events.filter(concern_id__in=ids)
    broken = list(verify_events(events.iterator(chunk_size=5000)))
    yield from broken
    already = {link.concern_id for link in broken}
    yield from (link for link in verify_heads(ids) if link.concern_id not in already)
    already |= {link.concern_id for link in broken}
    yield from (link for link in verify_disposals(ids) if link.concern_id not in already)


def verify_disposals(concern_ids: list[int] | None = None) -> Iterator[BrokenLink]:
    """A concern's events may have their text erased only by a disposal, which the
    partnership chain records (sealed) with the chain's length, head and a digest of what
    remains: erased text with no such record, or anything changed since, is tampering."""
    records = {
        int(payload["concern"]): payload
        for payload in CaseEvent.objects.filter(concern=None, kind=DISPOSED_KIND).values_list(
            "payload", flat=True
        )
    }
    touched = Concern.objects.filter(Q(disposed_at__isnull=False) | Q(events__redacted=True))
    if concern_ids is not None:
        touched = touched.filter(pk__in=concern_ids)
    # Every touched chain's events in one read, not one query a concern.
    events_of: dict[int, list[CaseEvent]] = {}
    rows = CaseEvent.objects.filter(concern__in=touched.values("pk")).order_by(
        "concern_id", "sequence"
    )
    for event in rows.iterator(chunk_size=5000):
        events_of.setdefault(event.concern_id or 0, []).append(event)
    for pk in touched.values_list("pk", flat=True).distinct():
        record = records.get(pk)
        events = events_of.get(pk, [])
        last = events[-1].sequence if events else 0
        if record is None:
            yield BrokenLink(pk, last, "its text was erased, but no disposal is on record")
            continue
        summary = chain_summary(events)
        if any(record.get(key) != value for key, value in summary.items()):
            yield BrokenLink(pk, last, "it was changed after its disposal was recorded")
        elif not all(event.redacted for event in events):
            yield BrokenLink(pk, last, "events were added after its disposal was recorded")


def verify_heads(concern_ids: list[int] | None = None) -> Iterator[BrokenLink]:
    """A chain cut short at its end still links up; the concern's own state gives it away:
    every event records the state it left the concern in, so the last one must match."""
    last = CaseEvent.objects.filter(concern=OuterRef("pk")).order_by("-sequence")
    concerns = Concern.objects.annotate(
        last_sequence=Subquery(last.values("sequence")[:1]),
        last_state=Subquery(last.values("to_state")[:1]),
    ).exclude(last_state=F("state"))
    if concern_ids is not None:
        concerns = concerns.filter(pk__in=concern_ids)
    for pk, sequence, state, last_state in concerns.values_list(
        "pk", "last_sequence", "state", "last_state"
    ):
        reason = (
            f"its last event leaves it {last_state or 'with no events'}, but it is {state} "
            "(events were removed from the end)"
        )
        yield BrokenLink(pk, (sequence or 0) + 1, reason)
