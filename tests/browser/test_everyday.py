"""Everyday use in a real browser (issue 11): finding a concern, being warned before raising a
second one about the same child, the accessibility statement, a journey with the keyboard
alone, and every everyday page fitting a phone's width (390 px) without scrolling sideways."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from playwright.sync_api import Locator, Page, ViewportSize, expect

from concerns import services
from concerns.models import Concern, DiscussionNote, ProcessSettings
from tests.concerns.helpers import note_data
from tests.conftest import Personas
from tests.scenarios import Story, advance, escalate, propose

from .conftest import (
    PASSWORD,
    Screenshot,
    axe,
    axe_violations,
    browser_test,
    describe_violations,
    sign_in,
)
from .pages import answer_immediate_risk, banner, concern_id, fill_date, fill_details

DESKTOP: ViewportSize = {"width": 1280, "height": 720}  # pytest-playwright's default
PHONE: ViewportSize = {"width": 390, "height": 844}
BORN = dt.date(2019, 3, 27)
NO_MATCH = "No concerns match these filters."
WARNING = "There may already be an open concern about this child"


# --- Fitting a phone ---------------------------------------------------------------------

# The outermost elements reaching past the right edge, leaving out those inside a box that
# scrolls or clips sideways (they do not widen the page): what makes a page scroll sideways.
TOO_WIDE = """(limit) => {
  const over = (e) => e.getBoundingClientRect().right > limit + 0.5;
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].map((c) => "." + c).join("");
  return [...document.body.querySelectorAll("*")]
    .filter((e) => over(e) && !clipped(e) && !(e.parentElement && over(e.parentElement)
      && e.parentElement !== document.body && !clipped(e.parentElement)))
    .map((e) => {
      const box = e.getBoundingClientRect();
      const path = [];
      for (let a = e; a && a !== document.body; a = a.parentElement) path.unshift(name(a));
      return `${path.slice(-4).join(" > ")}: ${Math.round(box.width)} px wide, `
        + `right edge at ${Math.round(box.right)} px`;
    });
}"""


def overflow(page: Page) -> str:
    """Empty when the page fits its viewport's width; else what is too wide."""
    limit = page.viewport_size["width"] if page.viewport_size else PHONE["width"]
    width: int = page.evaluate("document.documentElement.scrollWidth")
    if width <= limit:
        return ""
    culprits: list[str] = page.evaluate(TOO_WIDE, limit)
    return f"scrollWidth {width} > {limit}:\n    " + "\n    ".join(culprits)


def assert_fits(page: Page) -> None:
    found = overflow(page)
    assert not found, f"{page.url} scrolls sideways at {page.viewport_size}: {found}"


@dataclass
class PhoneCheck:
    """Screenshots each page at 390 px and collects its overflow and axe-core violations, to
    report every page's problems together."""

    screenshot: Screenshot
    found: dict[str, str] = field(default_factory=dict)

    def check(self, page: Page, name: str) -> None:
        self.screenshot(page, f"{name}-390")
        if too_wide := overflow(page):
            self.found[f"{name} ({page.url}) is too wide"] = too_wide
        if violations := axe_violations(page):
            self.found[f"{name} ({page.url}) axe-core"] = describe_violations(violations)

    def assert_clean(self) -> None:
        report = "\n\n".join(f"{name}:\n    {text}" for name, text in self.found.items())
        if report:
            print(f"At 390 px:\n{report}")
        assert not self.found, report


def at_both_widths(page: Page, screenshot: Screenshot, name: str) -> None:
    """Screenshot and axe at 1280 px, then the same at 390 px (which must fit), and back."""
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-1280")
    axe(page)
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-390")
    axe(page)
    assert_fits(page)
    page.set_viewport_size(DESKTOP)


# --- Keyboard ----------------------------------------------------------------------------

