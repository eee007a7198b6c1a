"""Issue 10, item 13: the small ones, each as a user (or an attacker) met it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.urls import reverse

from concerns import services
from concerns.errors import InvalidInput
from concerns.models import DiscussionNote
from notifications import sending
from notifications.models import Delivery, DeliveryStatus
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import Personas, london
from tests.notifications.conftest import submitted
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 11, 2, 10, 0)


def test_a_version_that_is_not_a_number_is_refused_with_a_message_not_a_500(
    client,
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "resolved", MONDAY)
    client.force_login(cast.officer)
    response = client.post(reverse("concern-close", args=[concern.pk]), {"version": "abc"})
    assert response.status_code == 409
    assert "reload the page and try again" in response.content.decode()
    concern.refresh_from_db()
    assert concern.state == "resolved"


def test_the_other_agency_does_not_see_that_an_internal_note_exists(
    client,
    people: Personas,
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    services.note_create(
        concern_id=concern.pk,
        actor=cast.responder,
        data=helpers.note_data(MONDAY + dt.timedelta(days=2), internal=True),
        now=MONDAY + dt.timedelta(days=2),
    )
    client.force_login(cast.raiser)
    history = client.get(reverse("concern-history", args=[concern.pk])).content.decode()
    assert "Discussion recorded" not in history
    client.force_login(people.social_care_lead)
    history = client.get(reverse("concern-history", args=[concern.pk])).content.decode()
    assert "Discussion recorded" in history


def test_a_two_mebibyte_note_is_refused_with_a_field_message_and_nothing_saved(
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    data = helpers.note_data(MONDAY + dt.timedelta(days=1), discussion="x" * (2 * 1024 * 1024))
    with pytest.raises(InvalidInput) as error:
        services.note_create(
            concern_id=concern.pk, actor=cast.raiser, data=data, now=MONDAY + dt.timedelta(1)
        )
    assert error.value.errors == {"discussion": "Keep this to 10,000 characters or fewer."}
    assert not DiscussionNote.objects.exists()


def test_email_subjects_are_not_escaped_twice(cast: Cast, mailoutbox) -> None:
    concern = scenarios.advance(cast, "resolved", MONDAY)
    sending.sweep(now=concern.resolved_at + dt.timedelta(minutes=1))
    subjects = {m.subject for m in mailoutbox}
    assert any("confirm the outcome is recorded" in s for s in subjects), subjects
    reminder_day = london(2026, 11, 10, 9, 5)
    sending.sweep(now=reminder_day)
    subjects = {m.subject for m in mailoutbox}
    assert any("agency's records" in s for s in subjects), subjects
    assert not any("&#x27;" in s for s in subjects)


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client,
) -> None:
    response = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True
    )
    assert response.status_code == 200
    assert mail.outbox == []


def test_a_long_sweep_claims_each_delivery_at_the_time_of_its_claim(
    cast: Cast,
    monkeypatch,
) -> None:
    """A sweep that takes 20 minutes must not leave its last claims looking stuck (15
    minutes) to the next sweep, which would send them again."""
    at = london(2026, 11, 2, 10, 0)
    submitted(cast, at)
    ticks = itertools.count(start=0, step=600)  # each claim ten minutes after the last
    monkeypatch.setattr(sending.time, "monotonic", lambda: float(next(ticks)))
    sending.sweep(now=at + dt.timedelta(minutes=1))
    claims = sorted(Delivery.objects.exclude(claimed_at=None).values_list("claimed_at", flat=True))
    assert claims[-1] - claims[0] >= dt.timedelta(minutes=10)
    assert all(d.status == DeliveryStatus.SENT for d in Delivery.objects.all())


def test_nobody_changes_their_own_sign_in_email(client, cast: Cast) -> None:
    """Issue 10, item 5: adding an address and making it primary at /accounts/email/ would
    send the account's password resets elsewhere."""
    from allauth.account.models import EmailAddress

    client.force_login(cast.raiser)
    page = client.get("/accounts/email/")
    assert page.status_code == 200
    assert "ask your agency's safeguarding lead" in page.content.decode().lower()
    response = client.post("/accounts/email/", {"action_add": "", "email": "personal@example.com"})
    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="personal@example.com").exists()
    cast.raiser.refresh_from_db()
    assert cast.raiser.email == "hana.visitor@example.org"


def test_pages_carry_a_strict_csp_a_permissions_policy_and_no_store(client, cast: Cast) -> None:
    """Issue 10, item 10."""
    client.force_login(cast.raiser)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store"
    login = client.get(reverse("account_login"))
    assert login["Cache-Control"] == "no-store"
