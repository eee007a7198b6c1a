"""Cover and handover (issue 9, item 5), written from the issue:

- a person can name cover for a period; cover gets their reminders and may act for them,
  recorded as "X for Y";
- a holder or responder can be reassigned with a reason, by the agency's lead or by the
  person;
- when someone is deactivated, their open concerns appear on their lead's home page and
  digest.

Cover dates are around the real today: pages and the policy judge cover by the date now.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from concerns import access, process, services
from concerns.access import Action
from concerns.errors import ActionRefused, InvalidInput, NotVisible
from concerns.models import Concern, Role, User
from concerns.selectors import concern_get_for, left_behind_for
from notifications import hours, planning
from notifications.models import Kind, Notification
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import Personas, london, person
from tests.notifications.conftest import sweep
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = timezone.now()


def recent(cast: Cast, state: str) -> Concern:
    return scenarios.advance(
        cast, state, NOW - dt.timedelta(hours=2), step=dt.timedelta(minutes=10)
    )


def covered_by(person: User, cover: User, actor: User | None = None) -> None:
    services.cover_create(
        actor=actor or person,
        data=services.CoverData(
            person=person, cover=cover, starts=TODAY, ends=TODAY + dt.timedelta(days=7)
        ),
    )


@pytest.fixture
def colleague(people: Personas) -> User:
    """Another first-line manager in social care, with no part in any concern."""
    return person("Carol Colleague", people.social_care, Role.MANAGER)


def test_cover_sees_and_acts_for_the_person_recorded_as_x_for_y(
    people: Personas, cast: Cast, colleague: User
) -> None:
    concern = recent(cast, "stage_2")
    with pytest.raises(NotVisible):
        concern_get_for(colleague, concern.pk)
    covered_by(people.social_care_manager, colleague)
    colleague = User.objects.get(pk=colleague.pk)

    assert concern_get_for(colleague, concern.pk) == concern
    assert access.Rel.COVER in access.relationships(colleague, concern)
    services.concern_propose(
        concern_id=concern.pk, actor=colleague, data=helpers.resolution(concern, NOW)
    )
    event = concern.events.order_by("sequence").last()
    assert event is not None and event.actor == colleague
    assert event.payload["acting_for"] == people.social_care_manager.pk
    assert event.payload["acting_for_name"] == "Sian Manager"


def test_cover_arranged_for_later_gives_no_sight_before_it_starts(
    people: Personas, cast: Cast, colleague: User
) -> None:
    concern = recent(cast, "stage_2")
    services.cover_create(
        actor=people.social_care_manager,
        data=services.CoverData(
            person=people.social_care_manager,
            cover=colleague,
            starts=TODAY + dt.timedelta(days=1),
            ends=TODAY + dt.timedelta(days=5),
        ),
    )
    colleague = User.objects.get(pk=colleague.pk)
    with pytest.raises(NotVisible):
        concern_get_for(colleague, concern.pk)


def test_cover_is_arranged_by_the_person_or_their_lead_within_their_agency(
    people: Personas, colleague: User
) -> None:
    with pytest.raises(ActionRefused, match="Only the person, or a safeguarding lead"):
        covered_by(people.social_care_manager, colleague, actor=people.social_worker)
    covered_by(people.social_care_manager, colleague, actor=people.social_care_lead)
    with pytest.raises(InvalidInput) as error:
        covered_by(people.social_care_manager, people.health_manager)
    assert error.value.errors == {"cover": "Choose who will cover, from the same agency."}
    with pytest.raises(InvalidInput) as error:
        services.cover_create(
            actor=people.social_care_manager,
            data=services.CoverData(
                person=people.social_care_manager,
                cover=colleague,
                starts=TODAY,
                ends=TODAY - dt.timedelta(days=1),
            ),
        )
    assert error.value.errors == {"ends": "Enter the last day of cover, on or after the first."}


def test_cover_gets_the_persons_reminders(people: Personas, cast: Cast, colleague: User) -> None:
    covered_by(people.social_worker, colleague, actor=people.social_care_lead)
    concern = recent(cast, "stage_1")
    sweep(hours.next_delivery_time(timezone.now()))
    submitted = Notification.objects.filter(concern=concern, kind=Kind.SUBMITTED)
    assert set(submitted.values_list("recipient__full_name", flat=True)) == {
        "Sam Worker",
        "Sasha Lead",
        "Carol Colleague",
    }


def test_a_holder_hands_over_with_a_reason_and_both_keep_sight_of_it(
    people: Personas, cast: Cast, colleague: User
) -> None:
    concern = recent(cast, "stage_2")
    with pytest.raises(InvalidInput) as error:
        services.concern_hand_over(
            concern_id=concern.pk,
            actor=people.social_care_manager,
            data=services.HandoverData("receiving_holder", colleague, ""),
        )
    assert error.value.errors == {"reason": "Say why it is handed over."}
    services.concern_hand_over(
        concern_id=concern.pk,
        actor=people.social_care_manager,
        data=services.HandoverData("receiving_holder", colleague, "Leaving the team."),
    )
    concern = Concern.objects.get(pk=concern.pk)
    assert concern.receiving_holder == colleague
    assert concern_get_for(people.social_care_manager, concern.pk) == concern
    moment = process.Moment(concern, today=TODAY)
    assert Action.PROPOSE in process.actions_now(colleague, moment)
    assert Action.PROPOSE not in process.actions_now(people.social_care_manager, moment)
    event = concern.events.order_by("sequence").last()
    assert event is not None and event.kind == "concern.handed_over"
    assert event.payload["reason"] == "Leaving the team."


def test_only_the_person_named_or_their_agencys_lead_hands_over(
    people: Personas, cast: Cast, colleague: User
) -> None:
    concern = recent(cast, "stage_2")
    data = services.HandoverData("receiving_holder", colleague, "Caseload.")
    with pytest.raises(ActionRefused):
        services.concern_hand_over(concern_id=concern.pk, actor=people.health_manager, data=data)
    services.concern_hand_over(concern_id=concern.pk, actor=people.social_care_lead, data=data)
    # A holder must be senior enough for the stage: a practitioner cannot hold stage 2.
    with pytest.raises(InvalidInput):
        services.concern_hand_over(
            concern_id=concern.pk,
            actor=people.social_care_lead,
            data=services.HandoverData("receiving_holder", people.social_worker, "Caseload."),
        )


def test_a_leavers_open_concerns_show_on_their_leads_home_page_and_digest(
    client,
    people: Personas,
    cast: Cast,
) -> None:
    concern = recent(cast, "stage_2")
    people.social_care_manager.is_active = False
    people.social_care_manager.save()
    assert list(left_behind_for(people.social_care_lead)) == [concern]
    assert list(left_behind_for(people.health_lead)) == []
    client.force_login(people.social_care_lead)
    page = client.get(reverse("home")).content.decode()
    assert "Named people have left: hand these over" in page and concern.reference in page

    planning.plan_digests(now=london(2026, 12, 3, 8, 0))  # a Thursday
    sweep(london(2026, 12, 3, 9, 5))
    digest = Notification.objects.get(kind=Kind.DIGEST, recipient=people.social_care_lead)
    assert [c["reference"] for c in digest.context["left"]] == [concern.reference]
    assert not Notification.objects.filter(kind=Kind.DIGEST, recipient=people.health_lead)


def test_the_cover_page_arranges_cover_with_field_errors(
    client,
    people: Personas,
    colleague: User,
) -> None:
    client.force_login(people.social_care_manager)
    response = client.post(reverse("cover"), {"cover": colleague.pk, "starts": "", "ends": ""})
    assert "Enter the first day of cover, today or later." in response.content.decode()
    response = client.post(
        reverse("cover"),
        {"cover": colleague.pk, "starts": TODAY.isoformat(), "ends": TODAY.isoformat()},
    )
    assert response.status_code == 302
    page = client.get(reverse("cover")).content.decode()
    assert "Carol Colleague" in page


def test_a_note_by_cover_says_for_whom_and_answers_an_urgent_escalation(
    people: Personas, cast: Cast, colleague: User
) -> None:
    concern = recent(cast, "stage_1")
    data = helpers.urgent_escalation(cast)
    data.receiving_holder = people.social_care_senior
    concern = services.concern_escalate_urgently(
        concern_id=concern.pk, actor=people.health_manager, data=data
    )
    assert concern.response_due_at is not None
    senior_colleague = person("Stella Senior", people.social_care, Role.SENIOR_MANAGER)
    covered_by(people.social_care_senior, senior_colleague)
    senior_colleague = User.objects.get(pk=senior_colleague.pk)
    services.note_create(
        concern_id=concern.pk, actor=senior_colleague, data=helpers.note_data(timezone.now())
    )
    concern = Concern.objects.get(pk=concern.pk)
    assert concern.response_due_at is None
    note = concern.events.get(kind="note.recorded")
    assert note.payload["acting_for_name"] == "Simon Senior"
