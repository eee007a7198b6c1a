"""Raising and recording through the pages: errors per field, nothing saved twice."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from concerns.models import CaseEvent, Concern, DiscussionNote
from tests.conftest import london
from tests.scenarios import advance


def details(people, **overrides):
    data = {
        "child_initials": "JD",
        "receiving_agency": people.social_care.pk,
        "receiving_practitioner": people.social_worker.pk,
        "category": "referral_threshold",
        "level_of_need": "child_in_need",
        "summary": "Referral not accepted.",
        "outcome_sought": "An assessment.",
        "child_voice": "Says home is noisy.",
        "consulted_manager": people.health_manager.pk,
        "other_practitioner_contacted_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "lead_professional_told": "yes",
        "action": "submit",
        "token": "t-1",
    }
    data.update(overrides)
    return data


def start_raising(client, at_risk: str = "no"):
    return client.post(reverse("concern-raise"), {"immediate_risk": at_risk})


def test_it_asks_about_immediate_risk_first_and_shows_the_urgent_routes(client, people):
    client.force_login(people.health_visitor)
    response = start_raising(client, "yes")
    assert response.url == reverse("concern-raise-urgent")
    page = client.get(response.url).content.decode()
    assert "999" in page and "safeguarding action" in page
    response = client.post(reverse("concern-raise-urgent"), {"safeguarding_action": ""})
    assert "Say what safeguarding action was taken" in response.content.decode()
    client.post(reverse("concern-raise-urgent"), {"safeguarding_action": "Called the duty team."})
    response = client.post(reverse("concern-raise-details"), details(people))
    concern = Concern.objects.get()
    assert response.url == reverse("concern-detail", args=[concern.pk])
    assert concern.state == "stage_1" and concern.immediate_risk is True
    assert concern.safeguarding_action == "Called the duty team."


def test_submitting_with_missing_data_shows_field_errors_and_saves_nothing(client, people):
    client.force_login(people.health_visitor)
    start_raising(client)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("concern-raise-details"),
        details(people, consulted_manager="", child_date_of_birth=future, summary=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose the manager or safeguarding lead you consulted." in page
    assert "The date of birth must be today or in the past." in page
    assert 'href="#id_summary"' in page
    assert Concern.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_the_same_raise_form_sent_twice_raises_one_concern(client, people):
    client.force_login(people.health_visitor)
    start_raising(client)
    first = client.post(reverse("concern-raise-details"), details(people))
    again = client.post(reverse("concern-raise-details"), details(people))
    assert Concern.objects.count() == 1
    assert again.url == first.url


def test_a_draft_can_be_saved_then_edited_and_submitted(client, people):
    client.force_login(people.health_visitor)
    start_raising(client)
    client.post(
        reverse("concern-raise-details"), details(people, action="draft", consulted_manager="")
    )
    concern = Concern.objects.get()
    assert concern.state == "draft"
    data = details(people, immediate_risk="no", version=concern.version)
    response = client.post(reverse("concern-edit", args=[concern.pk]), data)
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.state == "stage_1"


def test_a_resubmitted_discussion_note_is_recorded_once(client, people, cast):
    concern = advance(cast, "stage_1", london(2026, 11, 2, 10))
    client.force_login(people.social_worker)
    note = {
        "submission_key": "k-1",
        "occurred_at": "2026-11-03T10:00",
        "with_whom": "Hana Visitor",
        "method": "phone",
        "discussion": "We talked.",
    }
    url = reverse("concern-note", args=[concern.pk])
    assert client.post(url, note).status_code == 302
    assert client.post(url, note).status_code == 302
    assert DiscussionNote.objects.filter(concern=concern).count() == 1


def test_a_note_dated_in_the_future_is_refused_on_its_field(client, people, cast):
    concern = advance(cast, "stage_1", london(2026, 11, 2, 10))
    client.force_login(people.social_worker)
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("concern-note", args=[concern.pk]),
        {
            "submission_key": "k-2",
            "occurred_at": future,
            "with_whom": "Hana",
            "method": "phone",
            "discussion": "We talked.",
        },
    )
    assert "The discussion date must not be in the future." in response.content.decode()
    assert DiscussionNote.objects.count() == 0


def test_a_second_escalation_from_a_stale_page_is_told_the_concern_changed(client, people, cast):
    concern = advance(cast, "stage_1", london(2026, 11, 2, 10))
    client.force_login(people.health_visitor)
    form = {
        "version": concern.version,
        "reason": "No agreement.",
        "raising_position": "a",
        "receiving_position": "b",
        "raising_holder": people.health_manager.pk,
        "receiving_holder": people.social_care_manager.pk,
    }
    url = reverse("concern-escalate", args=[concern.pk])
    assert client.post(url, form).status_code == 302
    response = client.post(url, form)
    assert response.status_code == 409
    assert "This concern changed since you opened it" in response.content.decode()
    concern.refresh_from_db()
    assert concern.state == "stage_2"


def test_confirming_twice_by_both_agencies_closes_once(client, people, cast):
    concern = advance(cast, "resolved", london(2026, 11, 2, 10))
    for person in (people.health_visitor, people.social_worker):
        client.force_login(person)
        concern.refresh_from_db()
        client.post(reverse("concern-confirm", args=[concern.pk]), filed(concern))
    concern.refresh_from_db()
    assert concern.state == "closed"
    closed = CaseEvent.objects.filter(concern=concern, kind="concern.closed").count()
    client.post(reverse("concern-confirm", args=[concern.pk]), filed(concern))
    assert CaseEvent.objects.filter(concern=concern, kind="concern.closed").count() == closed == 1


def filed(concern, system: str = "Mosaic", reference: str = "MOS-4411") -> dict[str, object]:
    return {"version": concern.version, "system": system, "record_reference": reference}


def test_confirming_says_where_the_outcome_is_filed(client, people, cast):
    """Issue 11: the confirmation captures the system and the record's reference."""
    concern = advance(cast, "resolved", london(2026, 11, 2, 10))
    client.force_login(people.social_worker)
    url = reverse("concern-confirm", args=[concern.pk])
    page = client.post(url, {"version": concern.version, "system": "other"}).content.decode()
    assert "Enter the name of the system" in page
    assert "Enter the record" in page
    assert not concern.confirmations.exists()
    client.post(url, {**filed(concern), "system": "other", "other_system": "Eclipse"})
    (confirmation,) = concern.confirmations.all()
    assert (confirmation.system, confirmation.record_reference) == ("Eclipse", "MOS-4411")


def test_fields_the_form_does_not_offer_are_ignored(client, people):
    """The security checklist's Z3 (no mass assignment): a raise form posted with a state,
    a reference and another raiser creates a stage 1 concern raised by the person posting."""
    client.force_login(people.health_visitor)
    start_raising(client)
    extra = {
        "state": "closed",
        "reference": "CR-1999-00001",
        "raised_by": people.police_officer.pk,
        "raising_agency": people.police.pk,
        "version": 99,
        "disposed_at": "2020-01-01",
    }
    client.post(reverse("concern-raise-details"), details(people, **extra, token="mass-1"))
    concern = Concern.objects.get()
    assert concern.state == "stage_1"
    assert concern.reference != "CR-1999-00001"
    assert concern.raised_by == people.health_visitor
    assert concern.raising_agency == people.health
    assert concern.disposed_at is None
