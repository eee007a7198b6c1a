"""The annual report section (issue 11): escalations by raising sector, receiving agency,
highest stage, where they are now and urgent escalations, beside the period before, checked
against a fixture counted by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from concerns import services
from concerns.models import Agency, AgencyKind, ProcessSettings, Role
from concerns.models.people import Sector
from concerns.reporting.annual import annual_tables, previous
from concerns.reporting.figures import Period
from tests.concerns.helpers import urgent_escalation
from tests.conftest import Personas, london, person
from tests.scenarios import Cast, advance

pytestmark = pytest.mark.django_db
THIS_YEAR = Period(start=dt.date(2026, 4, 1), end=dt.date(2027, 3, 31))


def cast_from(people: Personas, agency: Agency, name: str) -> Cast:
    return dataclasses.replace(
        people.cast,
        raiser=person(f"{name} Practitioner", agency, Role.PRACTITIONER),
        raising_manager=person(f"{name} Manager", agency, Role.MANAGER),
        raising_senior=person(f"{name} Senior", agency, Role.SENIOR_MANAGER),
    )


@pytest.fixture
def counted(people: Personas) -> None:
    """By hand: this year health raised 2 (one at stage 2, one closed), the GP practice 2 (one
    withdrawn, one escalated urgently to stage 3); last year health 1 (closed), police 1."""
    ProcessSettings.objects.update_or_create(pk=1, defaults={"small_number_threshold": 1})
    gp = Agency.objects.create(name="Parkside Medical Practice", kind=AgencyKind.HEALTH,
                               sector=Sector.GP)  # fmt: skip
    gp_cast = cast_from(people, gp, "Gp")
    police_cast = dataclasses.replace(
        people.cast, raiser=people.police_officer, raising_manager=people.police_manager
    )
    october = london(2026, 10, 5, 10)
    advance(people.cast, "stage_2", october)
    advance(people.cast, "closed", october)
    advance(gp_cast, "withdrawn", october)
    urgent = advance(gp_cast, "stage_1", october)
    services.concern_escalate_urgently(
        concern_id=urgent.pk,
        actor=gp_cast.raising_manager,
        data=urgent_escalation(gp_cast),
        now=october + dt.timedelta(days=3),
    )
    last_october = london(2025, 10, 6, 10)
    advance(people.cast, "closed", last_october)
    advance(police_cast, "stage_1", last_october)


def figures(people: Personas) -> dict[str, dict[str, tuple[str, str, str]]]:
    tables = annual_tables(people.partnership_officer, THIS_YEAR, threshold=1)
    return {
        t.title: {r.label: (str(r.now), str(r.before), r.change) for r in [*t.rows, t.total]}
        for t in tables
    }


def test_the_period_before_is_the_year_before() -> None:
    assert previous(THIS_YEAR) == Period(start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))


def test_the_table_matches_the_hand_count(counted: None, people: Personas) -> None:
    found = figures(people)
    assert found["Escalations by raising sector"] == {
        "Health (community and hospital)": ("2", "1", "+1"),
        "GP and primary care": ("2", "0", "+2"),
        "Police": ("0", "1", "-1"),
        "Total": ("4", "2", "+2"),
    }
    assert found["By receiving agency"]["Children's Social Work Service"] == ("4", "2", "+2")
    assert found["Highest stage reached"] == {
        "Stage 1": ("2", "2", "no change"),
        "Stage 2": ("1", "0", "+1"),
        "Stage 3": ("1", "0", "+1"),
        "Total": ("4", "2", "+2"),
    }
    assert found["Where they are now"] == {
        "Open (at a stage)": ("2", "1", "+1"),
        "Closed": ("1", "1", "no change"),
        "Withdrawn": ("1", "0", "+1"),
        "Total": ("4", "2", "+2"),
    }
    assert found["Urgent escalations"] == {
        "Yes": ("1", "0", "+1"),
        "No": ("3", "2", "+1"),
        "Total": ("4", "2", "+2"),
    }


def test_small_numbers_are_suppressed_and_their_change_not_shown(
    counted: None, people: Personas
) -> None:
    tables = annual_tables(people.partnership_officer, THIS_YEAR, threshold=3)
    sector = next(t for t in tables if t.title == "Escalations by raising sector")
    health = next(r for r in sector.rows if r.label.startswith("Health"))
    assert (str(health.now), str(health.before), health.change) == (
        "fewer than 3",
        "fewer than 3",
        "not shown",
    )


def test_the_printable_page_shows_it_to_partnership_staff_only(
    counted: None, people: Personas
) -> None:
    params = {"start": "2026-04-01", "end": "2027-03-31"}
    officer = Client()
    officer.force_login(people.partnership_officer)
    page = officer.get(reverse("report-annual"), params).content.decode()
    assert "Escalations by raising sector" in page and "GP and primary care" in page
    practitioner = Client()
    practitioner.force_login(people.health_visitor)
    assert practitioner.get(reverse("report-annual"), params).status_code == 404


def test_the_learning_report_and_its_csv_group_by_sector_too(
    counted: None, people: Personas
) -> None:
    import csv
    import io

    params = {"start": "2026-04-01", "end": "2027-03-31"}
    officer = Client()
    officer.force_login(people.partnership_officer)
    page = officer.get(reverse("report"), params).content.decode()
    section = page.split("By the raising agency")[1][:2500]
    assert "GP and primary care" in section and "Health (community and hospital)" in section
    figures = officer.get(reverse("report-figures"), params)
    rows = list(csv.reader(io.StringIO(b"".join(figures.streaming_content).decode())))
    assert ["Raising sector", "GP and primary care", "2", ""] in rows


def test_the_tables_cost_one_query_a_period(
    counted: None, people: Personas, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(2):  # this period and the one before
        annual_tables(people.partnership_officer, THIS_YEAR, threshold=1)
