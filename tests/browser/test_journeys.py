"""Whole journeys through the web app in a real browser: sign in, click, read the page.

Only the personas are made directly (tests/conftest.py); everything else happens through the
pages, except the starting concern of the outsider and the refusal tests, which the real
services build (tests.scenarios) because raising it by hand again would prove nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from concerns.models import CaseEvent, Concern, DiscussionNote, UrgentRoute
from tests.conftest import Personas
from tests.scenarios import advance

from .conftest import Screenshot, browser_test, sign_in
from .pages import (
    answer_immediate_risk,
    banner,
    error_summary,
    fill_date,
    fill_datetime,
    fill_details,
    open_from_home,
    raise_concern,
)


def state_tag(page: Page) -> Locator:
    return page.get_by_role("heading", level=1).locator(".govuk-tag").first


@browser_test
def test_a_health_visitor_raises_a_concern_and_records_a_discussion(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    contacted = (timezone.now() - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    sign_in(page, live_server, people.health_visitor)
    answer_immediate_risk(page, "No")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "About the child and the disagreement"
    )
    fill_details(page, contacted)
    screenshot(page, "details-filled")
    page.get_by_role("button", name="Submit").click()

    expect(banner(page)).to_contain_text("submitted: stage 1 has started")
    expect(state_tag(page)).to_have_text("Stage 1: Practitioner to practitioner")
    screenshot(page, "submitted")
    concern = Concern.objects.get(raised_by=people.health_visitor)
    assert concern.state == "stage_1"
    assert concern.receiving_agency == people.social_care
    assert concern.receiving_practitioner == people.social_worker
    assert concern.consulted_manager == people.health_manager
    assert concern.other_practitioner_contacted_at == contacted
    assert concern.immediate_risk is False
    assert [t.name for t in concern.themes.all()] == ["Voice of the child"]

    page.get_by_role("button", name="Record a discussion").click()
    fill_datetime(
        page, timezone.now() - dt.timedelta(hours=1), within="When did the discussion take place?"
    )
    page.get_by_label("Who was it with?").fill("Sam Worker, social worker")
    page.get_by_label("Telephone").check()
    page.get_by_label("What was said").fill("We talked through the referral and the school's view.")
    page.get_by_label("What was agreed, with timescales").fill("Sam will review by Friday.")
    page.get_by_role("button", name="Record a discussion").click()

    expect(banner(page)).to_contain_text("now has the discussion on its record")
    chronology = page.locator(".app-timeline")
    expect(chronology.get_by_role("heading", name="Discussion", exact=True)).to_be_visible()
    expect(chronology).to_contain_text("We talked through the referral and the school's view.")
    screenshot(page, "discussion-recorded")
    assert DiscussionNote.objects.filter(concern=concern, method="phone").count() == 1


@browser_test
def test_a_concern_goes_from_stage_1_through_stage_2_to_closed(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    sign_in(page, live_server, people.health_visitor)
    concern_pk = raise_concern(page, timezone.now() - dt.timedelta(hours=3))
    reference = Concern.objects.get(pk=concern_pk).reference

    # Stage 1 is held by the two practitioners: the named one in social care escalates.
    sign_in(page, live_server, people.social_worker)
    open_from_home(page, "Needs your action", reference)
    page.get_by_role("button", name="Escalate to stage 2").click()
    page.get_by_label("Why are you escalating?").fill("We could not agree on the threshold.")
    page.get_by_label("The position of Community Health Trust").fill("An assessment is needed.")
    page.get_by_label("The position of Children's Social Work Service").fill(
        "The threshold is not met."
    )
    page.get_by_label("Who now holds it in Community Health Trust").select_option(
        label="Harriet Manager: First-line manager or designated safeguarding lead"
    )
    page.get_by_label("Who now holds it in Children's Social Work Service").select_option(
        label="Sian Manager: First-line manager or designated safeguarding lead"
    )
    screenshot(page, "escalate-filled")
    page.get_by_role("button", name="Escalate").click()
    expect(banner(page)).to_contain_text("escalated")
    expect(state_tag(page)).to_have_text("Stage 2: First-line managers")

    # Stage 2 is held by the managers: the social care manager proposes the outcome, ...
    sign_in(page, live_server, people.social_care_manager)
    open_from_home(page, "Needs your action", reference)
    page.get_by_role("button", name="Propose an outcome").click()
    page.get_by_label("Outcome statement").fill("Social care will assess; health will share notes.")
    page.get_by_label("Original decision changed", exact=True).check()
    page.locator("#id_actions-0-owner_agency").select_option(label="Children's Social Work Service")
    page.locator("#id_actions-0-owner").select_option(
        label="Sam Worker, Children's Social Work Service"
    )
    page.locator("#id_actions-0-description").fill("Start a child and family assessment.")
    due = timezone.localdate() + dt.timedelta(days=10)
    fill_date(page.locator("#id_actions-0-due_date"), due)
    screenshot(page, "propose-filled")
    page.get_by_role("button", name="Propose an outcome").click()
    expect(banner(page)).to_contain_text("the other side is asked to accept or dispute it")
    expect(page.locator("#proposal")).to_contain_text("Harriet Manager")

    # ... the health manager accepts it for her side, and the raiser gives her own answer.
    sign_in(page, live_server, people.health_manager)
    open_from_home(page, "Needs your action", reference)
    page.get_by_role("button", name="Accept this outcome").click()
    expect(banner(page)).to_contain_text("has your acceptance on its record")
    expect(state_tag(page)).to_have_text("Stage 2: First-line managers")
    sign_in(page, live_server, people.health_visitor)
    open_from_home(page, "Needs your action", reference)
    page.get_by_role("button", name="Accept this outcome").click()
    expect(banner(page)).to_contain_text("resolved")
    expect(state_tag(page)).to_have_text("Resolved")
    sign_in(page, live_server, people.social_care_manager)
    open_from_home(page, "Needs your action", reference)
    expect(page.locator("table", has_text="Start a child and family assessment.")).to_be_visible()

    # Each agency confirms the outcome is on its records; the second confirmation closes it.
    confirm = page.get_by_role("button", name="Confirm the outcome is on our records")
    confirm.click()
    page.get_by_label("Which system is it recorded in?").select_option("Mosaic")
    page.get_by_label("The record's reference in that system").fill("MOS-4411")
    page.get_by_role("button", name="Confirm the outcome is on your records").click()
    expect(banner(page)).to_contain_text("confirmed as recorded on your agency's records")
    expect(confirm).to_have_count(0)

    sign_in(page, live_server, people.health_visitor)
    open_from_home(page, "Needs your action", reference)
    confirm.click()
    page.get_by_label("Which system is it recorded in?").select_option("SystmOne")
    page.get_by_label("The record's reference in that system").fill("S1-9920")
    page.get_by_role("button", name="Confirm the outcome is on your records").click()
    expect(banner(page)).to_contain_text("closed: both agencies have confirmed")
    expect(state_tag(page)).to_have_text("Closed")
    screenshot(page, "closed")

    concern = Concern.objects.get(pk=concern_pk)
    assert concern.state == "closed"
    assert (concern.raising_holder, concern.receiving_holder) == (
        people.health_manager,
        people.social_care_manager,
    )
    assert {c.agency for c in concern.confirmations.all()} == {people.health, people.social_care}
    action = concern.actions.get()
    assert (action.owner_agency, action.due_date) == (people.social_care, due)


@browser_test
def test_an_outsider_opening_the_concern_address_gets_not_found(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    concern = advance(people.cast, "stage_1", timezone.now() - dt.timedelta(days=2))
    sign_in(page, live_server, people.police_manager)

    response = page.goto(f"{live_server.url}/concerns/{concern.pk}/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text(concern.reference)
    expect(page.locator("body")).not_to_contain_text(concern.summary)
    screenshot(page, "not-found")


@browser_test
def test_a_practitioner_at_stage_2_is_told_only_the_named_holders_can_escalate_and_nothing_changes(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    concern = advance(people.cast, "stage_2", timezone.now() - dt.timedelta(days=3))
    events = CaseEvent.objects.filter(concern=concern).count()
    sign_in(page, live_server, people.health_visitor)

    page.goto(f"{live_server.url}/concerns/{concern.pk}/escalate/")
    reason = (
        "only the named holder in Community Health Trust (Harriet Manager) or the named holder "
        "in Children's Social Work Service (Sian Manager) can escalate it"
    )
    expect(error_summary(page)).to_contain_text(reason)
    screenshot(page, "refused")

    page.get_by_label("Why are you escalating?").fill("I still disagree.")
    page.get_by_label("The position of Community Health Trust").fill("Assess.")
    page.get_by_label("The position of Children's Social Work Service").fill("Do not assess.")
    # Stage 3 is for senior managers: only they are listed, with their roles.
    page.get_by_label("Who now holds it in Community Health Trust").select_option(
        label="Hugh Senior: Senior manager or head of service"
    )
    page.get_by_label("Who now holds it in Children's Social Work Service").select_option(
        label="Simon Senior: Senior manager or head of service"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Escalate").click()

    assert posted.value.status == 409
    expect(error_summary(page)).to_contain_text(reason)
    after = Concern.objects.get(pk=concern.pk)
    assert (after.state, after.version) == ("stage_2", concern.version)
    assert CaseEvent.objects.filter(concern=concern).count() == events


@browser_test
def test_saying_the_child_is_at_risk_now_shows_the_urgent_routes_before_the_details(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    sign_in(page, live_server, people.health_visitor)
    answer_immediate_risk(page, "Yes")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The child may be at risk of significant harm now"
    )
    routes = list(UrgentRoute.objects.filter(is_active=True).values_list("text", flat=True))
    assert len(routes) == 3  # the partnership's routes, kept in the admin
    for route in routes:
        expect(page.get_by_text(route)).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(error_summary(page)).to_contain_text(
        "Say what safeguarding action was taken for the child."
    )
    screenshot(page, "urgent-error")

    page.get_by_label("What safeguarding action have you taken?").fill(
        "Referred to the front door by phone at 10:05."
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "About the child and the disagreement"
    )
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Referred to the front door by phone at 10:05."
    )

    fill_details(page, timezone.now() - dt.timedelta(hours=3))
    page.get_by_role("button", name="Submit").click()
    expect(banner(page)).to_contain_text("submitted: stage 1 has started")
    concern = Concern.objects.get(raised_by=people.health_visitor)
    assert concern.immediate_risk is True
    assert concern.safeguarding_action == "Referred to the front door by phone at 10:05."


@browser_test
def test_the_error_summary_takes_the_person_to_the_question_they_missed(
    page: Page, live_server: Any, people: Personas
) -> None:
    sign_in(page, live_server, people.health_visitor)
    page.get_by_role("button", name="Raise a concern").click()
    page.get_by_role("button", name="Continue").click()

    error_summary(page).get_by_role(
        "link", name="Say whether the child may be at risk of significant harm now."
    ).click()

    expect(page.get_by_label("Yes", exact=True)).to_be_focused()
