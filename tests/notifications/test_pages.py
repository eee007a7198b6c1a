"""A person's own notifications: the page, the unread count in the header, opening one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import planning
from notifications.models import Kind, Notification
from tests.conftest import london
from tests.notifications.conftest import submitted, sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(cast):
    """A submitted concern whose notices went out: the responder and the receiving lead."""
    concern = submitted(cast, london(2026, 11, 2, 10))
    sweep(london(2026, 11, 2, 10, 1))
    return concern


def mine(person) -> Notification:
    return Notification.objects.get(recipient=person)


def test_the_header_shows_how_many_notifications_are_unread(client, people, told):
    client.force_login(people.social_worker)
    page = client.get(reverse("home")).content.decode()
    assert "Notifications (1 unread)" in page
    client.force_login(people.police_officer)
    page = client.get(reverse("home")).content.decode()
    assert "Notifications" in page and "unread)" not in page


def test_the_page_lists_only_the_persons_own_notifications(client, people, told):
    client.force_login(people.social_worker)
    page = client.get(reverse("notifications:list")).content.decode()
    assert told.reference in page
    assert "Concern raised with your agency" in page
    client.force_login(people.health_visitor)  # the raiser was not told of her own concern
    page = client.get(reverse("notifications:list")).content.decode()
    assert told.reference not in page
    assert "You have no notifications yet." in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_concern(client, people, told):
    client.force_login(people.social_worker)
    response = client.post(reverse("notifications:open", args=[mine(people.social_worker).pk]))
    assert response.status_code == 302
    assert response.url == reverse("concern-detail", args=[told.pk])
    assert mine(people.social_worker).read_at is not None
    assert "unread)" not in client.get(reverse("home")).content.decode()
    # The lead's copy is theirs: still unread.
    assert mine(people.social_care_lead).read_at is None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, people, told):
    client.force_login(people.police_officer)
    theirs = mine(people.social_care_lead)
    response = client.post(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 404
    assert mine(people.social_care_lead).read_at is None


def test_opening_is_a_post_a_get_changes_nothing(client, people, told):
    client.force_login(people.social_worker)
    response = client.get(reverse("notifications:open", args=[mine(people.social_worker).pk]))
    assert response.status_code == 405
    assert mine(people.social_worker).read_at is None


def test_mark_all_as_read(client, people, told):
    client.force_login(people.social_care_lead)
    response = client.post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert mine(people.social_care_lead).read_at is not None
    assert mine(people.social_worker).read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client, told):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_the_header_count_costs_one_query(client, people, told):
    client.force_login(people.social_worker)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("concern-list"))
    about_notifications = [q for q in captured if "notifications_notification" in q["sql"]]
    assert len(about_notifications) == 1


def test_opening_a_digest_goes_to_the_overdue_concerns(client, people, told):
    planning.plan_digests(now=london(2026, 11, 10, 9, 0))
    sweep(london(2026, 11, 10, 9, 0))
    client.force_login(people.social_care_lead)
    digest = Notification.objects.get(recipient=people.social_care_lead, kind=Kind.DIGEST)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Overdue concerns in your agency" in page
    response = client.post(reverse("notifications:open", args=[digest.pk]))
    assert response.url == reverse("concern-list") + "?overdue=on"
