"""Sessions (issue 10, item 9; the security checklist's A5): signed out after 30 minutes idle
(each request renews it), after 10 hours whatever the activity, and everywhere at once when
the password changes or the person is deactivated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def signed_in(people: Personas) -> Client:
    client = Client()
    client.force_login(people.health_visitor)
    return client


def test_the_session_lasts_thirty_idle_minutes_and_each_request_renews_it(
    people: Personas,
) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = signed_in(people)
    response = client.get(reverse("home"))
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert client.get(reverse("keep-alive")).cookies["sessionid"]["max-age"] == 30 * 60


def test_after_ten_hours_the_person_signs_in_again_however_active(
    people: Personas, time_machine
) -> None:
    time_machine.move_to(timezone.now())
    client = signed_in(people)
    for _ in range(20):  # active every 29 minutes for 9 hours 40 minutes: still signed in
        time_machine.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
    time_machine.shift(dt.timedelta(minutes=29))  # 10 hours 9 minutes after signing in
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("home")).status_code == 302


def test_a_password_change_ends_every_other_session(people: Personas) -> None:
    office, phone = signed_in(people), signed_in(people)
    user = people.health_visitor
    user.set_password("a new long passphrase for this test")
    user.save()
    assert office.get(reverse("home")).status_code == 302
    assert phone.get(reverse("home")).status_code == 302


def test_deactivating_a_person_ends_their_sessions(people: Personas) -> None:
    client = signed_in(people)
    people.health_visitor.is_active = False
    people.health_visitor.save()
    assert client.get(reverse("home")).status_code == 302


def test_pages_tell_the_browser_the_idle_limit_for_the_warning(people: Personas) -> None:
    page = signed_in(people).get(reverse("home")).content.decode()
    assert 'data-session-idle-seconds="1800"' in page
    assert 'id="session-warning" hidden' in page