# What has focus now, and whether it shows: GOV.UK Frontend draws focus as a yellow outline or
# a box-shadow, and for radios and checkboxes (whose inputs are invisible) on the label's
# ::before. A date input whose host no longer matches :focus has focus on its own calendar
# button, inside the browser's shadow DOM, which Chromium rings itself.
FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0] : null;
  const drawn = (e.type === "radio" || e.type === "checkbox") && label
    ? getComputedStyle(label, "::before") : getComputedStyle(e);
  const outline = drawn.outlineStyle !== "none" && drawn.outlineWidth !== "0px"
    && drawn.outlineColor !== "rgba(0, 0, 0, 0)";
  const picker = e.type && e.type.startsWith("date") && !e.matches(":focus");
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    classes: e.className,
    text: (e.innerText || e.value || "").trim(),
    label: label ? label.innerText.trim() : "",
    visible: outline || drawn.boxShadow !== "none" || picker,
    style: `outline: ${drawn.outlineStyle} ${drawn.outlineWidth} ${drawn.outlineColor}; `
      + `box-shadow: ${drawn.boxShadow}`,
  };
}"""

Focus = dict[str, Any]


def focused(page: Page) -> Focus:
    result: Focus = page.evaluate(FOCUSED)
    return result


def tab_to(
    page: Page, wanted: Callable[[Focus], bool], what: str, *, key: str = "Tab", limit: int = 60
) -> Focus:
    """Press Tab (or Shift+Tab) until the focused element is `wanted`, checking that every stop
    on the way shows its focus."""
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        assert now["visible"], f"focus is not visible on {now} at {page.url}"
        if wanted(now):
            return now
        passed.append(now["text"] or now["label"] or now["tag"])
    raise AssertionError(f"{what} never took focus at {page.url}; {key} went through {passed}")


def labelled(label: str) -> Callable[[Focus], bool]:
    return lambda f: bool(f["label"] == label)


def named(text: str) -> Callable[[Focus], bool]:
    return lambda f: bool(f["text"] == text)


def assert_skip_link_first(page: Page) -> None:
    """The first Tab stop on a freshly loaded page is "Skip to main content", and it shows."""
    page.keyboard.press("Tab")
    first = focused(page)
    assert "govuk-skip-link" in first["classes"], f"the first Tab stop is {first}"
    assert first["text"] == "Skip to main content"
    assert first["visible"], first["style"]


# --- Search --------------------------------------------------------------------------------


def concern_about_jb(people: Personas, start: dt.datetime) -> Concern:
    """An open concern about JB, born 27 March 2019, with both agencies' case numbers, and
    another about a different child that no search here should find."""
    story = Story(initials="JB", birth_date=BORN, summary="Missed dental visits")
    concern = advance(people.cast, "stage_1", start, story=story)
    Concern.objects.filter(pk=concern.pk).update(
        raising_agency_case_number="NHS-778812", receiving_agency_case_number="MOS 44120"
    )
    advance(people.cast, "stage_1", start, story=Story(initials="KT", summary="Another child"))
    return concern


def results(page: Page) -> Locator:
    return page.locator("main table.app-table--stack")


def search(page: Page, text: str, born: dt.date | None = None) -> None:
    """From any signed-in page: the Concerns menu link, then type and apply the search."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Concerns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns")
    page.get_by_label("Search", exact=True).press_sequentially(text)
    if born:
        date = page.get_by_role("group", name="Child's date of birth")
        date.get_by_label("Day").press_sequentially(str(born.day))
        date.get_by_label("Month").press_sequentially(str(born.month))
        date.get_by_label("Year").press_sequentially(str(born.year))
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Search", exact=True)).to_have_value(text)


def assert_found_only(page: Page, reference: str) -> None:
    expect(results(page).locator("tbody tr")).to_have_count(1)
    expect(results(page).get_by_role("link", name=reference)).to_be_visible()


def assert_found_nothing(page: Page, reference: str) -> None:
    expect(results(page).locator("tbody tr")).to_have_count(1)
    expect(results(page)).to_contain_text(NO_MATCH)
    expect(page.locator("main")).not_to_contain_text(reference)


