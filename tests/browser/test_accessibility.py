"""axe-core finds no violations on any kind of page, in any state a person can meet it in.

Each test visits several pages and reports every violation it finds before failing, so one
broken page does not hide another. Every page visited is also saved as a screenshot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from concerns import services
from concerns.models import Concern, Role
from tests.concerns import helpers
from tests.conftest import Personas, person
from tests.scenarios import Cast, advance

from .conftest import Screenshot, axe, axe_violations, browser_test, describe_violations, sign_in
from .pages import answer_immediate_risk, error_summary, fill_date

FRESH = dt.timedelta(minutes=5)


@dataclass
class Audit:
    """Screenshots each page and collects its axe-core violations, to report them together."""

    screenshot: Screenshot
    found: dict[str, str] = field(default_factory=dict)

    def check(self, page: Page, name: str) -> None:
        self.screenshot(page, name)
        violations = axe_violations(page)
        if violations:
            self.found[f"{name} ({page.url})"] = describe_violations(violations)

    def assert_clean(self) -> None:
        report = "\n\n".join(f"{name}:\n{text}" for name, text in self.found.items())
        if report:
            print(f"axe-core violations:\n{report}")
        assert not self.found, report


@pytest.fixture
def audit(screenshot: Screenshot) -> Audit:
    return Audit(screenshot)


def recent(cast: Cast, state: str) -> Concern:
    """A concern taken to `state` in the last hour, so no clock has run out."""
    return advance(cast, state, timezone.now() - dt.timedelta(hours=1), step=FRESH)


def overdue(cast: Cast, state: str) -> Concern:
    """A concern whose stage clock ran out weeks ago."""
    return advance(cast, state, timezone.now() - dt.timedelta(days=40))


@browser_test
def test_the_sign_in_page_has_no_axe_violations(
    page: Page, live_server: Any, screenshot: Screenshot
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "sign-in")
    axe(page)
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page)).to_be_visible()
    screenshot(page, "sign-in-errors")
    axe(page)


@browser_test
def test_the_raising_pages_have_no_axe_violations_with_or_without_errors(
    page: Page, live_server: Any, people: Personas, audit: Audit
) -> None:
    sign_in(page, live_server, people.health_visitor)
    page.get_by_role("button", name="Raise a concern").click()
    audit.check(page, "raise-start")
    page.get_by_role("button", name="Continue").click()
    expect(error_summary(page)).to_be_visible()
    audit.check(page, "raise-start-errors")

    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    audit.check(page, "raise-urgent")
    page.get_by_role("button", name="Continue").click()
    expect(error_summary(page)).to_be_visible()
    audit.check(page, "raise-urgent-errors")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    answer_immediate_risk(page, "No")
    audit.check(page, "raise-details")
    page.get_by_role("button", name="Submit").click()
    expect(error_summary(page)).to_be_visible()
    audit.check(page, "raise-details-errors")
    audit.assert_clean()


@browser_test
def test_home_list_and_concern_pages_in_every_state_have_no_axe_violations(
    page: Page, live_server: Any, people: Personas, audit: Audit
) -> None:
    cast = people.cast
    concerns = {
        "draft": recent(cast, "draft"),
        "stage-1": recent(cast, "stage_1"),
        "stage-2-overdue": overdue(cast, "stage_2"),
        "resolved": recent(cast, "resolved"),
        "closed": recent(cast, "closed"),
    }
    sign_in(page, live_server, people.health_visitor)
    audit.check(page, "home")
    page.goto(f"{live_server.url}/concerns/?state=open&category=information_sharing&sort=-due")
    audit.check(page, "list-filtered")
    page.goto(f"{live_server.url}/concerns/?overdue=on")
    audit.check(page, "list-overdue-only")
    for name, concern in concerns.items():
        page.goto(f"{live_server.url}/concerns/{concern.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(concern.reference)
        audit.check(page, f"concern-{name}")
    page.get_by_role("link", name="Full audit history").click()
    audit.check(page, "history")
    page.goto(f"{live_server.url}/concerns/{max(c.pk for c in concerns.values()) + 1}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    audit.check(page, "not-found")
    page.goto(f"{live_server.url}/concerns/{concerns['draft'].pk}/edit/")
    audit.check(page, "edit-draft")
    audit.assert_clean()


@browser_test
def test_the_action_forms_have_no_axe_violations_with_or_without_errors(
    page: Page, live_server: Any, people: Personas, audit: Audit
) -> None:
    concern = overdue(people.cast, "stage_2")
    sign_in(page, live_server, people.social_care_manager)
    for step, button in [
        ("escalate", "Escalate"),
        ("propose", "Propose an outcome"),
        ("note", "Record a discussion"),
    ]:
        page.goto(f"{live_server.url}/concerns/{concern.pk}/{step}/")
        audit.check(page, step)
        if step == "propose":  # half an agreed action: the formset's own error summary too
            page.locator("#id_actions-0-owner_agency").select_option(
                label="Children's Social Work Service"
            )
        page.get_by_role("button", name=button).click()
        expect(error_summary(page).first).to_be_visible()
        audit.check(page, f"{step}-errors")

    sign_in(page, live_server, people.health_visitor)  # a refusal: the reason, no field errors
    page.goto(f"{live_server.url}/concerns/{concern.pk}/escalate/")
    audit.check(page, "escalate-refused")
    audit.assert_clean()


@browser_test
def test_pausing_resuming_and_an_urgent_response_have_no_axe_violations(
    page: Page, live_server: Any, people: Personas, audit: Audit
) -> None:
    """A holder pauses a stage through its form (with errors, then without), sees it paused,
    resumes it and is told the moved deadline; an urgent escalation's page is flagged."""
    concern = recent(people.cast, "stage_1")
    sign_in(page, live_server, people.social_worker)
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    page.get_by_role("button", name="Pause").click()
    audit.check(page, "pause-form")
    page.get_by_role("button", name="Pause").click()
    expect(error_summary(page)).to_contain_text("Choose what the concern is waiting for.")
    expect(error_summary(page)).to_contain_text("Enter the date you expect to resume")
    audit.check(page, "pause-form-errors")
    page.get_by_label("Awaiting a strategy discussion").check()
    resume_on = timezone.localdate() + dt.timedelta(days=10)
    fill_date(page, resume_on, within="When do you expect to resume it?")
    page.get_by_role("button", name="Pause").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("awaiting a strategy discussion")
    audit.check(page, "paused")
    page.get_by_role("button", name="Resume").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("resumed: now due")
    audit.check(page, "resumed")

    urgent = recent(people.cast, "stage_1")
    services.concern_escalate_urgently(
        concern_id=urgent.pk,
        actor=people.health_manager,
        data=helpers.urgent_escalation(people.cast),
    )
    sign_in(page, live_server, people.social_care_senior)
    page.goto(f"{live_server.url}/concerns/{urgent.pk}/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("a response is needed by")
    audit.check(page, "urgent-response")
    page.goto(f"{live_server.url}/concerns/")
    expect(page.locator("table")).to_contain_text("Urgent: response by")
    audit.check(page, "urgent-in-the-list")
    audit.assert_clean()


@browser_test
def test_a_disputed_outcome_then_escalated_and_a_deemed_acceptance_have_no_axe_violations(
    page: Page, live_server: Any, people: Personas, audit: Audit
) -> None:
    """The responder proposes an outcome through its form; the raiser disputes it (first
    without a reason), is told the stage continues and escalates; elsewhere an outcome nobody
    answered in time shows as deemed accepted."""
    concern = recent(people.cast, "stage_1")
    sign_in(page, live_server, people.social_worker)
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    page.get_by_role("button", name="Propose an outcome").click()
    page.get_by_label("Outcome statement").fill("Social care will not assess; early help instead.")
    page.get_by_label("Original decision upheld", exact=True).check()
    page.locator("#id_actions-0-owner_agency").select_option(label="Children's Social Work Service")
    page.locator("#id_actions-0-description").fill("Offer an early help assessment.")
    fill_date(page.locator("#id_actions-0-due_date"), timezone.localdate() + dt.timedelta(days=7))
    page.get_by_role("button", name="Propose an outcome").click()
    expect(page.locator("#proposal")).to_contain_text("Hana Visitor")
    audit.check(page, "proposed")

    sign_in(page, live_server, people.health_visitor)
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    audit.check(page, "proposed-for-the-raiser")
    page.get_by_role("button", name="Dispute it").click()
    audit.check(page, "dispute-form")
    page.get_by_role("button", name="Dispute the proposed outcome").click()
    expect(error_summary(page)).to_contain_text("Say why you dispute this outcome.")
    audit.check(page, "dispute-form-errors")
    page.get_by_label("Why do you dispute this outcome?").fill("Early help will not keep her safe.")
    page.get_by_role("button", name="Dispute the proposed outcome").click()
    expect(page.locator("#disputed")).to_contain_text("Early help will not keep her safe.")
    expect(page.locator("#disputed")).to_contain_text("escalate it, or propose another outcome")
    audit.check(page, "disputed")
    page.get_by_role("button", name="Escalate to stage 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Escalate to stage \d: ")
    )
    expect(page.locator("#new-deadline")).to_contain_text("is due on")

    deemed = recent(people.cast, "stage_2")
    services.concern_propose(
        concern_id=deemed.pk,
        actor=people.social_care_manager,
        data=helpers.resolution(deemed, timezone.now()),
    )
    services.deem_silent_answers(now=timezone.now() + dt.timedelta(days=10))
    page.goto(f"{live_server.url}/concerns/{deemed.pk}/")
    expect(page.get_by_text("Deemed accepted: no answer in time", exact=True)).to_be_visible()
    audit.check(page, "deemed")
    audit.assert_clean()


