"""The local demo: the partnership's people, an admin account and forty concerns, once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from concerns.models import Concern, Role, State
from concerns.models.concern import overdue_q

from .journeys import create_concerns
from .people import ADMIN_EMAIL, AGENCIES, Directory, ensure_admin, ensure_people

ROLE_NAMES: dict[str, str] = {
    Role.PRACTITIONER: "practitioner",
    Role.MANAGER: "manager / DSL",
    Role.SENIOR_MANAGER: "senior manager",
    Role.PARTNERSHIP_OFFICER: "partnership officer",
    Role.PARTNERSHIP_AUDITOR: "partnership auditor",
}


@dataclass
class DemoResult:
    directory: Directory
    people_changed: int
    concerns_created: int

    @property
    def changed_nothing(self) -> bool:
        return self.people_changed == 0 and self.concerns_created == 0


def seed_demo(password: str, now: dt.datetime | None = None) -> DemoResult:
    """Create what is missing. The admin account marks a finished demo: with it present the
    concerns are not created again (they would be duplicates, not repairs)."""
    with transaction.atomic():
        directory = ensure_people(password)
        admin_created = ensure_admin(password)
        before = Concern.objects.count()
        if admin_created:
            create_concerns(directory, now)
        # Counted, not listed: the journeys raise a follow-on draft besides their own.
        created = Concern.objects.count() - before
    return DemoResult(directory, directory.changed + admin_created, created)


def accounts(directory: Directory) -> list[tuple[str, str, str]]:
    """(email, role, agency) of every demo account, the admin first."""
    rows = [(ADMIN_EMAIL, "superuser (Django admin)", "")]
    for spec in AGENCIES:
        for user in directory.people[spec.slug]:
            rows.append((user.email, ROLE_NAMES[user.role], spec.name))
    return rows


def counts_by_state() -> list[tuple[str, int]]:
    counted = dict(Concern.objects.values_list("state").annotate(n=Count("id")).order_by())
    return [(state.label, counted[state.value]) for state in State if counted.get(state.value)]


def overdue_count(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return Concern.objects.filter(overdue_q(today)).count()
