"""`manage.py seed_volume N`: many concerns in bulk, indistinguishable from real use."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone
from simple_history.models import HistoricalRecords

from concerns import services
from concerns.calendar import deadline, working_days_between
from concerns.chain import verify_all
from concerns.models import (
    Agency,
    AgreedAction,
    Audit,
    CaseEvent,
    Concern,
    DiscussionNote,
    ProcessSettings,
    ReferenceCounter,
    Role,
    StagePeriod,
    User,
)
from concerns.models.concern import Category, LevelOfNeed
from demo.volume import seed_volume

COUNT = 300


@pytest.fixture(scope="class")
def volume(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Seeded once for the class (seeding takes seconds) inside a transaction rolled back
    afterwards; each test runs in its own savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_volume", str(COUNT), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


class TestThreeHundredConcerns:
    def test_it_creates_as_many_concerns_as_asked_and_says_how_long_it_took(self, volume, db):
        assert Concern.objects.count() == COUNT
        assert f"Created {COUNT} concerns" in volume
        assert " s." in volume

    def test_the_concerns_are_spread_over_every_state(self, volume, db):
        states = Counter(Concern.objects.values_list("state", flat=True))
        expected = {"draft", "stage_1", "stage_2", "stage_3", "stage_4"}
        expected |= {"resolved", "closed", "audited", "withdrawn"}
        assert set(states) == expected

    def test_every_audit_chain_verifies(self, volume, db):
        assert list(verify_all()) == []
        out = StringIO()
        call_command("verify_audit", stdout=out)
        assert "All audit chains verified" in out.getvalue()

    def test_every_save_has_its_history_row(self, volume, db):
        """Services save a concern once per recorded step; simple-history writes a row each
        time, the first a creation, the last in the concern's present state."""
        history = Concern.history.model.objects
        rows = dict(history.values_list("id").annotate(n=Count("history_id")).order_by())
        versions = dict(Concern.objects.values_list("id", "version"))
        assert rows == versions
        assert history.filter(history_type="+").count() == COUNT
        latest = {h.id: h for h in history.order_by("history_date", "history_id")}
        assert all(
            latest[pk].state == state for pk, state in Concern.objects.values_list("id", "state")
        )
        assert not history.filter(history_user__isnull=True).exists()

    def test_notes_and_actions_have_history_and_events(self, volume, db):
        notes = CaseEvent.objects.filter(kind="note.recorded").count()
        assert notes > 0
        assert DiscussionNote.history.count() == DiscussionNote.objects.count() == notes
        assert AgreedAction.history.count() == AgreedAction.objects.count() > 0

    def test_references_are_unique_and_the_counter_moves_past_them(self, volume, db, people):
        references = list(Concern.objects.values_list("reference", flat=True))
        assert len(set(references)) == COUNT
        for counter in ReferenceCounter.objects.all():
            numbers = [int(r.rsplit("-", 1)[1]) for r in references if f"-{counter.year}-" in r]
            assert counter.last == max(numbers)
        raised = services.concern_create_draft(
            actor=people.health_visitor,
            data=services.DraftData(
                child_initials="QX",
                receiving_agency=people.social_care,
                category=Category.OTHER,
                level_of_need=LevelOfNeed.NOT_KNOWN,
                summary="A concern raised after the volume data.",
                outcome_sought="A reply.",
            ),
        )
        assert raised.reference not in references

    def test_stored_deadlines_are_the_calendar_deadlines_of_the_stage_start(self, volume, db):
        deadline_of = cache(deadline)
        periods = StagePeriod.objects.select_related("stage")
        assert periods.exists()
        for period in periods:
            start = timezone.localdate(period.started_at)
            expected = deadline_of(start, period.stage.working_days)
            assert (period.due_date, period.due_explanation) == (expected.due, expected.explanation)
            if period.stage.response_working_days:
                response = deadline_of(start, period.stage.response_working_days)
                assert period.response_due_date == response.due
        window = ProcessSettings.current().confirmation_working_days
        running = {p.concern_id: p.stage.working_days for p in periods if p.ended_at is None}
        for concern in Concern.objects.filter(due_date__isnull=False):
            days = window if concern.state == "resolved" else running[concern.pk]
            start = timezone.localdate(concern.stage_started_at)
            assert concern.due_date == deadline_of(start, days).due

    def test_ended_stage_periods_count_their_working_days(self, volume, db):
        for period in StagePeriod.objects.filter(ended_at__isnull=False):
            start, end = timezone.localdate(period.started_at), timezone.localdate(period.ended_at)
            assert period.working_days == working_days_between(start, end)

    def test_nothing_is_dated_in_the_future(self, volume, db):
        now = timezone.now()
        assert not CaseEvent.objects.filter(created_at__gt=now).exists()
        assert not Concern.objects.filter(updated_at__gt=now).exists()


