"""`manage.py seed_demo`: the local demo's people and concerns, made by the real services."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from concerns.chain import verify_all
from concerns.models import (
    Agency,
    CaseEvent,
    Concern,
    DiscussionNote,
    Role,
    StagePeriod,
    State,
    User,
)
from demo.people import AGENCIES, demo_password


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo, seeded once for this module (it takes seconds) inside a transaction that is
    rolled back afterwards; each test runs in its own savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed("--force")
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    models = (Agency, User, Concern, CaseEvent, DiscussionNote, StagePeriod)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_has_concerns_in_every_state(demo, db):
    states = set(Concern.objects.values_list("state", flat=True))
    assert states == {s.value for s in State if s.value not in ("stage_5", "stage_6")}
    # Forty planned concerns and one follow-on draft raised from an audited one.
    assert Concern.objects.count() == 41
    assert Concern.objects.exclude(follows=None).count() == 1


def test_some_demo_concerns_are_overdue_today(demo, db):
    today = timezone.localdate()
    overdue = [c for c in Concern.objects.all() if c.is_overdue(today)]
    assert any(c.is_open for c in overdue)


def test_demo_concerns_have_discussion_notes_and_chains_that_verify(demo, db):
    without_notes = Concern.objects.filter(notes__isnull=True)
    assert not without_notes.exists()
    assert CaseEvent.objects.filter(kind="note.recorded").count() == DiscussionNote.objects.count()
    assert list(verify_all()) == []


def test_demo_histories_happened_in_the_past_and_in_order(demo, db):
    now = timezone.now()
    assert not CaseEvent.objects.filter(created_at__gt=now).exists()
    for concern in Concern.objects.exclude(state="draft"):
        times = list(concern.events.order_by("sequence").values_list("created_at", flat=True))
        assert times == sorted(times)
        assert concern.submitted_at < now


def test_every_role_has_at_least_two_people(demo, db):
    for spec in AGENCIES:
        roles = list(User.objects.filter(agency__name=spec.name).values_list("role", flat=True))
        if spec.kind == "partnership":
            needed = [Role.PARTNERSHIP_OFFICER, Role.PARTNERSHIP_AUDITOR]
        else:
            needed = [Role.PRACTITIONER, Role.MANAGER, Role.SENIOR_MANAGER]
        assert all(roles.count(role) >= 2 for role in needed), spec.name


def test_demo_accounts_sign_in_with_the_demo_password_and_the_admin_is_a_superuser(demo, db):
    hana = User.objects.get(email="hannah.whiteley@community-health.example.org")
    assert hana.check_password("demo-password-2026")
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password("demo-password-2026")


def test_the_password_can_be_set_with_DEMO_PASSWORD(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-local-secret")
    assert demo_password() == "another-local-secret"


def test_it_prints_the_accounts_the_password_and_the_concerns_per_state(demo, db):
    assert "amara.okafor@social-work.example.org" in demo
    assert "Every demo account's password: demo-password-2026" in demo
    assert "Withdrawn" in demo
    assert "Overdue today:" in demo
    assert f"{Concern.objects.count()} concern(s) created" in demo


def test_running_it_again_changes_nothing_and_says_so(demo, db):
    before = row_counts()
    output = seed("--force")
    assert row_counts() == before
    assert "nothing was changed" in output


def test_it_refuses_to_run_outside_a_demo_unless_forced(demo, db, settings):
    settings.DEMO_DATA = False
    before = row_counts()
    with pytest.raises(CommandError, match="not for a demo"):
        seed()
    assert row_counts() == before


def test_the_demo_shows_each_safeguard_of_the_protocol(demo, db):
    """Issue 9: the demo has a disputed outcome, a deemed acceptance, a paused concern, a
    reopened one, a handover, an urgent escalation, a contact without an account, an outcome
    awaiting answers, a follow-on and someone covering for a colleague."""
    from concerns.models import CaseEvent, Cover, OutcomeProposal

    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    assert {
        "outcome.disputed",
        "outcome.deemed_accepted",
        "concern.paused",
        "concern.reopened",
        "concern.handed_over",
        "concern.escalated_urgently",
        "action.updated",
        "concern.followed_on",
    } <= kinds
    assert OutcomeProposal.objects.filter(status="pending").exists()
    assert (
        Concern.objects.filter(receiving_practitioner=None)
        .exclude(receiving_contact_name="")
        .exists()
    )
    assert Cover.objects.exists()
