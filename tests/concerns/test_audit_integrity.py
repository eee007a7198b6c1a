"""Nobody can quietly rewrite a concern's history: the chain shows any change, and on
PostgreSQL the database itself refuses to change or remove an audit event."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from concerns.chain import event_hash
from concerns.models import CaseEvent, Concern
from concerns.models.events import AppendOnlyError
from tests.concerns.helpers import START
from tests.scenarios import Cast, advance


@pytest.fixture
def closed(cast: Cast) -> Concern:
    """A concern with a chain of six events: drafted ... closed."""
    return advance(cast, "closed", START)


@contextmanager
def bypassing_the_guards(table: str = "concerns_caseevent") -> Iterator[None]:
    """What someone with direct database access could do: on PostgreSQL, switch an append-only
    table's trigger off for a moment (the test's transaction undoes it all)."""
    if connection.vendor != "postgresql":
        yield
        return
    trigger = f"{table}_no_update_delete"
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; ALTER TABLE refuses to run while their checks
        # are pending, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def verify_audit(*concern_ids: int) -> str:
    out = io.StringIO()
    call_command("verify_audit", concern=list(concern_ids) or None, stdout=out, stderr=out)
    return out.getvalue()


def test_verify_audit_passes_on_untouched_chains(closed: Concern, cast: Cast) -> None:
    advance(cast, "withdrawn", START)
    assert "All audit chains verified" in verify_audit()


def test_verify_audit_names_the_first_altered_event(closed: Concern) -> None:
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=closed, sequence=3).update(
            payload={"outcome_statement": "Nothing was agreed."}
        )
    with pytest.raises(CommandError) as failed:
        verify_audit()
    message = str(failed.value)
    assert f"concern {closed.pk}, event 3:" in message
    assert "altered" in message


def test_rehashing_an_altered_event_still_breaks_the_next_link(closed: Concern) -> None:
    event = CaseEvent.objects.get(concern=closed, sequence=3)
    event.payload = {**event.payload, "decision": "upheld"}
    with bypassing_the_guards():
        CaseEvent.objects.filter(pk=event.pk).update(payload=event.payload, hash=event_hash(event))
    with pytest.raises(CommandError) as failed:
        verify_audit()
    message = str(failed.value)
    assert f"concern {closed.pk}, event 4:" in message
    assert "does not point to the previous event's hash" in message


def test_verify_audit_names_the_link_after_a_removed_event(closed: Concern) -> None:
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=closed, sequence=3).delete()
    with pytest.raises(CommandError) as failed:
        verify_audit()
    message = str(failed.value)
    assert f"concern {closed.pk}, event 4:" in message
    assert "expected event 3 here (an event is missing)" in message


def test_verify_audit_checks_only_the_concerns_asked_for(closed: Concern, cast: Cast) -> None:
    other = advance(cast, "stage_2", START)
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=closed, sequence=2).update(kind="concern.edited")
    assert "All audit chains verified" in verify_audit(other.pk)
    with pytest.raises(CommandError, match=f"concern {closed.pk}, event 2:"):
        verify_audit(closed.pk, other.pk)


def test_saving_an_existing_event_is_refused(closed: Concern) -> None:
    event = CaseEvent.objects.get(concern=closed, sequence=2)
    event.payload = {"immediate_risk": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    assert CaseEvent.objects.get(pk=event.pk).payload["immediate_risk"] is False


def test_deleting_an_event_is_refused(closed: Concern) -> None:
    event = CaseEvent.objects.get(concern=closed, sequence=2)
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert CaseEvent.objects.filter(pk=event.pk).exists()


# --- PostgreSQL: the database refuses whatever the client.


def refused_by_the_database(statement: Callable[[], object]) -> None:
    """The statement fails with the trigger's message, and the test can carry on."""
    with (
        pytest.raises(DatabaseError, match="audit events are append-only"),
        transaction.atomic(),
    ):
        statement()


def raw(sql: str, *params: int) -> Callable[[], object]:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


# A closed concern's events: drafted, submitted, outcome proposed, accepted, resolved, two
# confirmations, closed.
CLOSED_EVENTS = 8


def test_the_database_refuses_orm_updates_and_deletes(postgres: None, closed: Concern) -> None:
    events = CaseEvent.objects.filter(concern=closed)
    refused_by_the_database(lambda: events.filter(sequence=3).update(payload={}))
    refused_by_the_database(lambda: events.filter(sequence=3).delete())
    assert events.count() == CLOSED_EVENTS
    assert "All audit chains verified" in verify_audit()


def test_the_database_refuses_raw_updates_and_deletes(postgres: None, closed: Concern) -> None:
    refused_by_the_database(
        raw("UPDATE concerns_caseevent SET kind = 'x' WHERE concern_id = %s", closed.pk)
    )
    refused_by_the_database(raw("DELETE FROM concerns_caseevent WHERE concern_id = %s", closed.pk))
    assert CaseEvent.objects.filter(concern=closed).count() == CLOSED_EVENTS


def test_the_database_refuses_truncate_outside_the_test_runner(
    postgres: None, closed: Concern
) -> None:
    # Pending deferred foreign-key checks would make PostgreSQL refuse TRUNCATE for another
    # reason before the trigger is asked.
    raw("SET CONSTRAINTS ALL IMMEDIATE")()
    raw("SET concerns.allow_truncate = off")()
    try:
        refused_by_the_database(raw("TRUNCATE concerns_caseevent"))
    finally:
        raw("SET concerns.allow_truncate = on")()
    assert CaseEvent.objects.filter(concern=closed).count() == CLOSED_EVENTS
    # With the runner's setting back on, the same statement goes through (undone at once).
    with transaction.atomic():
        raw("TRUNCATE concerns_caseevent")()
        assert not CaseEvent.objects.exists()
        transaction.set_rollback(True)
    assert CaseEvent.objects.filter(concern=closed).count() == CLOSED_EVENTS


def test_verify_audit_finds_events_removed_from_the_end_of_a_chain(closed: Concern) -> None:
    """Removing the newest events leaves a chain that still links up; the concern's state no
    longer matches the state its last event records, and verify_audit names it."""
    assert "All audit chains verified" in verify_audit()
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=closed, sequence__gte=5).delete()
    with pytest.raises(CommandError) as failed:
        verify_audit()
    message = str(failed.value)
    assert f"concern {closed.pk}, event 5:" in message
    assert "removed from the end" in message