def test_it_shares_concerns_among_the_people_already_there(people):
    agencies, users = Agency.objects.count(), User.objects.count()
    seed_volume(20)
    assert (Agency.objects.count(), User.objects.count()) == (agencies, users)
    practitioners = {people.health_visitor, people.social_worker, people.police_officer}
    practitioners.add(people.health_colleague)
    raisers = {concern.raised_by for concern in Concern.objects.select_related("raised_by")}
    assert raisers <= practitioners
    assert list(verify_all()) == []


def test_with_nobody_there_it_creates_a_partnership_that_cannot_sign_in(db):
    seed_volume(5)
    assert Concern.objects.count() == 5
    assert User.objects.filter(role=Role.PARTNERSHIP_AUDITOR).exists()
    assert not any(user.has_usable_password() for user in User.objects.all())


# --- The bulk loader against the real services.
#
# demo.lives moves a concern's state and clocks itself, in memory, for speed (its docstring
# says why it may). Here each concern it loads is driven again through concerns.services, step
# by step, with the same people, times and words, read back from what the loader stored; both
# must leave the same rows behind.

SAME_STORY_COUNT = 30  # with seed 3 below, enough for every kind of step (asserted)
EVERY_KIND = {
    "concern.drafted",
    "concern.submitted",
    "concern.escalated",
    "concern.escalated_urgently",
    "outcome.proposed",
    "outcome.accepted",
    "outcome.not_accepted",
    "concern.resolved",
    "outcome.confirmed",
    "concern.closed",
    "concern.withdrawn",
    "concern.audited",
    "note.recorded",
}


def test_the_bulk_loader_leaves_the_rows_the_real_services_leave_for_the_same_story(db):
    """States, events and their payloads, history rows, stage periods and clocks, notes,
    agreed actions, confirmations and audits: the same, and every chain verifies."""
    seed_volume(SAME_STORY_COUNT, seed=3)
    loaded = list(Concern.objects.order_by("pk"))
    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    reasons = set(Concern.objects.values_list("close_reason", flat=True))
    assert kinds == EVERY_KIND, "the sample no longer covers every kind of step"
    assert {"both_confirmed", "window_expired"} <= reasons
    for bulk in loaded:
        real = replay(bulk)
        assert rows_of(real) == rows_of(bulk), bulk.reference
    assert Concern.objects.count() == 2 * SAME_STORY_COUNT
    assert list(verify_all()) == []


