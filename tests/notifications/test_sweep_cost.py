"""The sweep asks the database what is due, never walks the concerns: its query count is the
same with 10 or 1,000 open concerns whose reminders are not due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concerns.models import Concern
from notifications.models import Kind, Reminder
from tests.conftest import london
from tests.notifications.conftest import submitted, sweep

pytestmark = pytest.mark.django_db

# Two concerns' submission notices: four notifications, eight deliveries, two events.
SWEEP_QUERIES = 120
FAR = london(2027, 6, 1, 9, 0)


def open_concerns(people, first: int, count: int) -> None:
    """Minimal rows straight into the table, each with two reminders that are not due."""
    at = london(2026, 10, 1, 10)
    concerns = Concern.objects.bulk_create(
        Concern(
            reference=f"CR-2020-{n:05d}",
            child_initials="AB",
            raising_agency=people.health,
            raised_by=people.health_visitor,
            receiving_agency=people.social_care,
            receiving_practitioner=people.social_worker,
            category="other",
            level_of_need="child_in_need",
            summary="s",
            outcome_sought="o",
            state=f"stage_{1 + n % 3}",
            due_date=dt.date(2027, 5, 28),
            stage_started_at=at,
            created_at=at,
            updated_at=at,
        )
        for n in range(first, first + count)
    )
    if any(c.pk is None for c in concerns):
        concerns = list(Concern.objects.filter(reference__startswith="CR-2020-"))
    Reminder.objects.bulk_create(
        Reminder(
            kind=kind,
            key=f"concern:{c.pk}:{c.state}:{kind}",
            concern=c,
            state=c.state,
            due_at=FAR,
            created_at=at,
        )
        for c in concerns
        for kind in (Kind.DUE_SOON, Kind.OVERDUE)
    )


def sweep_queries(cast, at: dt.datetime, assert_max) -> int:
    submitted(cast, at)
    submitted(cast, at)
    with CaptureQueriesContext(connection) as captured, assert_max(SWEEP_QUERIES):
        result = sweep(at + dt.timedelta(seconds=30))
    assert result.reminders_sent == 2
    return len(captured)


def test_the_sweep_costs_the_same_with_10_or_1000_open_concerns(
    cast, people, django_assert_max_num_queries
):
    open_concerns(people, 0, 10)
    with_ten = sweep_queries(cast, london(2026, 11, 2, 10), django_assert_max_num_queries)
    open_concerns(people, 10, 990)
    assert Reminder.objects.filter(status="pending").count() > 2000
    with_thousand = sweep_queries(cast, london(2026, 11, 2, 11), django_assert_max_num_queries)
    assert with_thousand == with_ten


def test_with_nothing_due_the_sweep_is_a_handful_of_queries(people, django_assert_max_num_queries):
    open_concerns(people, 0, 1000)
    with django_assert_max_num_queries(5):
        assert sweep(london(2026, 11, 2, 10)).reminders_sent == 0