@browser_test
def test_cover_and_a_handover_have_no_axe_violations(
    page: Page, live_server: Any, people: Personas, audit: Audit
) -> None:
    """Sian Manager names Carol to cover her (first with errors); Carol, covering, hands
    Sian's part over to Sally with a reason, and the chronology says she did it for Sian."""
    carol = person("Carol Colleague", people.social_care, Role.MANAGER)
    person("Sally Manager2", people.social_care, Role.MANAGER)
    concern = recent(people.cast, "stage_2")
    sign_in(page, live_server, people.social_care_manager)
    page.get_by_role("link", name="Cover").click()
    audit.check(page, "cover")
    page.get_by_role("button", name="Arrange cover").click()
    expect(error_summary(page)).to_contain_text("Enter the first day of cover")
    audit.check(page, "cover-errors")
    page.get_by_label("Who covers?").select_option(
        label="Carol Colleague: First-line manager or designated safeguarding lead"
    )
    today = timezone.localdate()
    fill_date(page, today, within="First day of cover")
    fill_date(page, today + dt.timedelta(days=7), within="Last day of cover")
    page.get_by_role("button", name="Arrange cover").click()
    expect(page.locator("#covers")).to_contain_text("Carol Colleague")
    audit.check(page, "cover-arranged")

    sign_in(page, live_server, carol)
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    page.get_by_role("button", name="Hand over").click()
    audit.check(page, "hand-over-form")
    page.get_by_label("The receiving agency's named holder: now Sian Manager").check()
    page.get_by_label("Who takes it over?").select_option(
        label="Sally Manager2: First-line manager or designated safeguarding lead"
    )
    page.get_by_label("Why is it handed over?").fill("Sian is on long-term leave.")
    page.get_by_role("button", name="Hand over").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("handed over")
    expect(page.locator(".app-timeline")).to_contain_text(
        "Carol Colleague, Children's Social Work Service, for Sian Manager"
    )
    audit.check(page, "handed-over")
    assert Concern.objects.get(pk=concern.pk).receiving_holder.full_name == "Sally Manager2"
    audit.assert_clean()