def replay(bulk: Concern) -> Concern:
    """The concern's story, told again through the services: one call per event it holds."""
    notes = iter(bulk.notes.order_by("pk"))
    concern: Concern | None = None
    for event in bulk.events.select_related("actor").order_by("sequence"):
        actor, at, payload = event.actor, event.created_at, event.payload
        assert actor is not None
        if event.kind == "concern.drafted":
            concern = services.concern_create_draft(actor=actor, data=draft_of(bulk), now=at)
            continue
        assert concern is not None
        pk = concern.pk
        if event.kind == "concern.submitted":
            services.concern_submit(concern_id=pk, actor=actor, data=submission_of(bulk), now=at)
        elif event.kind in ("concern.escalated", "concern.escalated_urgently"):
            escalate = services.concern_escalate
            data = services.EscalationData(
                reason=payload["reason"],
                raising_position=payload["raising_position"],
                receiving_position=payload["receiving_position"],
                raising_holder=user(payload["raising_holder"]),
                receiving_holder=user(payload["receiving_holder"]),
                partnership_holder=user(payload["partnership_holder"]),
            )
            if event.kind == "concern.escalated_urgently":
                escalate = services.concern_escalate_urgently  # type: ignore[assignment]
                data = services.UrgentEscalationData(
                    **vars(data),
                    urgency=payload["urgency"],
                    within_24_hours=payload["within_24_hours"],
                )
            escalate(concern_id=pk, actor=actor, data=data, now=at)  # type: ignore[arg-type]
        elif event.kind == "outcome.proposed":
            actions = [
                services.ActionData(
                    Agency.objects.get(pk=a["owner_agency"]),
                    a["description"],
                    dt.date.fromisoformat(a["due_date"]),
                    user(a["owner"]),
                )
                for a in payload["actions"]
            ]
            data = services.ProposalData(payload["outcome_statement"], payload["decision"], actions)
            services.concern_propose(concern_id=pk, actor=actor, data=data, now=at)
        elif event.kind == "outcome.accepted":
            with request_by(actor):  # agreed actions' history names the person signed in
                services.concern_accept(concern_id=pk, actor=actor, now=at)
        elif event.kind == "outcome.not_accepted":
            with request_by(actor):
                services.concern_dispute(
                    concern_id=pk, actor=actor, reason=payload["reason"], now=at
                )
        elif event.kind == "concern.resolved":
            pass  # the last answer resolved it
        elif event.kind == "outcome.confirmed":
            services.concern_confirm(concern_id=pk, actor=actor, now=at)
        elif event.kind == "concern.closed":
            if payload["reason"] != "both_confirmed":  # the second confirmation closed it
                services.concern_close(concern_id=pk, actor=actor, now=at)
        elif event.kind == "concern.withdrawn":
            data = services.WithdrawalData(payload["reason"], user(payload["agreed_by"]))
            services.concern_withdraw(concern_id=pk, actor=actor, data=data, now=at)
        elif event.kind == "concern.audited":
            audit = bulk.audit_record
            data = services.AuditData(
                process_followed=audit.process_followed,
                child_central=audit.child_central,
                voice_recorded=audit.voice_recorded,
                rating=audit.rating,
                findings=audit.findings,
                themes=list(audit.themes.all()),
            )
            services.concern_audit(concern_id=pk, actor=actor, data=data, now=at)
        elif event.kind == "note.recorded":
            note = next(notes)
            data = services.NoteData(
                occurred_at=as_typed(note.occurred_at),
                with_whom=note.with_whom,
                method=note.method,
                discussion=note.discussion,
                agreed=note.agreed,
                internal=note.internal,
            )
            services.note_create(concern_id=pk, actor=actor, data=data, now=at)
        else:
            raise AssertionError(f"no service replays {event.kind}")
    assert concern is not None
    return Concern.objects.get(pk=concern.pk)


def as_typed(at: dt.datetime | None) -> dt.datetime | None:
    """A time as a form gives it (local), not as the database returns it (UTC): the event
    payload keeps the offset."""
    return None if at is None else timezone.localtime(at)


def user(pk: int | None) -> User | None:
    return None if pk is None else User.objects.get(pk=pk)


def draft_of(bulk: Concern) -> services.DraftData:
    return services.DraftData(
        child_initials=bulk.child_initials,
        receiving_agency=bulk.receiving_agency,
        category=bulk.category,
        level_of_need=bulk.level_of_need,
        summary=bulk.summary,
        outcome_sought=bulk.outcome_sought,
        child_date_of_birth=bulk.child_date_of_birth,
        child_unborn=bulk.child_unborn,
        raising_agency_case_number=bulk.raising_agency_case_number,
        receiving_agency_case_number=bulk.receiving_agency_case_number,
        receiving_practitioner=bulk.receiving_practitioner,
        child_voice=bulk.child_voice,
        other_procedure=bulk.other_procedure,
        themes=list(bulk.themes.all()),
    )


