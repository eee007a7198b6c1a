"""Every journey works with JavaScript switched off: the pages are plain forms and links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, expect

from concerns.models import Concern, DiscussionNote
from tests.conftest import Personas

from .conftest import Screenshot, browser_test, sign_in
from .pages import banner, fill_datetime, raise_concern


@browser_test
def test_raising_recording_and_escalating_work_without_javascript(
    browser: Browser, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    context = browser.new_context(
        java_script_enabled=False, locale="en-GB", timezone_id="Europe/London"
    )
    page = context.new_page()
    assert page.evaluate("1 + 1") == 2  # evaluate still works; the page's own scripts do not
    sign_in(page, live_server, people.health_visitor)
    concern_pk = raise_concern(page, timezone.now() - dt.timedelta(hours=1))

    page.get_by_role("button", name="Record a discussion").click()
    fill_datetime(page, timezone.now(), within="When did the discussion take place?")
    page.get_by_label("Who was it with?").fill("Sam Worker, social worker")
    page.get_by_label("Telephone").check()
    page.get_by_label("What was said").fill("Agreed to talk again after the strategy meeting.")
    page.get_by_role("button", name="Record a discussion").click()
    expect(banner(page)).to_contain_text("now has the discussion on its record")

    page.get_by_role("button", name="Escalate to stage 2").click()
    page.get_by_label("Why are you escalating?").fill("No agreement after two conversations.")
    page.get_by_label("The position of Community Health Trust").fill("Threshold met.")
    page.get_by_label("The position of Children's Social Work Service").fill("Not met.")
    page.get_by_label("Who now holds it in Community Health Trust").select_option(
        label="Harriet Manager: First-line manager or designated safeguarding lead"
    )
    page.get_by_label("Who now holds it in Children's Social Work Service").select_option(
        label="Sian Manager: First-line manager or designated safeguarding lead"
    )
    page.get_by_role("button", name="Escalate").click()
    expect(banner(page)).to_contain_text("escalated")
    screenshot(page, "escalated-without-javascript")
    context.close()

    concern = Concern.objects.get(pk=concern_pk)
    assert concern.state == "stage_2"
    assert DiscussionNote.objects.filter(concern=concern).count() == 1
