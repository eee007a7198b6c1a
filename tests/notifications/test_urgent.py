"""Urgent means urgent: an urgent escalation marked for a response within 24 hours is due 24
hours later to the minute, flagged on the pages, and its holders are reminded until a named
holder answers, whatever the hour."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from concerns import services
from concerns.models import CaseEvent, Concern
from notifications.models import Kind, Notification
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import Personas, london
from tests.notifications.conftest import reminders, sweep
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

FRIDAY_EVENING = london(2026, 11, 6, 18, 7)  # after working hours, before a weekend
SATURDAY_EVENING = london(2026, 11, 7, 18, 7)


def urgently_escalated(cast: Cast, *, within_24_hours: bool = True) -> Concern:
    concern = scenarios.advance(cast, "stage_1", london(2026, 11, 4, 10, 0))
    data = helpers.urgent_escalation(cast, within_24_hours=within_24_hours)
    return services.concern_escalate_urgently(
        concern_id=concern.pk, actor=cast.raising_manager, data=data, now=FRIDAY_EVENING
    )


def holders_told(people: Personas) -> set[str]:
    by_pk = {people.health_senior.pk: "health_senior", people.social_care_senior.pk: "senior"}
    rows = Notification.objects.filter(kind=Kind.URGENT).values_list("recipient_id", flat=True)
    return {by_pk.get(pk, str(pk)) for pk in rows}


def answer(concern: Concern, author, *, internal: bool = False, at: dt.datetime) -> None:
    services.note_create(
        concern_id=concern.pk,
        actor=author,
        data=helpers.note_data(at, internal=internal),
        now=at,
    )


def test_a_response_within_24_hours_is_due_24_hours_later_to_the_minute(cast: Cast) -> None:
    concern = urgently_escalated(cast)
    assert concern.state == "stage_3"
    assert concern.response_due_at == SATURDAY_EVENING
    event = concern.events.order_by("sequence").last()
    assert event is not None
    assert dt.datetime.fromisoformat(event.payload["response_due_at"]) == SATURDAY_EVENING


def test_without_the_24_hour_mark_there_is_no_response_deadline(cast: Cast) -> None:
    assert urgently_escalated(cast, within_24_hours=False).response_due_at is None


def test_its_reminders_are_not_held_back_to_working_hours(cast: Cast) -> None:
    """At once on a Friday evening, four hours before the deadline, and at it."""
    concern = urgently_escalated(cast)
    planned = [r.due_at for r in reminders(concern, kind=Kind.URGENT)]
    assert planned == [
        FRIDAY_EVENING,
        SATURDAY_EVENING - dt.timedelta(hours=4),
        SATURDAY_EVENING,
    ]


def test_the_holders_are_reminded_at_the_weekend_and_nothing_else_goes_out(
    people: Personas, cast: Cast
) -> None:
    concern = urgently_escalated(cast)
    sweep(FRIDAY_EVENING)  # after working hours: told at once all the same
    assert holders_told(people) == {"health_senior", "senior"}
    sweep(london(2026, 11, 7, 14, 7))  # Saturday afternoon: four hours before the deadline
    others = Notification.objects.exclude(kind=Kind.URGENT)
    assert not others.exists(), "only urgent reminders go out outside working hours"
    sweep(SATURDAY_EVENING)
    sweep(SATURDAY_EVENING + dt.timedelta(hours=2))  # a repeat while nobody has answered
    assert Notification.objects.filter(kind=Kind.URGENT, concern=concern).count() == 8


def test_a_discussion_shared_by_a_named_holder_answers_it_and_the_reminders_stop(
    people: Personas, cast: Cast
) -> None:
    concern = urgently_escalated(cast)
    answer(concern, people.social_care_senior, at=london(2026, 11, 7, 9, 0))
    concern.refresh_from_db()
    assert concern.response_due_at is None
    kinds = list(concern.events.order_by("sequence").values_list("kind", flat=True))
    assert kinds[-2:] == ["note.recorded", "urgent.answered"]
    sweep(SATURDAY_EVENING + dt.timedelta(hours=3))
    assert not Notification.objects.filter(kind=Kind.URGENT).exists()


@pytest.mark.parametrize(
    ("author", "internal"),
    [("health_visitor", False), ("social_care_senior", True)],
    ids=["the-raiser", "an-internal-note"],
)
def test_a_note_by_someone_else_or_kept_internal_does_not_answer_it(
    people: Personas, cast: Cast, author: str, internal: bool
) -> None:
    concern = urgently_escalated(cast)
    answer(concern, getattr(people, author), internal=internal, at=london(2026, 11, 7, 9, 0))
    concern.refresh_from_db()
    assert concern.response_due_at == SATURDAY_EVENING
    assert not CaseEvent.objects.filter(concern=concern, kind="urgent.answered").exists()


def test_moving_on_ends_the_urgent_deadline(people: Personas, cast: Cast) -> None:
    concern = urgently_escalated(cast)
    at = london(2026, 11, 7, 9, 0)
    services.concern_propose(
        concern_id=concern.pk,
        actor=people.social_care_senior,
        data=helpers.resolution(concern, at),
        now=at,
    )
    resolved = scenarios.accept_all(concern, at)
    assert resolved.response_due_at is None


def test_the_concern_page_and_the_list_flag_it(client: Client, people: Personas, cast: Cast):
    concern = urgently_escalated(cast)
    client.force_login(people.social_care_senior)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert "a response is needed by Saturday 7 November 2026, 18:07" in page
    listing = client.get(reverse("concern-list")).content.decode()
    assert "Urgent: response by 7 Nov 18:07" in listing
