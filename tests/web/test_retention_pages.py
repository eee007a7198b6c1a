"""The retention pages (issue 10, item 12), as a partnership officer uses them: the list of
concerns due for review, a concern's legal hold and disposal with a reason, and the
subject-access export. Nobody else reaches them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from concerns.models import AccessRecord, Concern
from concerns.models.access_log import Read
from tests.conftest import Personas
from tests.retention_story import MARK, closed_in_2018
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def old(cast: Cast) -> Concern:
    return closed_in_2018(cast)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_partnership_officers_reach_the_retention_pages(
    old: Concern,
    people: Personas,
) -> None:
    for someone in (people.health_visitor, people.health_manager, people.partnership_auditor):
        client = client_for(someone)
        assert client.get(reverse("retention")).status_code == 404
        assert client.get(reverse("concern-retention", args=[old.pk])).status_code == 404
        assert client.get(reverse("concern-subject-access", args=[old.pk])).status_code == 404


def test_an_officer_holds_lifts_and_disposes_with_a_reason(
    old: Concern,
    people: Personas,
) -> None:
    officer = client_for(people.partnership_officer)
    listing = officer.get(reverse("retention")).content.decode()
    assert old.reference in listing
    page = reverse("concern-retention", args=[old.pk])

    blank = officer.post(page, {"step": "dispose", "dispose-reason": ""})
    assert blank.status_code == 200
    assert 'href="#id_dispose-reason"' in blank.content.decode()  # the field's own error
    assert Concern.objects.get(pk=old.pk).disposed_at is None

    officer.post(page, {"step": "hold", "hold-reason": "Civil claim"})
    assert Concern.objects.get(pk=old.pk).legal_hold_reason == "Civil claim"
    refused = officer.post(page, {"step": "dispose", "dispose-reason": "Due"})
    assert "lift the hold first" in refused.content.decode()
    assert Concern.objects.get(pk=old.pk).disposed_at is None

    officer.post(page, {"step": "lift", "lift-reason": "Claim settled"})
    done = officer.post(page, {"step": "dispose", "dispose-reason": "Past its review date"})
    assert done.status_code == 302
    assert Concern.objects.get(pk=old.pk).disposed_at is not None
    detail = officer.get(reverse("concern-detail", args=[old.pk])).content.decode()
    assert "disposed of on" in detail
    assert MARK not in detail


def test_the_subject_access_export_holds_everything_and_is_recorded(
    old: Concern,
    people: Personas,
) -> None:
    officer = client_for(people.partnership_officer)
    response = officer.get(reverse("concern-subject-access", args=[old.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert MARK in document["concern"]["summary"]
    assert any(MARK in note["discussion"] for note in document["discussion_notes"])
    assert [e["sequence"] for e in document["events"]][:2] == [1, 2]
    assert AccessRecord.objects.filter(
        user=people.partnership_officer, concern=old, what=Read.SUBJECT_ACCESS
    ).exists()
