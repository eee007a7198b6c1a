"""`manage.py seed_volume N`: many concerns in bulk, indistinguishable from real use."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from concerns import services
from concerns.audit import verify_all
from concerns.calendar import add_working_days, working_days_between
from concerns.demo.volume import seed_volume
from concerns.models import (
    Agency,
    AgreedAction,
    CaseEvent,
    Concern,
    DiscussionNote,
    ProcessSettings,
    ReferenceCounter,
    Role,
    StagePeriod,
    User,
)
from concerns.models.concern import Category, LevelOfNeed

COUNT = 300


@pytest.fixture(scope="class")
def volume(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Seeded once for the class (seeding takes seconds) inside a transaction rolled back
    afterwards; each test runs in its own savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_volume", str(COUNT), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


class TestThreeHundredConcerns:
    def test_it_creates_as_many_concerns_as_asked_and_says_how_long_it_took(self, volume, db):
        assert Concern.objects.count() == COUNT
        assert f"Created {COUNT} concerns" in volume
        assert " s." in volume

    def test_the_concerns_are_spread_over_every_state(self, volume, db):
        states = Counter(Concern.objects.values_list("state", flat=True))
        expected = {"draft", "stage_1", "stage_2", "stage_3", "stage_4"}
        expected |= {"resolved", "closed", "audited", "withdrawn"}
        assert set(states) == expected

    def test_every_audit_chain_verifies(self, volume, db):
        assert list(verify_all()) == []
        out = StringIO()
        call_command("verify_audit", stdout=out)
        assert "All audit chains verified" in out.getvalue()

    def test_every_save_has_its_history_row(self, volume, db):
        """Services save a concern once per recorded step; simple-history writes a row each
        time, the first a creation, the last in the concern's present state."""
        history = Concern.history.model.objects
        rows = dict(history.values_list("id").annotate(n=Count("history_id")).order_by())
        versions = dict(Concern.objects.values_list("id", "version"))
        assert rows == versions
        assert history.filter(history_type="+").count() == COUNT
        latest = {h.id: h for h in history.order_by("history_date", "history_id")}
        assert all(
            latest[pk].state == state for pk, state in Concern.objects.values_list("id", "state")
        )
        assert not history.filter(history_user__isnull=True).exists()

    def test_notes_and_actions_have_history_and_events(self, volume, db):
        notes = CaseEvent.objects.filter(kind="note.recorded").count()
        assert notes > 0
        assert DiscussionNote.history.count() == DiscussionNote.objects.count() == notes
        assert AgreedAction.history.count() == AgreedAction.objects.count() > 0

    def test_references_are_unique_and_the_counter_moves_past_them(self, volume, db, people):
        references = list(Concern.objects.values_list("reference", flat=True))
        assert len(set(references)) == COUNT
        for counter in ReferenceCounter.objects.all():
            numbers = [int(r.rsplit("-", 1)[1]) for r in references if f"-{counter.year}-" in r]
            assert counter.last == max(numbers)
        raised = services.concern_create_draft(
            actor=people.health_visitor,
            data=services.DraftData(
                child_initials="QX",
                receiving_agency=people.social_care,
                category=Category.OTHER,
                level_of_need=LevelOfNeed.NOT_KNOWN,
                summary="A concern raised after the volume data.",
                outcome_sought="A reply.",
            ),
        )
        assert raised.reference not in references

    def test_stored_deadlines_are_add_working_days_of_the_stage_start(self, volume, db):
        deadline = cache(add_working_days)
        periods = StagePeriod.objects.select_related("stage")
        assert periods.exists()
        for period in periods:
            start = timezone.localdate(period.started_at)
            expected = deadline(start, period.stage.working_days)
            assert (period.due_date, period.due_explanation) == (expected.due, expected.explanation)
            if period.stage.response_working_days:
                response = deadline(start, period.stage.response_working_days)
                assert period.response_due_date == response.due
        window = ProcessSettings.current().confirmation_working_days
        running = {p.concern_id: p.stage.working_days for p in periods if p.ended_at is None}
        for concern in Concern.objects.filter(due_date__isnull=False):
            days = window if concern.state == "resolved" else running[concern.pk]
            start = timezone.localdate(concern.stage_started_at)
            assert concern.due_date == deadline(start, days).due

    def test_ended_stage_periods_count_their_working_days(self, volume, db):
        for period in StagePeriod.objects.filter(ended_at__isnull=False):
            start, end = timezone.localdate(period.started_at), timezone.localdate(period.ended_at)
            assert period.working_days == working_days_between(start, end)

    def test_nothing_is_dated_in_the_future(self, volume, db):
        now = timezone.now()
        assert not CaseEvent.objects.filter(created_at__gt=now).exists()
        assert not Concern.objects.filter(updated_at__gt=now).exists()


def test_it_shares_concerns_among_the_people_already_there(people):
    agencies, users = Agency.objects.count(), User.objects.count()
    seed_volume(20)
    assert (Agency.objects.count(), User.objects.count()) == (agencies, users)
    practitioners = {people.health_visitor, people.social_worker, people.police_officer}
    practitioners.add(people.health_colleague)
    raisers = {concern.raised_by for concern in Concern.objects.select_related("raised_by")}
    assert raisers <= practitioners
    assert list(verify_all()) == []


def test_with_nobody_there_it_creates_a_partnership_that_cannot_sign_in(db):
    seed_volume(5)
    assert Concern.objects.count() == 5
    assert User.objects.filter(role=Role.PARTNERSHIP_AUDITOR).exists()
    assert not any(user.has_usable_password() for user in User.objects.all())
