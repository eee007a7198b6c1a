"""Professionals without an account (issue 9, item 6): the other practitioner may be a named
contact (name, role, team, phone or email) with no account; their agency's safeguarding
leads then get the notices and act for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.urls import reverse

from concerns import process, services
from concerns.access import Action
from concerns.errors import InvalidInput
from concerns.models import Concern
from notifications.models import Kind, Notification
from tests.concerns import helpers
from tests.conftest import Personas, london
from tests.notifications.conftest import sweep
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 11, 2, 10, 0)


def raised_with_contact(cast: Cast, **contact: str) -> Concern:
    details = {
        "receiving_contact_name": "Pat Nurse",
        "receiving_contact_role": "School nurse",
        "receiving_contact_team": "North locality",
        "receiving_contact_phone": "0113 000 0000",
        **contact,
    }
    data = replace(
        helpers.draft_data(cast, child_voice="She says she is hungry at school."),
        receiving_practitioner=None,
        **details,
    )
    draft = services.concern_create_draft(actor=cast.raiser, data=data, now=MONDAY)
    return services.concern_submit(
        concern_id=draft.pk,
        actor=cast.raiser,
        data=helpers.submission(cast, MONDAY + dt.timedelta(hours=1)),
        now=MONDAY + dt.timedelta(hours=1),
    )


def test_a_contact_needs_a_way_to_reach_them_and_nothing_is_submitted_without(
    cast: Cast,
) -> None:
    with pytest.raises(InvalidInput) as error:
        raised_with_contact(cast, receiving_contact_phone="")
    assert error.value.errors == {
        "receiving_contact_phone": "Give a phone number or an email address for the contact."
    }
    assert Concern.objects.get().state == "draft"


def test_the_receiving_leads_are_told_and_act_for_the_contact(people: Personas, cast: Cast) -> None:
    concern = raised_with_contact(cast)
    assert concern.state == "stage_1"
    sweep(MONDAY + dt.timedelta(hours=1, minutes=1))
    told = Notification.objects.filter(concern=concern, kind=Kind.SUBMITTED)
    assert set(told.values_list("recipient__full_name", flat=True)) == {"Sasha Lead"}

    moment = process.Moment(concern, today=MONDAY.date())
    lead = people.social_care_lead
    assert {Action.PROPOSE, Action.ESCALATE} <= set(process.actions_now(lead, moment))
    # The raiser proposes; the lead answers for the contact's side.
    services.concern_propose(
        concern_id=concern.pk,
        actor=cast.raiser,
        data=helpers.resolution(concern, MONDAY),
        now=MONDAY + dt.timedelta(hours=2),
    )
    sweep(MONDAY + dt.timedelta(hours=2, minutes=1))
    proposed = Notification.objects.filter(concern=concern, kind=Kind.PROPOSED)
    assert set(proposed.values_list("recipient__full_name", flat=True)) == {"Sasha Lead"}
    resolved = services.concern_accept(
        concern_id=concern.pk, actor=lead, now=MONDAY + dt.timedelta(hours=3)
    )
    assert resolved.state == "resolved" and resolved.raiser_accepts is True
    # Other managers of the agency are not told or given the part.
    assert not Notification.objects.filter(recipient=people.social_care_manager).exists()


def test_the_concern_page_shows_the_contact(client, cast: Cast) -> None:
    concern = raised_with_contact(cast, receiving_contact_email="pat@example.org")
    client.force_login(cast.raiser)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert "Pat Nurse (School nurse, North locality)" in page
    assert "No account: 0113 000 0000, pat@example.org" in page
