"""The concern list's and the audit queue's filters are the selectors' filters: what a page
lists is exactly what `concern_list_for` or `audit_queue_for` returns for the same filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from concerns import selectors
from concerns.errors import NotVisible
from concerns.models.concern import Category
from tests.concerns.test_partnership_services import closed_at_stage_2
from tests.conftest import london
from tests.scenarios import Story, advance

APRIL_FOOLS = dt.date(2026, 4, 1)


@pytest.fixture
def clocks(cast):
    """Submitted Tue 3 Mar (stage 1 due 10 Mar) or Tue 31 Mar (due 7 Apr); resolved Wed 4 Mar
    (confirmations due 11 Mar); and one closed, whose clock has stopped."""
    start, later = london(2026, 3, 2, 10), london(2026, 3, 30, 10)
    return {
        "early": advance(cast, "stage_1", start),
        "late": advance(cast, "stage_1", later),
        "resolved": advance(cast, "resolved", start),
        "closed": advance(cast, "closed", start),
    }


def listed(client, user, query: dict) -> list[int]:
    with time_machine.travel(london(2026, 4, 1, 12), tick=False):
        client.force_login(user)
        response = client.get(reverse("concern-list"), query)
    assert response.status_code == 200
    return [c.pk for c in response.context["page"].object_list]


def test_overdue_means_a_running_clock_past_its_due_date(people, clocks):
    overdue = selectors.concern_list_for(
        people.health_visitor, {"overdue": True}, today=APRIL_FOOLS
    )
    assert {c.pk for c in overdue} == {clocks["early"].pk, clocks["resolved"].pk}
    a_month_earlier = selectors.concern_list_for(
        people.health_visitor, {"overdue": True}, today=dt.date(2026, 3, 1)
    )
    assert not a_month_earlier.exists()


def test_the_overdue_filter_needs_to_be_told_what_day_it_is(people, clocks):
    with pytest.raises(ValueError, match="today"):
        selectors.concern_list_for(people.health_visitor, {"overdue": True})


@pytest.mark.parametrize(
    "query",
    [
        {"overdue": "on"},
        {"overdue": "on", "state": "open"},
        {"overdue": "on", "sort": "-created"},
        {"state": "open", "sort": "-due"},
        {},
    ],
)
def test_the_list_page_lists_what_the_selector_returns(client, people, clocks, query):
    data = {**query, "overdue": "overdue" in query}
    expected = selectors.concern_list_for(people.health_visitor, data, today=APRIL_FOOLS)
    assert listed(client, people.health_visitor, query) == [c.pk for c in expected]


def test_without_filters_the_list_is_everything_visible_in_no_set_order(people, clocks):
    concerns = selectors.concern_list_for(people.health_visitor)
    assert not concerns.query.order_by
    assert {c.pk for c in concerns} == {c.pk for c in clocks.values()}


@pytest.fixture
def closed(cast):
    """Two concerns closed at stage 1, one (about referral thresholds) closed at stage 2, and
    one still open at stage 2."""
    ones = [advance(cast, "closed", london(2026, 11, 2 + n, 10)) for n in range(2)]
    two = closed_at_stage_2(
        cast, london(2026, 11, 9, 10), Story(category=Category.REFERRAL_THRESHOLD)
    )
    advance(cast, "stage_2", london(2026, 11, 9, 10))
    return ones, two


def test_the_audit_queue_is_closed_concerns_longest_closed_first_with_their_highest_stage(
    people, closed
):
    ones, two = closed
    queue = selectors.audit_queue_for(people.partnership_auditor)
    assert [(c.pk, c.highest) for c in queue] == [(ones[0].pk, 1), (ones[1].pk, 1), (two.pk, 2)]


@pytest.mark.parametrize(
    "persona",
    ["health_visitor", "social_care_manager", "social_care_senior", "partnership_officer"],
)
def test_only_an_auditor_has_an_audit_queue(people, closed, persona):
    with pytest.raises(NotVisible):
        selectors.audit_queue_for(getattr(people, persona))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"stage": "2"}, ["two"]),
        ({"stage": "1"}, ["one", "other one"]),
        ({"category": Category.REFERRAL_THRESHOLD}, ["two"]),
        ({"agency": "health"}, ["one", "other one", "two"]),
        ({"agency": "police"}, []),
        ({}, ["one", "other one", "two"]),
    ],
)
def test_the_audit_queue_page_lists_what_the_selector_returns(
    client, people, closed, query, expected
):
    ones, two = closed
    names = {"one": ones[0].pk, "other one": ones[1].pk, "two": two.pk}
    agencies = {"health": people.health, "police": people.police}
    data = {**query}
    if "agency" in query:
        data["agency"] = agencies[query["agency"]]
        query = {**query, "agency": agencies[query["agency"]].pk}
    if "stage" in query:
        data["stage"] = int(query["stage"])
    client.force_login(people.partnership_auditor)
    response = client.get(reverse("audit-queue"), query)
    shown = [c.pk for c in response.context["concerns"]]
    assert shown == [c.pk for c in selectors.audit_queue_for(people.partnership_auditor, data)]
    assert shown == [names[name] for name in expected]
