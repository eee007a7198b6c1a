"""Anchoring the audit chains outside the database.

A checkpoint records every chain's length and head seal (each concern's, and the
partnership's), is signed with the audit key (HMAC-SHA256) and chained to the checkpoint before
it, and is appended as one line to a file outside the event table
(settings.AUDIT_CHECKPOINT_FILE). Someone with the database alone can then no longer delete a
concern's events, cut a chain short, or rewrite one from a point on without `verify_audit`
naming the concern: the chain must still reach the anchored length, and the event there must
still carry the anchored seal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from concerns.chain import BrokenLink, audit_key, current_key_id
from concerns.models import CaseEvent

PARTNERSHIP = "partnership"  # the chain of events about no single concern


def chain_key(concern_id: int | None) -> str:
    return str(concern_id) if concern_id is not None else PARTNERSHIP


def chain_heads(
    anchored: dict[str, tuple[int, str]] | None = None,
) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    """Every chain's length and head seal, and (given the anchored lengths) the seal each
    chain now has at its anchored length: all in one pass over the events."""
    heads: dict[str, tuple[int, str]] = {}
    at_anchor: dict[str, str] = {}
    anchored = anchored or {}
    rows = CaseEvent.objects.order_by("concern_id", "sequence").values_list(
        "concern_id", "sequence", "hash"
    )
    for concern_id, sequence, seal in rows.iterator(chunk_size=10000):
        key = chain_key(concern_id)
        heads[key] = (sequence, seal)
        if key in anchored and anchored[key][0] == sequence:
            at_anchor[key] = seal
    return heads, at_anchor


def sign(record: dict[str, Any], key_id: str) -> str:
    secret = audit_key(key_id)
    if secret is None:
        return ""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


@dataclass
class Checkpoint:
    at: dt.datetime
    key: str
    prev: str
    chains: dict[str, tuple[int, str]]
    sig: str
    valid: bool = True
    problem: str = ""

    @property
    def events(self) -> int:
        return sum(length for length, _ in self.chains.values())


def record_of(at: dt.datetime, key: str, prev: str, chains: dict[str, Any]) -> dict[str, Any]:
    return {"at": at.isoformat(), "key": key, "prev": prev, "chains": chains}


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the file, each checked: its signature, and its link to the one
    before it (a line removed or rewritten in the middle shows here)."""
    path = path or settings.AUDIT_CHECKPOINT_FILE
    if not path.exists():
        return []
    found: list[Checkpoint] = []
    previous = ""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            chains = {k: (int(v[0]), str(v[1])) for k, v in data["chains"].items()}
            point = Checkpoint(
                at=dt.datetime.fromisoformat(data["at"]),
                key=data["key"],
                prev=data["prev"],
                chains=chains,
                sig=data["sig"],
            )
        except (ValueError, KeyError, TypeError, IndexError):
            problem = f"line {number} is unreadable"
            found.append(Checkpoint(timezone.now(), "", "", {}, "", False, problem))
            continue
        record = record_of(point.at, point.key, point.prev, data["chains"])
        if audit_key(point.key) is None:
            point.valid, point.problem = False, "signed with a key this service does not hold"
        elif not hmac.compare_digest(sign(record, point.key), point.sig):
            point.valid, point.problem = False, "its signature does not match (it was altered)"
        elif point.prev != previous:
            point.valid, point.problem = False, "it does not follow the checkpoint before it"
        previous = point.sig
        found.append(point)
    return found


def write_checkpoint(*, now: dt.datetime | None = None, path: Path | None = None) -> Checkpoint:
    """Append a signed checkpoint of every chain to the file (created if need be)."""
    path = path or settings.AUDIT_CHECKPOINT_FILE
    at = now or timezone.now()
    earlier = read_checkpoints(path)
    prev = earlier[-1].sig if earlier else ""
    heads, _ = chain_heads()
    key = current_key_id()
    chains = {key: [length, seal] for key, (length, seal) in heads.items()}
    record = record_of(at, key, prev, chains)
    sig = sign(record, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({**record, "sig": sig}, sort_keys=True, separators=(",", ":")) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return Checkpoint(at, key, prev, dict(heads), sig)


@dataclass
class AnchorReport:
    checkpoint: Checkpoint | None = None
    problems: list[BrokenLink] = field(default_factory=list)


def concern_of(key: str) -> int | None:
    return None if key == PARTNERSHIP else int(key)


def verify_against_anchor(concern_ids: list[int] | None = None) -> AnchorReport:
    """Each chain against the latest checkpoint: still as long, still the same at the anchored
    point; and every event past the anchor sealed with a key. Problems name the concern."""
    points = read_checkpoints()
    report = AnchorReport()
    for point in points:
        if not point.valid:
            reason = f"audit checkpoint of {point.at:%d %b %Y %H:%M}: {point.problem}"
            report.problems.append(BrokenLink(None, 0, reason))
    trusted = [p for p in points if p.valid]
    anchored: dict[str, tuple[int, str]] = trusted[-1].chains if trusted else {}
    report.checkpoint = trusted[-1] if trusted else None
    wanted = None if concern_ids is None else {chain_key(pk) for pk in concern_ids}
    heads, at_anchor = chain_heads(anchored)
    for key, (length, seal) in anchored.items():
        if wanted is not None and key not in wanted:
            continue
        now_length = heads.get(key, (0, ""))[0]
        when = f"{report.checkpoint.at:%d %b %Y %H:%M}" if report.checkpoint else ""
        if now_length == 0:
            reason = f"its {length} anchored events are missing (checkpoint of {when})"
            report.problems.append(BrokenLink(concern_of(key), 1, reason))
        elif now_length < length:
            reason = f"it has {now_length} events but {length} were anchored on {when}"
            report.problems.append(BrokenLink(concern_of(key), now_length + 1, reason))
        elif at_anchor.get(key) != seal:
            reason = f"it was rewritten: event {length} no longer carries its anchored seal"
            report.problems.append(BrokenLink(concern_of(key), length, reason))
    report.problems += list(unsealed_past_anchor(anchored, wanted))
    return report


def unsealed_past_anchor(
    anchored: dict[str, tuple[int, str]], wanted: set[str] | None
) -> Iterator[BrokenLink]:
    """Events with no key (a plain SHA-256 anyone can compute) that no checkpoint covers."""
    rows = CaseEvent.objects.filter(key_id="").values_list("concern_id", "sequence")
    reported: set[str] = set()
    for concern_id, sequence in rows.order_by("concern_id", "sequence").iterator():
        key = chain_key(concern_id)
        if key in reported or (wanted is not None and key not in wanted):
            continue
        if sequence > anchored.get(key, (0, ""))[0]:
            reported.add(key)
            reason = "it is not sealed with the audit key and no checkpoint covers it (forged?)"
            yield BrokenLink(concern_id, sequence, reason)
