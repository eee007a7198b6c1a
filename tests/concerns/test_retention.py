"""Retention, legal hold and disposal (issue 10, item 12; the security checklist's D4).

A finished concern comes up for review six years after it closed, or at the child's 25th
birthday if that is later (the partnership's settings). A partnership officer disposes of it
with a reason: its personal data and case text are erased wherever they are held, the figures
the report counts remain, and the partnership chain records the disposal, which
`verify_audit` then tells apart from tampering. A legal hold stops it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core.management import CommandError
from django.db import DatabaseError, connection, transaction

from concerns.errors import ActionRefused, InvalidInput, NotVisible
from concerns.models import (
    CaseEvent,
    Concern,
    DiscussionNote,
    ProcessSettings,
)
from concerns.reporting.figures import Period, build_report
from concerns.services import retention
from tests.concerns.test_audit_integrity import bypassing_the_guards, verify_audit
from tests.conftest import Personas, london
from tests.retention_story import CLOSED_AT, MARK, closed_in_2018
from tests.scenarios import Cast, Story, advance

pytestmark = pytest.mark.django_db

NOW = london(2026, 12, 2, 11)
IN_2018 = Story(birth_date=dt.date(2012, 6, 1))


@pytest.fixture
def old(cast: Cast) -> Concern:
    return closed_in_2018(cast)


def everywhere() -> str:
    """Every row of every table that could hold the concern's text, as one string."""
    found = []
    for model in apps.get_app_config("concerns").get_models():
        for row in model._default_manager.values():
            found.append(json.dumps(row, default=str))
    return "\n".join(found)


def test_the_review_date_is_six_years_after_closing_or_at_25_if_later(old: Concern) -> None:
    assert old.closed_at is not None
    assert retention.review_date(old) == dt.date(2026, 3, 1)  # 25th birthday is later
    old.child_date_of_birth = dt.date(1999, 1, 1)  # 25 in 2024: six years after closing
    assert retention.review_date(old) == dt.date(2024, 1, 9)
    rules = ProcessSettings.current()
    rules.retention_years = 10
    rules.save()
    assert retention.review_date(old) == dt.date(2028, 1, 9)


def test_due_for_review_lists_finished_concerns_past_their_date(
    old: Concern, cast: Cast, people: Personas
) -> None:
    advance(cast, "stage_2", CLOSED_AT, story=IN_2018)  # still open: never due
    recent = advance(cast, "closed", london(2025, 6, 2, 10))
    due = retention.due_for_review(NOW.date())
    assert [(c.pk, day) for c, day in due] == [(old.pk, dt.date(2026, 3, 1))]
    assert recent.pk not in [c.pk for c, _ in due]
    assert retention.due_for_review(dt.date(2026, 2, 28)) == []
    retention.hold_place(concern_id=old.pk, actor=people.partnership_officer, reason="Inquiry")
    assert retention.due_for_review(NOW.date()) == []


def test_only_a_partnership_officer_disposes(old: Concern, people: Personas, cast: Cast) -> None:
    for someone in (cast.raiser, cast.receiving_manager, people.partnership_auditor):
        with pytest.raises(NotVisible):
            retention.dispose(concern_id=old.pk, actor=someone, reason="Due", now=NOW)
    with pytest.raises(InvalidInput) as refused:
        retention.dispose(concern_id=old.pk, actor=people.partnership_officer, reason=" ")
    assert refused.value.errors == {"reason": "Enter the reason for disposal"}


def test_disposal_is_refused_before_the_date_while_open_and_on_hold(
    old: Concern, cast: Cast, people: Personas
) -> None:
    officer = people.partnership_officer
    early = london(2026, 2, 27, 10)
    with pytest.raises(ActionRefused, match="kept until 1 March 2026"):
        retention.dispose(concern_id=old.pk, actor=officer, reason="Due", now=early)
    open_one = advance(cast, "stage_2", CLOSED_AT, story=IN_2018)
    with pytest.raises(ActionRefused, match="Only a closed or withdrawn concern"):
        retention.dispose(concern_id=open_one.pk, actor=officer, reason="Due", now=NOW)
    retention.hold_place(concern_id=old.pk, actor=officer, reason="Civil claim", now=NOW)
    with pytest.raises(ActionRefused, match=r"legal hold \(Civil claim\)"):
        retention.dispose(concern_id=old.pk, actor=officer, reason="Due", now=NOW)
    retention.hold_lift(concern_id=old.pk, actor=officer, reason="Claim settled", now=NOW)
    retention.dispose(concern_id=old.pk, actor=officer, reason="Due", now=NOW)
    kinds = list(CaseEvent.objects.filter(concern=old).values_list("kind", flat=True))
    assert kinds[-2:] == ["concern.legal_hold_placed", "concern.legal_hold_lifted"]


