"""Named personas shared by every test, and the rule for service-backed tests.

Tests that need PostgreSQL or Redis skip on a laptop without them, saying why; with
REQUIRE_SERVICES=1 (as CI sets it) such a skip fails the run instead.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from concerns import calendar
from concerns.models import Agency, AgencyKind, Role, User
from config.folders import make_local_folders
from tests.factories import AgencyFactory, UserFactory
from tests.scenarios import Cast

make_local_folders()  # the SQLite test database and the filesystem broker live in VAR_DIR

LONDON = ZoneInfo("Europe/London")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false")


def require_service(available: bool, reason: str) -> None:
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def own_audit_checkpoints(settings, tmp_path_factory) -> None:
    """Each test anchors (or not) in its own checkpoint file, never a developer's."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory.mktemp("audit") / "checkpoints.jsonl"


@pytest.fixture(autouse=True)
def fresh_closure_days() -> None:
    """The calendar keeps closure days per process; a test's rolled-back rows must not leak."""
    calendar.forget_closure_days()


@pytest.fixture
def postgres() -> None:
    """Use in tests that need PostgreSQL (row locks, triggers)."""
    require_service(
        connection.vendor == "postgresql",
        "this test needs PostgreSQL (set DATABASE_URL); SQLite has no row locks or triggers",
    )


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


@dataclass
class Personas:
    health: Agency
    social_care: Agency
    police: Agency
    partnership: Agency
    health_visitor: User
    health_manager: User
    social_worker: User
    social_care_manager: User
    social_care_senior: User
    health_senior: User
    health_lead: User
    social_care_lead: User
    health_colleague: User
    police_officer: User
    police_manager: User
    partnership_officer: User
    partnership_auditor: User

    @property
    def cast(self) -> Cast:
        return Cast(
            raiser=self.health_visitor,
            responder=self.social_worker,
            raising_manager=self.health_manager,
            receiving_manager=self.social_care_manager,
            officer=self.partnership_officer,
            auditor=self.partnership_auditor,
            raising_senior=self.health_senior,
            receiving_senior=self.social_care_senior,
        )


def person(name: str, agency: Agency, role: str, *, lead: bool = False) -> User:
    email = name.lower().replace(" ", ".") + "@example.org"
    return UserFactory(
        email=email, full_name=name, agency=agency, role=role, is_safeguarding_lead=lead
    )


@pytest.fixture
def people(db: None) -> Personas:
    health = AgencyFactory(name="Community Health Trust", kind=AgencyKind.HEALTH)
    social_care = AgencyFactory(
        name="Children's Social Work Service", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    police = AgencyFactory(name="West Yorkshire Police", kind=AgencyKind.POLICE)
    partnership = AgencyFactory(name="Partnership Business Unit", kind=AgencyKind.PARTNERSHIP)
    return Personas(
        health=health,
        social_care=social_care,
        police=police,
        partnership=partnership,
        health_visitor=person("Hana Visitor", health, Role.PRACTITIONER),
        health_manager=person("Harriet Manager", health, Role.MANAGER),
        social_worker=person("Sam Worker", social_care, Role.PRACTITIONER),
        social_care_manager=person("Sian Manager", social_care, Role.MANAGER),
        social_care_senior=person("Simon Senior", social_care, Role.SENIOR_MANAGER),
        health_senior=person("Hugh Senior", health, Role.SENIOR_MANAGER),
        health_lead=person("Hazel Lead", health, Role.MANAGER, lead=True),
        social_care_lead=person("Sasha Lead", social_care, Role.MANAGER, lead=True),
        health_colleague=person("Holly Colleague", health, Role.PRACTITIONER),
        police_officer=person("Pat Constable", police, Role.PRACTITIONER),
        police_manager=person("Priya Inspector", police, Role.MANAGER),
        partnership_officer=person("Olu Officer", partnership, Role.PARTNERSHIP_OFFICER),
        partnership_auditor=person("Ada Auditor", partnership, Role.PARTNERSHIP_AUDITOR),
    )


@pytest.fixture
def cast(people: Personas) -> Cast:
    return people.cast
