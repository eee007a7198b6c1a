"""Recording who read what (concerns.models.AccessRecord), and checking those records.

Each person's records are one chain: each sealed (HMAC-SHA256 under the audit key) over its
content and the seal before it. Two of one person's requests at once: the unique sequence
refuses the second insert, which takes the next number and tries again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from concerns.chain import BrokenLink, audit_key, current_key_id
from concerns.models import AccessRecord, Concern, User
from concerns.models.access_log import Read

ATTEMPTS = 5


def seal(record: AccessRecord) -> str:
    secret = audit_key(record.key_id)
    if secret is None:
        return ""
    body = {
        "user": record.user_id,
        "sequence": record.sequence,
        "at": record.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "what": record.what,
        "concern": record.concern_id,
        "reason": record.reason,
        "address": record.address,
        "prev": record.prev_hash,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def address_of(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record_read(
    user: User | None,
    what: str,
    *,
    concern: Concern | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
    at: dt.datetime | None = None,
) -> AccessRecord:
    """Append one record to `user`'s chain (who, when, what, why, from where)."""
    person = user if user is not None and user.is_authenticated else None
    when = at or timezone.now()
    for _ in range(ATTEMPTS):
        mine = AccessRecord.objects.filter(user=person).order_by("-sequence")
        last = mine.only("sequence", "hash").first()
        record = AccessRecord(
            user=person,
            sequence=(last.sequence + 1) if last else 1,
            at=when,
            what=what,
            concern=concern,
            reason=reason[:500],
            address=address_of(request),
            prev_hash=last.hash if last else "",
            key_id=current_key_id(),
        )
        record.hash = seal(record)
        try:
            with transaction.atomic():
                record.save(force_insert=True)
            return record
        except IntegrityError:
            continue  # another of this person's requests took the number: take the next
    raise RuntimeError("Could not record the read after several attempts.")


def reason_given_today(user: User, concern: Concern, today: dt.date) -> bool:
    return AccessRecord.objects.filter(
        user=user, concern=concern, what=Read.REASON, at__date=today
    ).exists()


def verify_reads() -> Iterator[BrokenLink]:
    """The first broken link of each person's chain of access records."""
    previous: AccessRecord | None = None
    broken: set[int | None] = set()
    for record in AccessRecord.objects.order_by("user_id", "sequence").iterator(chunk_size=5000):
        if previous is not None and previous.user_id != record.user_id:
            previous = None
        if record.user_id not in broken:
            problem = link_problem(record, previous)
            if problem:
                broken.add(record.user_id)
                who = f"person {record.user_id}" if record.user_id else "anonymous sign-ins"
                yield BrokenLink(None, record.sequence, f"access records of {who}: {problem}")
        previous = record


def link_problem(record: AccessRecord, previous: AccessRecord | None) -> str | None:
    expected = previous.sequence + 1 if previous else 1
    if record.sequence != expected:
        return f"expected record {expected} here (a record is missing)"
    if record.prev_hash != (previous.hash if previous else ""):
        return f"record {record.sequence} does not point to the record before it"
    if not hmac.compare_digest(record.hash, seal(record)):
        return f"record {record.sequence} does not match its seal (it was altered)"
    return None