def test_disposal_erases_the_text_everywhere_and_keeps_the_figures(
    old: Concern, people: Personas
) -> None:
    period = Period(start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31))
    officer = people.partnership_officer
    before = build_report(officer, period, NOW.date())
    assert MARK in everywhere()
    events_before = CaseEvent.objects.filter(concern=old).count()

    retention.dispose(
        concern_id=old.pk, actor=people.partnership_officer, reason="Past review date", now=NOW
    )

    assert MARK not in everywhere()
    concern = Concern.objects.get(pk=old.pk)
    assert concern.disposed_at == NOW
    assert (concern.child_initials, concern.child_date_of_birth, concern.summary) == ("", None, "")
    assert concern.state == old.state and concern.closed_at == old.closed_at
    assert DiscussionNote.objects.get(concern=old).discussion == ""
    assert old.history.count() == 0
    assert CaseEvent.objects.filter(concern=old).count() == events_before  # redacted, not cut
    assert build_report(officer, period, NOW.date()) == before
    record = CaseEvent.objects.get(concern=None, kind="concern.disposed")
    assert record.payload["reference"] == old.reference
    assert record.payload["reason"] == "Past review date"
    assert record.actor == people.partnership_officer
    assert "All audit chains verified" in verify_audit()


def test_tampering_with_a_disposed_concern_is_found(
    old: Concern, people: Personas, postgres: None
) -> None:
    retention.dispose(concern_id=old.pk, actor=people.partnership_officer, reason="Due", now=NOW)
    first = CaseEvent.objects.filter(concern=old).order_by("sequence").first()
    assert first is not None
    with bypassing_the_guards():
        CaseEvent.objects.filter(pk=first.pk).update(payload={"level_of_need": "edited"})
    with pytest.raises(CommandError) as broken:
        verify_audit()
    assert f"concern {old.pk}" in str(broken.value)
    assert "changed after its disposal was recorded" in str(broken.value)


def test_erasing_text_without_a_disposal_is_found(cast: Cast, postgres: None) -> None:
    concern = advance(cast, "closed", CLOSED_AT, story=IN_2018)
    with bypassing_the_guards():
        CaseEvent.objects.filter(concern=concern).update(payload={}, redacted=True)
    with pytest.raises(CommandError) as broken:
        verify_audit()
    assert f"concern {concern.pk}" in str(broken.value)
    assert "no disposal is on record" in str(broken.value)


def test_the_database_lets_events_be_redacted_only_after_disposal(
    old: Concern, people: Personas, postgres: None
) -> None:
    event = CaseEvent.objects.filter(concern=old).first()
    assert event is not None
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(payload={}, redacted=True)
    retention.dispose(concern_id=old.pk, actor=people.partnership_officer, reason="Due", now=NOW)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(hash="0" * 64)  # the seal: never
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert connection.vendor == "postgresql"


def test_checking_disposals_reads_every_chain_at_once(
    cast: Cast, people: Personas, django_assert_max_num_queries
) -> None:
    """verify_audit's disposal check costs the same for one disposed concern or many."""
    from concerns.chain import verify_disposals

    for n in range(3):
        grown = Story(birth_date=dt.date(2000, 1, 1))  # 25 before the review date
        concern = advance(cast, "closed", CLOSED_AT + dt.timedelta(days=n), story=grown)
        retention.dispose(
            concern_id=concern.pk, actor=people.partnership_officer, reason="Due", now=NOW
        )
    with django_assert_max_num_queries(3):
        assert list(verify_disposals()) == []


def test_the_nightly_task_lists_what_has_come_up_for_review(
    old: Concern, time_machine, caplog
) -> None:
    """Beat runs concerns.tasks.retention_review at 02:00; it names the concerns due."""
    from concerns.tasks import retention_review

    time_machine.move_to(NOW)
    with caplog.at_level("INFO", logger="concerns.tasks"):
        assert retention_review() == 1
    assert f"1 concerns are due for retention review: {old.reference} (since 2026-03-01)" in (
        caplog.text
    )
