"""The audit trail cannot be rewritten or emptied without `verify_audit` naming the concern
(issue 10, item 3). Each case is what someone with direct access to PostgreSQL could do, the
append-only trigger switched off; the seal (HMAC under a key the database does not hold) and
the signed checkpoint file outside the database catch it."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from concerns.anchor import read_checkpoints, write_checkpoint
from concerns.chain import compute_hash
from concerns.models import CaseEvent, Concern
from concerns.reporting.figures import Period
from concerns.services import ExportKind, report_export_record
from tests.concerns.helpers import START
from tests.concerns.test_audit_integrity import bypassing_the_guards
from tests.conftest import Personas
from tests.scenarios import Cast, advance


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path) -> Path:
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE


@pytest.fixture
def anchored(cast: Cast) -> tuple[Concern, Concern]:
    """Two closed concerns, anchored by a checkpoint."""
    first, second = advance(cast, "closed", START), advance(cast, "closed", START)
    write_checkpoint()
    return first, second


def verify() -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit", stdout=out, stderr=out)
    return out.getvalue() + str(failed.value)


def plain_sha(event: CaseEvent, prev_hash: str) -> str:
    """What someone without the key can compute: SHA-256 over the event, as before keys."""
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
        prev_hash=prev_hash,
    )


def test_untouched_chains_verify_against_their_checkpoint(anchored) -> None:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "All audit chains verified" in out.getvalue()
    assert "anchored by the checkpoint of" in out.getvalue()
    assert read_checkpoints()[-1].valid


def test_the_truncate_escape_hatch_opens_only_in_a_test_database(postgres: None, db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET concerns.allow_truncate = on")
        cursor.execute(
            "SELECT concerns_may_truncate('concerns'), concerns_may_truncate('test_concerns')"
        )
        production, test = cursor.fetchone()
    assert (production, test) == (False, True)


def test_emptying_the_event_table_is_caught_for_every_anchored_concern(
    postgres: None,
    anchored,
) -> None:
    first, second = anchored
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE concerns_caseevent")
    report = verify()
    for concern in (first, second):
        assert f"concern {concern.pk}, event 1: its 8 anchored events are missing" in report


def test_deleting_all_of_one_concerns_events_is_caught(postgres: None, anchored) -> None:
    first, second = anchored
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=first)._raw_delete(connection.alias)
    report = verify()
    assert f"concern {first.pk}, event 1: its 8 anchored events are missing" in report
    assert f"concern {second.pk}" not in report


def test_a_forged_event_with_a_correct_plain_hash_is_caught(postgres: None, anchored) -> None:
    first, _ = anchored
    last = CaseEvent.objects.filter(concern=first).order_by("-sequence").first()
    assert last is not None
    forged = CaseEvent(
        concern=first,
        sequence=last.sequence + 1,
        actor=last.actor,
        created_at=last.created_at + dt.timedelta(hours=1),
        kind="note.recorded",
        from_state="closed",
        to_state="closed",
        payload={"note": 1, "internal": False},
        prev_hash=last.hash,
    )
    forged.hash = plain_sha(forged, last.hash)
    forged.save(force_insert=True)
    assert f"concern {first.pk}, event 9: it is not sealed with the audit key" in verify()


def test_a_chain_rewritten_with_recomputed_hashes_is_caught(postgres: None, anchored) -> None:
    first, _ = anchored
    events = list(CaseEvent.objects.filter(concern=first).order_by("sequence"))
    with bypassing_the_guards():
        previous = ""
        for event in events:
            if event.kind == "concern.resolved":
                event.payload = {**event.payload, "decision": "upheld"}
            seal = plain_sha(event, previous)
            CaseEvent.objects.filter(pk=event.pk).update(
                payload=event.payload, prev_hash=previous, hash=seal, key_id=""
            )
            previous = seal
    report = verify()
    assert f"concern {first.pk}" in report
    assert "it was rewritten: event 8 no longer carries its anchored seal" in report


def test_the_last_event_deleted_with_the_state_rolled_back_is_caught(
    postgres: None,
    anchored,
) -> None:
    first, _ = anchored
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=first, sequence=8)._raw_delete(connection.alias)
        Concern.objects.filter(pk=first.pk).update(state="resolved")
    assert f"concern {first.pk}, event 8: it has 7 events but 8 were anchored" in verify()


def test_the_partnership_chains_tail_deleted_is_caught(
    postgres: None, people: Personas, cast: Cast
) -> None:
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    kinds: tuple[ExportKind, ...] = ("figures", "dataset")
    for kind in kinds:
        report_export_record(actor=people.partnership_officer, kind=kind, period=period)
    write_checkpoint()
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=None, sequence=2)._raw_delete(connection.alias)
    assert "the partnership chain, event 2: it has 1 events but 2 were anchored" in verify()


def test_an_altered_checkpoint_is_reported(anchored, checkpoint_file: Path) -> None:
    line = json.loads(checkpoint_file.read_text())
    first_key = next(iter(line["chains"]))
    line["chains"][first_key][0] -= 1  # someone shortens the anchor to hide a deletion
    checkpoint_file.write_text(json.dumps(line) + "\n")
    assert "its signature does not match (it was altered)" in verify()


def test_events_are_sealed_with_the_current_key_and_old_keys_still_verify(
    cast: Cast,
    settings,
) -> None:
    concern = advance(cast, "stage_1", START)
    assert set(concern.events.values_list("key_id", flat=True)) == {"test"}
    settings.AUDIT_KEYS = {"next": "a-rotated-key-0123456789abcdefghijklmn", **settings.AUDIT_KEYS}
    advance(cast, "stage_1", START)
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "All audit chains verified" in out.getvalue()
    assert CaseEvent.objects.filter(key_id="next").exists()


def test_the_partnership_sees_the_checkpoints_and_nobody_else(
    client, people: Personas, anchored
) -> None:
    client.force_login(people.partnership_auditor)
    page = client.get("/reports/audit-checkpoints/").content.decode()
    assert "The last 30 checkpoints" in page and "Yes" in page
    client.force_login(people.health_manager)
    assert client.get("/reports/audit-checkpoints/").status_code == 404
