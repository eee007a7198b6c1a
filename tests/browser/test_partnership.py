"""The partnership's pages in a real browser: an auditor samples, audits, and reads the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from concerns.models import Audit, Concern, ProcessSettings
from tests.conftest import Personas
from tests.scenarios import Story, advance

from .conftest import Screenshot, axe, browser_test, sign_in
from .pages import error_summary


@browser_test
def test_an_auditor_samples_audits_one_concern_and_sees_it_in_the_report(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    ProcessSettings.objects.update(small_number_threshold=1)
    concern = advance(people.cast, "closed", timezone.now() - dt.timedelta(days=10))
    sign_in(page, live_server, people.partnership_auditor)
    page.get_by_role("link", name="Audit queue").click()
    screenshot(page, "audit-queue")
    axe(page)
    page.get_by_label("How many to sample").fill("1")
    page.get_by_role("button", name="Pick a random sample").click()
    sample = page.get_by_role("table", name="Your sample")
    expect(sample).to_contain_text(concern.reference)
    sample.get_by_role("link", name=concern.reference).click()
    page.get_by_role("button", name="Audit").click()

    page.get_by_role("button", name="Save the audit").click()
    expect(error_summary(page)).to_contain_text(
        "Say whether the process was followed: yes, partly or no."
    )
    screenshot(page, "audit-form-errors")
    axe(page)
    expect(page.locator("#timescales")).to_contain_text("Yes")
    page.locator("#id_process_followed_0").check()
    page.locator("#id_child_central_0").check()
    page.locator("#id_voice_recorded_0").check()
    page.get_by_label("Green").check()
    page.get_by_label("Findings").fill("Both agencies followed the process within timescales.")
    page.get_by_label("Voice of the child").check()
    screenshot(page, "audit-form")
    axe(page)
    page.get_by_role("button", name="Save the audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("audited")
    expect(page.locator("#audit")).to_contain_text("Green")
    assert Concern.objects.get(pk=concern.pk).state == "audited"
    assert Audit.objects.get(concern=concern).rating == "green"

    page.get_by_role("link", name="Reports").click()
    expect(page.locator("#figure-raised")).to_have_text("1")
    expect(page.locator("#figure-audited")).to_have_text("1")
    ratings = page.get_by_role("table", name="Audit ratings")
    expect(ratings.get_by_role("row", name="Green")).to_contain_text("1")
    themes = page.get_by_role("table", name="Most frequent themes in audit findings")
    expect(themes).to_contain_text("Voice of the child")
    screenshot(page, "report")
    axe(page)


@browser_test
def test_the_report_with_suppressed_cells_and_with_errors_has_no_axe_violations(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    for days in (5, 6, 7):
        advance(people.cast, "closed", timezone.now() - dt.timedelta(days=days))
    sign_in(page, live_server, people.partnership_officer)
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("#figure-raised")).to_have_text("fewer than 5")
    screenshot(page, "report-suppressed")
    axe(page)
    page.goto(f"{live_server.url}/reports/?start=2026-12-31&end=2026-01-01")
    expect(error_summary(page)).to_contain_text("The end of the period must be after its start.")
    screenshot(page, "report-errors")
    axe(page)


@browser_test
def test_an_officer_disposes_of_a_concern_past_its_review_date(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    """Issue 10, item 12: the retention review, a legal hold placed and lifted, and the
    disposal, each page checked with axe."""
    story = Story(initials="QZ", birth_date=dt.date(2000, 1, 1))  # 25 before the review date
    concern = advance(
        people.cast, "closed", timezone.now() - dt.timedelta(days=7 * 365), story=story
    )
    sign_in(page, live_server, people.partnership_officer)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Retention review").click()
    expect(page.get_by_role("heading", name="Due for review (1)")).to_be_visible()
    screenshot(page, "retention-review")
    axe(page)
    page.get_by_role("link", name=concern.reference).click()

    page.get_by_role("button", name="Dispose of the personal data").click()
    expect(error_summary(page)).to_contain_text("Enter the reason")
    axe(page)
    page.locator("#id_hold-reason").fill("Civil claim in progress")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("On hold: Civil claim")
    expect(page.get_by_role("button", name="Dispose of the personal data")).to_have_count(0)
    page.locator("#id_lift-reason").fill("Claim settled")
    page.get_by_role("button", name="Lift the hold").click()
    page.locator("#id_dispose-reason").fill("Past its review date")
    screenshot(page, "retention-dispose")
    axe(page)
    page.get_by_role("button", name="Dispose of the personal data").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Disposed of on")
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    expect(page.locator(".govuk-inset-text")).to_contain_text("disposed of on")
    expect(page.locator("main")).not_to_contain_text("QZ")
    axe(page)
    assert Concern.objects.get(pk=concern.pk).child_initials == ""


@browser_test
def test_the_annual_report_table_prints_and_passes_axe(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    ProcessSettings.objects.update(small_number_threshold=1)
    advance(people.cast, "closed", timezone.now() - dt.timedelta(days=20))
    sign_in(page, live_server, people.partnership_officer)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="The annual report table").click()
    sector = page.get_by_role("table", name="Escalations by raising sector")
    expect(sector).to_contain_text("Health (community and hospital)")
    screenshot(page, "annual-1280")
    axe(page)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "annual-390")
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    expect(page.locator("form.app-no-print")).to_be_hidden()
