"""Page helpers: what a person does on a page, in the words on the screen."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

DETAIL_URL = re.compile(r"/concerns/(\d+)/$")


def concern_id(page: Page) -> int:
    match = DETAIL_URL.search(page.url)
    assert match, f"not on a concern page: {page.url}"
    return int(match.group(1))


def banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner")


def error_summary(page: Page) -> Locator:
    return page.locator(".govuk-error-summary")


def table(page: Page, caption: str) -> Locator:
    return page.locator("table", has=page.locator("caption", has_text=caption))


def answer_immediate_risk(page: Page, answer: str) -> None:
    """From anywhere signed in: "Raise a concern", then Yes or No to immediate risk."""
    page.get_by_role("button", name="Raise a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Is the child at risk of significant harm now?"
    )
    page.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def fill_details(page: Page, contacted_at: dt.datetime, initials: str = "JD") -> None:
    """The details form, filled as a health visitor raising with social care would."""
    page.get_by_label("Child's initials").fill(initials)
    page.get_by_label("The other agency", exact=True).select_option(
        label="Children's Social Work Service"
    )
    page.get_by_label("The practitioner in the other agency").select_option(
        label="Sam Worker, Children's Social Work Service"
    )
    page.get_by_label("Information sharing").check()
    page.get_by_label("Child in need").check()
    page.get_by_label("Summary of the disagreement").fill(
        "Social care closed the referral without speaking to the health visitor."
    )
    page.get_by_label("The outcome you are seeking").fill(
        "A joint discussion and a fresh decision on assessment."
    )
    page.get_by_label("The child's voice").fill("The child said they are hungry at school.")
    page.get_by_label("Voice of the child").check()
    page.get_by_label("The manager or safeguarding lead you consulted").select_option(
        label="Harriet Manager, Community Health Trust"
    )
    fill_datetime(page, contacted_at, within="When you contacted the other practitioner")
    page.get_by_label("Yes, in writing").check()


def raise_concern(page: Page, contacted_at: dt.datetime) -> int:
    """Raise and submit a concern with no immediate risk; returns its id."""
    answer_immediate_risk(page, "No")
    fill_details(page, contacted_at)
    page.get_by_role("button", name="Submit").click()
    expect(banner(page)).to_contain_text("submitted: stage 1 has started")
    return concern_id(page)


def open_from_home(page: Page, caption: str, reference: str) -> None:
    """Home (from the menu), then the concern's link in the table with this caption."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    table(page, caption).get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def fill_date(scope: Page | Locator, day: dt.date, *, within: str = "") -> None:
    """A GOV.UK date input: day, month and year boxes (in the fieldset named `within`)."""
    group = scope.get_by_role("group", name=within) if within else scope
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def fill_datetime(scope: Page | Locator, moment: dt.datetime, *, within: str = "") -> None:
    """The GOV.UK date input with its time box: UK wall-clock time, to the minute."""
    local = timezone.localtime(moment)
    group = scope.get_by_role("group", name=within) if within else scope
    fill_date(group, local.date())
    group.get_by_label("Time, like 14:30").fill(f"{local:%H:%M}")