def submission_of(bulk: Concern) -> services.SubmitData:
    return services.SubmitData(
        immediate_risk=bulk.immediate_risk,
        consulted_manager=bulk.consulted_manager,
        other_practitioner_contacted_at=as_typed(bulk.other_practitioner_contacted_at),
        lead_professional_told=bulk.lead_professional_told,
        safeguarding_action=bulk.safeguarding_action,
    )


@contextmanager
def request_by(actor: User) -> Iterator[None]:
    """As if `actor` were signed in: simple-history takes the user of rows saved without one
    (agreed actions) from the request, as its middleware sets it."""
    request = RequestFactory().get("/")
    request.user = actor
    HistoricalRecords.context.request = request  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del HistoricalRecords.context.request  # type: ignore[attr-defined]


def rows_of(concern: Concern) -> dict[str, Any]:
    """Everything a concern's story leaves in the database, with the ids of its own rows (the
    concern, its notes, agreed actions and audit) replaced by their place, so two compare."""
    notes = list(concern.notes.order_by("pk").values_list("pk", flat=True))
    actions = list(concern.actions.order_by("pk").values_list("pk", flat=True))
    audit = Audit.objects.filter(concern=concern).first()
    proposals = list(concern.proposals.order_by("pk").values_list("pk", flat=True))
    place = {
        "proposal": {pk: f"proposal {i}" for i, pk in enumerate(proposals)},
        "concern": {concern.pk: "the concern"},
        "note": {pk: f"note {i}" for i, pk in enumerate(notes)},
        "action": {pk: f"action {i}" for i, pk in enumerate(actions)},
        "audit": {audit.pk: "the audit"} if audit else {},
    }

    def values(queryset: Any, own: str | None, *drop: str) -> list[dict[str, Any]]:
        """Rows as dicts: `id` is a row of table `own` (None: not compared)."""
        gone = {"history_id", "reference", *drop, *([] if own else ["id"])}
        found = []
        for row in queryset.values():
            if own:
                row["id"] = place[own].get(row["id"], row["id"])
            if "concern_id" in row:
                row["concern_id"] = place["concern"].get(row["concern_id"], row["concern_id"])
            found.append({key: value for key, value in row.items() if key not in gone})
        return found

    def payload(event: CaseEvent) -> dict[str, Any]:
        found = dict(event.payload)
        for key in ("note", "audit", "proposal"):
            if key in found:
                found[key] = place[key].get(found[key], found[key])
        if "actions" in found and event.kind == "concern.resolved":
            found["actions"] = [place["action"].get(pk, pk) for pk in found["actions"]]
        return found

    def history(model: Any, pks: list[int]) -> Any:
        return model.history.filter(id__in=pks).order_by("history_date", "history_id")

    return {
        "concern": values(Concern.objects.filter(pk=concern.pk), "concern"),
        "themes": sorted(concern.themes.values_list("pk", flat=True)),
        "history": values(history(Concern, [concern.pk]), "concern"),
        "events": [
            (e.sequence, e.kind, e.from_state, e.to_state, e.actor_id, e.created_at, payload(e))
            for e in concern.events.order_by("sequence")
        ],
        "stage periods": values(concern.stage_periods.order_by("number"), None),
        "notes": values(concern.notes.order_by("pk"), "note"),
        "note history": values(history(DiscussionNote, notes), "note"),
        "actions": values(concern.actions.order_by("pk"), "action"),
        # Services date an agreed action's history row by the clock, not by their `now`.
        "action history": values(history(AgreedAction, actions), "action", "history_date"),
        "proposals": values(concern.proposals.order_by("pk"), "proposal"),
        "confirmations": values(concern.confirmations.order_by("confirmed_at", "pk"), None),
        "audit": values(Audit.objects.filter(concern=concern), "audit"),
        "audit themes": sorted(audit.themes.values_list("pk", flat=True)) if audit else [],
    }
