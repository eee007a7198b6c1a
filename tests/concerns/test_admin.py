"""The admin site shows concerns and their history but never changes them; the process
configuration (stages, closure days, themes) is what administrators edit there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from concerns.models import ClosureDay, Concern, Stage, Theme, User
from tests.concerns.helpers import START, snapshot
from tests.conftest import Personas
from tests.scenarios import Cast, advance


@pytest.fixture
def admin_client(db: None) -> Client:
    admin = User.objects.create_superuser(
        "admin@example.org", "correct horse battery staple", full_name="Ali Admin"
    )
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def concern(cast: Cast) -> Concern:
    return advance(cast, "stage_2", START)


def concern_url(concern: Concern, page: str = "change/") -> str:
    return f"/admin/concerns/concern/{concern.pk}/{page}"


def test_an_administrator_can_read_a_concern_and_its_history(
    admin_client: Client, concern: Concern
) -> None:
    page = admin_client.get(concern_url(concern))
    assert page.status_code == 200
    assert concern.reference in page.text
    history = admin_client.get(concern_url(concern, "history/"))
    assert history.status_code == 200
    assert concern.reference in history.text


def test_the_concern_page_offers_no_save_or_delete(admin_client: Client, concern: Concern) -> None:
    page = admin_client.get(concern_url(concern))
    assert 'name="_save"' not in page.text
    assert concern_url(concern, "delete/") not in page.text
    assert admin_client.get(concern_url(concern, "delete/")).status_code == 403


def test_posting_a_change_to_a_concern_is_refused(admin_client: Client, concern: Concern) -> None:
    before = snapshot(concern.pk)
    response = admin_client.post(
        concern_url(concern), {"summary": "Rewritten.", "state": "closed", "_save": "Save"}
    )
    assert response.status_code == 403
    assert snapshot(concern.pk) == before
    assert Concern.objects.get(pk=concern.pk).summary != "Rewritten."


def test_reverting_a_concern_to_an_earlier_version_is_refused(
    admin_client: Client, concern: Concern
) -> None:
    first = concern.history.earliest()
    assert first.state == "draft"
    version_url = concern_url(concern, f"history/{first.history_id}/")
    page = admin_client.get(version_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text, "an old version is shown with no revert button"
    before = snapshot(concern.pk)
    response = admin_client.post(version_url, {"_save": "Revert"})
    assert response.status_code == 405
    assert snapshot(concern.pk) == before
    assert Concern.objects.get(pk=concern.pk).state == "stage_2"


def test_people_without_admin_access_are_sent_to_sign_in(
    people: Personas, concern: Concern
) -> None:
    client = Client()
    client.force_login(people.health_visitor)
    response = client.get(concern_url(concern))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- Configuration is edited here.


def test_an_administrator_can_change_a_stage_timescale(admin_client: Client) -> None:
    stage = Stage.objects.get(number=2)
    response = admin_client.post(
        f"/admin/concerns/stage/{stage.pk}/change/",
        {
            "number": 2,
            "name": "Designated safeguarding leads",
            "description": stage.description,
            "holder": stage.holder,
            "working_days": 3,
            "response_working_days": "",
            "holder_seniority": "senior_manager",
        },
    )
    assert response.status_code == 302, response.content
    stage.refresh_from_db()
    assert (stage.name, stage.working_days, stage.holder_seniority) == (
        "Designated safeguarding leads",
        3,
        "senior_manager",
    )


def test_an_administrator_can_add_a_closure_day(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/concerns/closureday/add/",
        {"date": "2026-07-15", "description": "Partnership training day"},
    )
    assert response.status_code == 302, response.content
    assert ClosureDay.objects.get(date=dt.date(2026, 7, 15)).description == (
        "Partnership training day"
    )


def test_an_administrator_can_add_and_retire_a_theme(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/concerns/theme/add/", {"name": "Neglect", "is_active": "on"}
    )
    assert response.status_code == 302, response.content
    theme = Theme.objects.get(name="Neglect")
    response = admin_client.post(f"/admin/concerns/theme/{theme.pk}/change/", {"name": "Neglect"})
    assert response.status_code == 302, response.content
    theme.refresh_from_db()
    assert theme.is_active is False
