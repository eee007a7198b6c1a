"""Everyday use in a real browser (issue 11): finding a concern, being warned before raising a
second one about the same child, the accessibility statement, a journey with the keyboard
alone, and every everyday page fitting a phone's width."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from concerns import services
from concerns.models import Concern, DiscussionNote, ProcessSettings
from tests.concerns.helpers import note_data
from tests.conftest import Personas
from tests.scenarios import Story, advance, escalate

from .conftest import PASSWORD, Screenshot, axe, axe_violations, browser_test, describe_violations
from .conftest import sign_in
from .pages import answer_immediate_risk, banner, fill_details, table

DESKTOP = {"width": 1280, "height": 720}  # pytest-playwright's default viewport
PHONE = {"width": 390, "height": 844}
BORN = dt.date(2019, 3, 27)


# --- Keyboard ----------------------------------------------------------------------------

# What has focus now, and whether it shows: GOV.UK Frontend draws focus as a yellow outline or
# box-shadow, and for radios and checkboxes (whose inputs are invisible) on the label's ::before.
FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0] : null;
  const drawn = (e.type === "radio" || e.type === "checkbox") && label
    ? getComputedStyle(label, "::before") : getComputedStyle(e);
  const outline = drawn.outlineStyle !== "none" && drawn.outlineColor !== "rgba(0, 0, 0, 0)"
    && drawn.outlineWidth !== "0px";
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    classes: e.className,
    text: (e.innerText || e.value || "").trim(),
    label: label ? label.innerText.trim() : "",
    visible: outline || drawn.boxShadow !== "none",
    style: `outline: ${drawn.outlineStyle} ${drawn.outlineWidth} ${drawn.outlineColor}; `
      + `box-shadow: ${drawn.boxShadow}`,
  };
}"""

Focus = dict[str, Any]


def focused(page: Page) -> Focus:
    result: Focus = page.evaluate(FOCUSED)
    return result


def tab_to(page: Page, wanted: Callable[[Focus], bool], what: str, limit: int = 60) -> Focus:
    """Press Tab until the focused element is `wanted`, checking that every stop on the way
    shows its focus."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["visible"], f"focus is not visible on {now} at {page.url}"
        if wanted(now):
            return now
        passed.append(now["text"] or now["label"] or now["tag"])
    raise AssertionError(f"{what} never took focus at {page.url}; Tab went through {passed}")


def labelled(label: str) -> Callable[[Focus], bool]:
    return lambda f: f["label"] == label


def named(text: str) -> Callable[[Focus], bool]:
    return lambda f: f["text"] == text


def assert_skip_link_first(page: Page) -> None:
    """The first Tab stop on a fresh page is "Skip to main content", and it shows."""
    page.keyboard.press("Tab")
    first = focused(page)
    assert "govuk-skip-link" in first["classes"], f"the first Tab stop is {first}"
    assert first["text"] == "Skip to main content"
    assert first["visible"], first["style"]


@browser_test
def test_a_practitioner_signs_in_finds_a_concern_and_records_a_discussion_by_keyboard(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    concern = advance(
        people.cast, "stage_1", timezone.now() - dt.timedelta(days=2), story=Story(initials="KB")
    )
    page.goto(f"{live_server.url}/accounts/login/")

    assert_skip_link_first(page)
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    tab_to(page, labelled("Email"), "the email field")
    page.keyboard.type(people.health_visitor.email)
    tab_to(page, labelled("Password"), "the password field")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".app-signed-in")).to_contain_text(people.health_visitor.full_name)
    print("AFTER LOGIN", page.url, focused(page))
    page.wait_for_load_state("load")
    print("AFTER LOAD", page.url, focused(page))

    assert_skip_link_first(page)
    tab_to(page, named("Concerns"), "the Concerns link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns")
    tab_to(page, labelled("Search"), "the search field")
    page.keyboard.type("KB")
    tab_to(page, named("Apply filters"), "Apply filters")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/concerns/?q=KB", ignore_case=True)
    screenshot(page, "searched")
    # (the remaining empty filters come along in the query string)
    tab_to(page, named(concern.reference), "the concern's link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(concern.reference)

    tab_to(page, named("Record a discussion"), "Record a discussion")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a discussion")
    tab_to(page, labelled("When did the discussion take place?"), "the date and time")
    page.keyboard.type("01012026")
    screenshot(page, "typed-date")
