"""The notifications page in a real browser: a reminder arrives, opens the concern, reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications import sending
from notifications.models import Notification
from tests.conftest import Personas
from tests.notifications.conftest import submitted

from .conftest import Screenshot, axe, browser_test, sign_in


@browser_test
def test_a_notification_shows_in_the_header_opens_its_concern_and_is_then_read(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot, settings: Any
) -> None:
    settings.NOTIFY_WORKING_HOURS = "always"
    now = timezone.now()
    concern = submitted(people.cast, now - dt.timedelta(minutes=5))
    sending.sweep(now=now)
    assert Notification.objects.filter(recipient=people.social_worker).exists()

    sign_in(page, live_server, people.social_worker)
    link = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Notifications")
    expect(link).to_contain_text("unread")
    link.click()
    expect(page.locator("main")).to_contain_text(concern.reference)
    screenshot(page, "notifications")
    axe(page)
    page.get_by_role("button", name=f"Open {concern.reference}").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(concern.reference)
    assert not Notification.objects.filter(
        recipient=people.social_worker, concern=concern, read_at__isnull=True
    ).exists()


@browser_test
def test_an_urgent_24_hour_escalation_reminds_its_holder_at_night_until_answered(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    """Escalated urgently through the form at 23:00 (working hours do not hold it back): the
    senior manager named gets the reminder at once, sees the deadline to the minute, and their
    shared discussion answers it."""
    from concerns import services
    from concerns.models import Concern
    from tests.concerns import helpers
    from tests.scenarios import advance

    at = timezone.now() - dt.timedelta(hours=1)
    concern = advance(people.cast, "stage_1", at - dt.timedelta(hours=2), step=dt.timedelta(1 / 96))
    sign_in(page, live_server, people.health_manager)
    page.goto(f"{live_server.url}/concerns/{concern.pk}/escalate-urgently/")
    page.get_by_label("Why are you escalating?").fill("The baby is to go home tonight.")
    page.get_by_label("The position of Community Health Trust").fill("Not safe to discharge.")
    page.get_by_label("The position of Children's Social Work Service").fill("Plan is enough.")
    page.get_by_label("Who now holds it in Community Health Trust").select_option(
        label="Hugh Senior: Senior manager or head of service"
    )
    page.get_by_label("Who now holds it in Children's Social Work Service").select_option(
        label="Simon Senior: Senior manager or head of service"
    )
    page.get_by_label("Why can this not wait?").fill("Discharge is planned for this evening.")
    page.get_by_label("A response is needed within 24 hours").check()
    page.get_by_role("button", name="Urgent escalation").click()
    expect(page.locator(".govuk-warning-text").first).to_contain_text("a response is needed by")
    concern = Concern.objects.get(pk=concern.pk)
    assert concern.response_due_at is not None

    night = timezone.localtime().replace(hour=23, minute=0)
    sending.sweep(now=max(night, timezone.now()))
    told = Notification.objects.filter(concern=concern, kind="urgent")
    assert {n.recipient.full_name for n in told} >= {"Simon Senior", "Hugh Senior"}

    sign_in(page, live_server, people.social_care_senior)
    link = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Notifications")
    link.click()
    expect(page.locator("main")).to_contain_text("needs a response by")
    screenshot(page, "urgent-reminder")
    axe(page)
    services.note_create(
        concern_id=concern.pk,
        actor=people.social_care_senior,
        data=helpers.note_data(timezone.now()),
    )
    assert Concern.objects.get(pk=concern.pk).response_due_at is None