@browser_test
def test_the_raiser_finds_the_concern_by_initials_and_birth_date_or_case_number_an_outsider_not(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    concern = concern_about_jb(people, timezone.now() - dt.timedelta(days=3))
    sign_in(page, live_server, people.health_visitor)

    search(page, "JB", BORN)
    date = page.get_by_role("group", name="Child's date of birth")
    expect(date.get_by_label("Day")).to_have_value("27")
    expect(date.get_by_label("Year")).to_have_value("2019")
    assert_found_only(page, concern.reference)
    at_both_widths(page, screenshot, "by-initials-and-birth-date")

    search(page, "MOS 44120")  # the other agency's (social care's) case number
    assert_found_only(page, concern.reference)
    at_both_widths(page, screenshot, "by-case-number")
    results(page).get_by_role("link", name=concern.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(concern.reference)
    expect(page.locator("main")).to_contain_text("Case number MOS 44120")

    year, number = concern.reference.split("-")[1:]
    search(page, f"{year}-{int(number)}")  # the short form of the reference
    assert_found_only(page, concern.reference)

    sign_in(page, live_server, people.police_officer)
    search(page, "JB", BORN)
    assert_found_nothing(page, concern.reference)
    at_both_widths(page, screenshot, "outsider-by-initials-and-birth-date")
    search(page, "MOS 44120")
    assert_found_nothing(page, concern.reference)
    at_both_widths(page, screenshot, "outsider-by-case-number")


# --- Raising a second concern about the same child ----------------------------------------


def raise_about_jb(page: Page, contacted: dt.datetime) -> None:
    """The raise flow, about JB born 27 March 2019, with social care: up to submitting."""
    answer_immediate_risk(page, "No")
    fill_details(page, contacted, initials="jb")
    fill_date(page, BORN, within="Child's date of birth (or expected date)")
    page.get_by_role("button", name="Submit").click()


@browser_test
def test_raising_again_about_the_same_child_warns_first_and_the_second_submit_raises_it(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    existing = concern_about_jb(people, timezone.now() - dt.timedelta(days=3))
    contacted = (timezone.now() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    before = Concern.objects.count()

    # A colleague with no part in it is warned too, without being shown what she cannot open.
    sign_in(page, live_server, people.health_colleague)
    raise_about_jb(page, contacted)
    warning = page.locator("#possible-duplicate")
    expect(warning).to_contain_text(WARNING)
    expect(page.locator("main")).to_contain_text("You cannot open it")
    expect(page.locator("main")).not_to_contain_text(existing.reference)
    screenshot(page, "warning-cannot-open")
    axe(page)
    assert Concern.objects.count() == before

    sign_in(page, live_server, people.health_visitor)
    raise_about_jb(page, contacted)
    expect(warning).to_contain_text(WARNING)
    expect(warning).to_contain_text("Children's Social Work Service")
    link = page.locator("main").get_by_role("link", name=existing.reference)
    expect(link).to_have_attribute("href", f"/concerns/{existing.pk}/")
    expect(page.locator("main")).not_to_contain_text("You cannot open it")
    expect(page.get_by_label("Child's initials")).to_have_value("jb")  # as typed
    screenshot(page, "warning")
    axe(page)
    assert Concern.objects.count() == before  # nothing saved yet

    page.get_by_role("button", name="Submit").click()
    expect(banner(page)).to_contain_text("submitted: stage 1 has started")
    new = Concern.objects.get(pk=concern_id(page))
    assert new.pk != existing.pk
    assert (new.child_initials, new.child_date_of_birth) == ("JB", BORN)
    assert new.raised_by == people.health_visitor and new.state == "stage_1"
    assert Concern.objects.count() == before + 1
    expect(page.get_by_role("heading", level=1)).to_contain_text(new.reference)
    screenshot(page, "raised-anyway")


# --- The accessibility statement ----------------------------------------------------------


@browser_test
def test_the_accessibility_statement_is_linked_from_the_footer_before_and_after_sign_in(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    page.goto(f"{live_server.url}/")  # signed out: the sign-in page
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page).to_have_url(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement for")
    expect(page.get_by_role("heading", name="Compliance status")).to_be_visible()
    at_both_widths(page, screenshot, "statement")

    sign_in(page, live_server, people.health_visitor)
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement for")
    expect(page.locator(".app-signed-in")).to_contain_text(people.health_visitor.full_name)
    axe(page)


# --- The keyboard alone --------------------------------------------------------------------


@browser_test
def test_a_practitioner_signs_in_finds_a_concern_and_records_a_discussion_by_keyboard(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    concern = advance(
        people.cast, "stage_1", timezone.now() - dt.timedelta(days=3), story=Story(initials="KB")
    )
    held = timezone.localdate() - dt.timedelta(days=2)  # typed day, month, year, as GOV.UK asks
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

    # GOV.UK Frontend moves focus to the "signed in" success banner, so that a screen reader
    # reads it out; the menu is behind it.
    expect(banner(page)).to_be_focused()
    tab_to(page, named("Concerns"), "the Concerns link", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns")
    assert_skip_link_first(page)
    tab_to(page, labelled("Search"), "the search field")
    page.keyboard.type("KB")
    tab_to(page, named("Apply filters"), "Apply filters")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/concerns/\?q=KB&"))
    tab_to(page, named(concern.reference), "the concern's link")
    screenshot(page, "search-result-focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(concern.reference)

    assert_skip_link_first(page)
    tab_to(page, named("Record a discussion"), "Record a discussion")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a discussion")
    # When it took place: GOV.UK's day, month and year boxes, then the time.
    tab_to(page, labelled("Day"), "the day")
    page.keyboard.type(str(held.day))
    tab_to(page, labelled("Month"), "the month")
    page.keyboard.type(str(held.month))
    tab_to(page, labelled("Year"), "the year")
    page.keyboard.type(str(held.year))
    tab_to(page, labelled("Time, like 14:30"), "the time")
    page.keyboard.type("10:30")
    tab_to(page, labelled("Who was it with?"), "Who was it with?")
    page.keyboard.type("Sam Worker, social worker")
    tab_to(page, labelled("Telephone"), "the first way it took place")
    page.keyboard.press("Space")
    tab_to(page, labelled("What was said"), "What was said")
    page.keyboard.type("We went through the referral and the school's view.")
    tab_to(page, labelled("What was agreed, with timescales"), "What was agreed")
    page.keyboard.type("Sam will review it by Friday.")
    screenshot(page, "note-typed")
    tab_to(page, named("Record a discussion"), "the Record a discussion button")
    page.keyboard.press("Enter")

    expect(banner(page)).to_contain_text("now has the discussion on its record")
    expect(page.locator(".app-timeline")).to_contain_text("We went through the referral")
    screenshot(page, "note-recorded")
    note = DiscussionNote.objects.get(concern=concern)
    assert (note.author, note.method, note.internal) == (people.health_visitor, "phone", False)
    assert timezone.localtime(note.occurred_at).replace(tzinfo=None) == dt.datetime.combine(
        held, dt.time(10, 30)
    )


# --- A phone's width -----------------------------------------------------------------------


def stage_2_with_notes(people: Personas, start: dt.datetime) -> Concern:
    """A concern at stage 2, with discussions from both sides at stage 1, both case numbers
    and an outcome proposed by social care's manager."""
    cast = people.cast
    story = Story(
        initials="RW",
        birth_date=BORN,
        summary="Social care closed the referral after one home visit, without speaking to the "
        "health visitor or the school nurse about the missed appointments.",
    )
    concern = advance(cast, "stage_1", start, story=story)
    Concern.objects.filter(pk=concern.pk).update(
        raising_agency_case_number="NHS-778812-CHILD-HEALTH",
        receiving_agency_case_number="MOSAIC-44120-2026",
    )
    for hours, author, words in [
        (2, people.health_visitor, "Phoned Sam to go through the six missed appointments."),
        (5, people.social_worker, "Explained the threshold decision and the home visit notes."),
    ]:
        services.note_create(
            concern_id=concern.pk,
            actor=author,
            data=note_data(start + dt.timedelta(hours=hours), discussion=words),
            now=start + dt.timedelta(hours=hours),
        )
    concern = escalate(Concern.objects.get(pk=concern.pk), cast, start + dt.timedelta(days=1))
    propose(concern, cast, start + dt.timedelta(days=2))
    return concern


@browser_test
def test_home_the_list_a_concern_and_the_report_fit_a_phone(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    ProcessSettings.objects.update(small_number_threshold=1)  # the report's tables in full
    start = timezone.now() - dt.timedelta(days=6)
    concern = stage_2_with_notes(people, start)
    for days in (20, 30):
        advance(people.cast, "closed", timezone.now() - dt.timedelta(days=days))
    phone = PhoneCheck(screenshot)
    page.set_viewport_size(PHONE)

    sign_in(page, live_server, people.health_manager)
    expect(page.locator("main table.app-table--stack").first).to_contain_text(concern.reference)
    phone.check(page, "home")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Concerns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns")
    phone.check(page, "list")
    results(page).get_by_role("link", name=concern.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(concern.reference)
    expect(page.locator(".app-timeline")).to_contain_text("six missed appointments")
    phone.check(page, "concern")

    sign_in(page, live_server, people.partnership_officer)
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("#figure-raised")).to_have_text("3")
    phone.check(page, "report")
    phone.assert_clean()


@browser_test
def test_the_practitioner_list_follows_the_chosen_agency(
    page: Page, live_server: Any, people: Personas
) -> None:
    """Issue 11: the raise form listed every practitioner whatever the agency chosen."""
    sign_in(page, live_server, people.health_visitor)
    answer_immediate_risk(page, "No")
    agency = page.get_by_label("The other agency", exact=True)
    practitioners = page.get_by_label("The practitioner in the other agency")

    def offered() -> list[str]:
        return practitioners.locator("option:not([hidden])").all_inner_texts()

    agency.select_option(label=people.police.name)
    assert any(people.police_officer.full_name in text for text in offered())
    assert not any(people.social_worker.full_name in text for text in offered())
    agency.select_option(label=people.social_care.name)
    assert any(people.social_worker.full_name in text for text in offered())
    assert not any(people.police_officer.full_name in text for text in offered())
    axe(page)


@browser_test
def test_the_outcome_record_downloads_as_a_pdf_that_reads_right(
    page: Page, live_server: Any, people: Personas, screenshot: Screenshot
) -> None:
    """Issue 11: a record for each agency's file, downloaded as a PDF and its words checked."""
    import io

    import pypdf

    concern = advance(people.cast, "resolved", timezone.now() - dt.timedelta(days=5))
    sign_in(page, live_server, people.social_worker)
    page.goto(f"{live_server.url}/concerns/{concern.pk}/")
    page.get_by_role("link", name="Outcome record for your agency's file").click()
    expect(page.get_by_label("As text, to paste into a case note")).to_contain_text(
        f"Reference: {concern.reference}"
    )
    screenshot(page, "outcome-record")
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    body = download.value.path().read_bytes()
    words = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
    assert concern.reference in words and "OFFICIAL-SENSITIVE" in words
    assert download.value.suggested_filename == f"outcome-record-{concern.reference}.pdf"
