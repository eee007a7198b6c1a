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
