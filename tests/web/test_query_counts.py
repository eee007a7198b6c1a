"""Home, list and concern pages cost a fixed number of queries, however many concerns exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concerns.models import Concern
from tests.conftest import london
from tests.scenarios import advance

STATES = ["draft", "stage_1", "stage_2", "stage_3", "resolved", "closed", "withdrawn"]


def bulk_concerns(people, count: int) -> None:
    """Minimal rows straight into the table: these tests measure reads, not the process."""
    now, today = timezone.now(), timezone.localdate()
    Concern.objects.bulk_create(
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
            state=STATES[n % len(STATES)],
            due_date=today + dt.timedelta(days=(n % 9) - 4),
            created_at=now,
            updated_at=now,
        )
        for n in range(count)
    )


@pytest.fixture(params=[10, 500], ids=["10-concerns", "500-concerns"])
def loaded(request, people, cast):
    bulk_concerns(people, request.param)
    return advance(cast, "resolved", london(2026, 11, 2, 10))


@pytest.mark.parametrize(
    "persona", ["health_visitor", "health_manager", "social_care_lead", "partnership_officer"]
)
def test_home_and_list_cost_the_same_at_10_and_500_concerns(
    client, people, loaded, persona, django_assert_max_num_queries
):
    client.force_login(getattr(people, persona))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("concern-list"), {"sort": "due"}).status_code == 200
    with django_assert_max_num_queries(12):  # a search is one filter more, not a query per row
        assert client.get(reverse("concern-list"), {"q": "threshold referral"}).status_code == 200


def test_the_concern_page_costs_the_same_at_10_and_500_concerns(
    client, people, loaded, django_assert_num_queries
):
    """Exactly 19 at both sizes: 12 for the page (it was 18: the stages are read once, the
    holders come with the concern, and what the person may do is worked out from what the page
    already read), 3 renewing the session (the idle timeout) and 4 recording the read (the
    person's last access record, the insert in a savepoint)."""
    client.force_login(people.social_care_lead)
    with django_assert_num_queries(19):
        assert client.get(reverse("concern-detail", args=[loaded.pk])).status_code == 200


@pytest.mark.parametrize("state", ["stage_1", "stage_2", "stage_4"])
def test_the_concern_page_reads_the_stage_table_once(client, people, cast, state):
    concern = advance(cast, state, london(2026, 11, 2, 10))
    client.force_login(people.social_care_lead)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("concern-detail", args=[concern.pk])).status_code == 200
    stage_reads = [q for q in queries.captured_queries if 'FROM "concerns_stage"' in q["sql"]]
    assert len(stage_reads) == 1


@pytest.mark.parametrize("persona", ["health_visitor", "social_worker", "social_care_lead"])
def test_what_a_person_may_not_do_costs_the_concern_page_no_queries(
    client, people, cast, persona, django_assert_num_queries
):
    """The page asks only whether each action is allowed: it never builds the refusal that
    names who could act instead (which would look up the people it names)."""
    concern = advance(cast, "stage_2", london(2026, 11, 2, 10))
    client.force_login(getattr(people, persona))
    # 20 at an open stage: one read of the outcome last proposed there (issue 9); 3 renewing
    # the session and 4 recording the read (issue 10); practitioners 19, as they do not see an
    # audit's findings, so none is looked up (issue 11).
    with django_assert_num_queries(20 if persona == "social_care_lead" else 19):
        assert client.get(reverse("concern-detail", args=[concern.pk])).status_code == 200


def test_past_the_cap_the_list_and_home_say_more_than_instead_of_counting_everything(
    client, people, cast, monkeypatch
):
    """Issue 12: the list and home counted every concern a person may see on each request;
    now they count up to a cap (a LIMIT inside the COUNT) and say "more than" past it."""
    from concerns.views import home, listing

    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    monkeypatch.setattr(home, "COUNT_CAP", 3)
    for day in range(5):
        advance(cast, "stage_1", london(2026, 11, 2 + day, 10))
    client.force_login(people.health_visitor)
    page = client.get(reverse("concern-list")).content.decode()
    assert "More than 3 concerns: narrow the filters or search to find one" in page
    assert 'id="count-action">more than 3<' in client.get(reverse("home")).content.decode()
    monkeypatch.setattr(listing, "COUNT_CAP", 1000)
    assert "5 concerns" in client.get(reverse("concern-list")).content.decode()
