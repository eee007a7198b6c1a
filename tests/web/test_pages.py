"""Every page answers for the people who may see it, and 404s for those who may not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from concerns.models import CaseEvent, Concern
from tests.conftest import london
from tests.scenarios import advance

START = london(2026, 11, 2, 10, 0)


@pytest.fixture
def open_concern(cast):
    return advance(cast, "stage_2", START)


def test_home_list_and_concern_pages_render_for_the_raiser(client, people, open_concern):
    client.force_login(people.health_visitor)
    for url in [
        reverse("home"),
        reverse("concern-list"),
        reverse("concern-detail", args=[open_concern.pk]),
        reverse("concern-history", args=[open_concern.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Hana Visitor" in response.content.decode()
    page = client.get(reverse("concern-detail", args=[open_concern.pk])).content.decode()
    assert open_concern.reference in page
    assert (
        "Chain verified"
        in client.get(reverse("concern-history", args=[open_concern.pk])).content.decode()
    )


def test_an_outsider_gets_404_on_every_concern_url(client, people, open_concern):
    client.force_login(people.police_manager)
    for name in [
        "concern-detail",
        "concern-history",
        "concern-escalate",
        "concern-propose",
        "concern-dispute",
        "concern-note",
        "concern-withdraw",
        "concern-edit",
    ]:
        assert client.get(reverse(name, args=[open_concern.pk])).status_code == 404, name
    response = client.get(reverse("concern-list"))
    assert open_concern.reference not in response.content.decode()


def test_a_manager_escalates_with_a_reason_and_sees_a_success_banner(client, people, open_concern):
    client.force_login(people.social_care_manager)
    url = reverse("concern-escalate", args=[open_concern.pk])
    response = client.post(
        url,
        {
            "version": open_concern.version,
            "reason": "No agreement at stage 2.",
            "raising_position": "Threshold met.",
            "receiving_position": "Threshold not met.",
            "raising_holder": people.health_senior.pk,
            "receiving_holder": people.social_care_senior.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "escalated" in response.content.decode()
    open_concern.refresh_from_db()
    assert open_concern.state == "stage_3"


def test_a_refused_escalation_shows_why_and_changes_nothing(client, people, open_concern):
    client.force_login(people.health_visitor)
    url = reverse("concern-escalate", args=[open_concern.pk])
    events = CaseEvent.objects.filter(concern=open_concern).count()
    response = client.post(
        url,
        {
            "version": open_concern.version,
            "reason": "r",
            "raising_position": "a",
            "receiving_position": "b",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "only the named holder in Community Health Trust (Harriet Manager)" in page
    assert "the named holder in Children&#x27;s Social Work Service (Sian Manager)" in page
    assert Concern.objects.get(pk=open_concern.pk).state == "stage_2"
    assert CaseEvent.objects.filter(concern=open_concern).count() == events


def test_a_get_to_a_one_click_transition_is_refused(client, people, open_concern):
    client.force_login(people.health_visitor)
    assert client.get(reverse("concern-close", args=[open_concern.pk])).status_code == 405


def test_sign_in_page_renders(client):
    assert client.get(reverse("account_login")).status_code == 200


def test_a_manager_escalates_urgently_from_stage_2_to_stage_3_through_the_page(
    client, people, open_concern
):
    client.force_login(people.social_care_manager)
    page = client.get(reverse("concern-detail", args=[open_concern.pk])).content.decode()
    assert "Urgent escalation to stage 3" in page
    form = client.get(reverse("concern-escalate-urgently", args=[open_concern.pk]))
    assert 'name="receiving_holder"' in form.content.decode()
    response = client.post(
        reverse("concern-escalate-urgently", args=[open_concern.pk]),
        {
            "version": open_concern.version,
            "reason": "The child was seen with an injury.",
            "raising_position": "A strategy discussion is needed today.",
            "receiving_position": "Agreed it cannot wait.",
            "urgency": "Injury seen this morning.",
            "within_24_hours": "on",
            "raising_holder": people.health_senior.pk,
            "receiving_holder": people.social_care_senior.pk,
        },
    )
    assert response.status_code == 302
    open_concern.refresh_from_db()
    assert open_concern.state == "stage_3"
    assert open_concern.receiving_holder == people.social_care_senior


def test_a_first_line_manager_cannot_be_named_to_hold_stage_3(client, people, open_concern):
    """Stage 3 is for senior managers: the picker lists only them, with their roles, and the
    service refuses a first-line manager named by hand."""
    client.force_login(people.social_care_manager)
    url = reverse("concern-escalate", args=[open_concern.pk])
    form = client.get(url).content.decode()
    assert "Simon Senior: Senior manager or head of service" in form
    assert "Sian Manager" not in form.split('name="receiving_holder"')[1].split("</select>")[0]
    response = client.post(
        url,
        {
            "version": open_concern.version,
            "reason": "No agreement at stage 2.",
            "raising_position": "Threshold met.",
            "receiving_position": "Threshold not met.",
            "raising_holder": people.health_senior.pk,
            "receiving_holder": people.social_care_manager.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Concern.objects.get(pk=open_concern.pk).state == "stage_2"


def test_an_uninvolved_manager_of_the_same_agency_gets_404(client, people, open_concern):
    """Need to know: a manager of the receiving agency who is not named sees nothing."""
    client.force_login(people.social_care_senior)
    assert client.get(reverse("concern-detail", args=[open_concern.pk])).status_code == 404
    listing = client.get(reverse("concern-list")).content.decode()
    assert open_concern.reference not in listing


def test_a_safeguarding_lead_sees_every_concern_involving_their_agency(
    client, people, open_concern
):
    client.force_login(people.social_care_lead)
    assert client.get(reverse("concern-detail", args=[open_concern.pk])).status_code == 200


def test_every_post_needs_its_csrf_token(people, open_concern):
    """The security checklist's Z8: a form posted without the page's token is refused (403)
    and changes nothing."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.health_visitor)
    notes = open_concern.notes.count()
    for url in (
        reverse("concern-note", args=[open_concern.pk]),
        reverse("concern-escalate", args=[open_concern.pk]),
        reverse("account_logout"),
    ):
        assert client.post(url, {"version": open_concern.version}).status_code == 403, url
    assert open_concern.notes.count() == notes
    assert client.get(reverse("home")).status_code == 200  # still signed in: logout refused


def test_a_refused_attempt_changes_nothing_and_is_logged(people, open_concern, caplog):
    """The security checklist's Z4: the server checks the actor and the state; a refusal is
    logged with who, which concern and why (never what was typed)."""
    from django.test import Client

    client = Client()
    client.force_login(people.social_care_lead)  # sees it; escalating at stage 1 is not theirs
    version = open_concern.version
    with caplog.at_level("WARNING", logger="concerns.refusals"):
        response = client.post(
            reverse("concern-escalate", args=[open_concern.pk]),
            {"version": version, "reason": "secret words typed"},
        )
    assert response.status_code == 409
    open_concern.refresh_from_db()
    assert open_concern.version == version
    (line,) = [r.getMessage() for r in caplog.records if r.name == "concerns.refusals"]
    assert open_concern.reference in line and "secret words" not in line
