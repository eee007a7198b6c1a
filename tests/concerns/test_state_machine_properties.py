"""Random sequences of actions by random people, and what must stay true after every one.

Hypothesis drives a few concerns through submit, escalate, urgent escalate, propose an outcome,
accept or dispute it, pause and resume, confirm, close, withdraw, audit and notes, each tried by
anyone from the raiser to a police officer with no part in the case, while the clock jumps
forward by hours or days across Christmas and the sweep records silence as deemed acceptance.
Refusals are expected and must leave no trace. A success must be by someone the process allows
at that stage (written out here). After every step:

- the transitions recorded in the audit events walk the process graph of the partnership's
  process reference, written out here independently of the code's state machine;
- every stage reached has exactly one stage period and one event that started it;
- each period's deadline is its stage's working days from the day it started (bank holidays
  skipped), and the concern shows the current period's deadline while it is open;
- each period's deadline moved by exactly the working days its clock was paused, counted
  independently from the pause and resume events;
- the raiser's own answer to an outcome is recorded only by the raiser, or as deemed;
- every audit chain verifies.

Events are append-only and protected, so examples cannot delete what they made: each example
raises new concerns and checks only those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from concerns import services
from concerns.calendar import deadline
from concerns.chain import BrokenLink, verify_all
from concerns.errors import ActionRefused
from concerns.models import (
    CaseEvent,
    Concern,
    OutcomeProposal,
    ProcessSettings,
    Stage,
    StagePeriod,
    User,
)
from concerns.process import awaited_from
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import LONDON, Personas, london
from tests.scenarios import Cast

# Just before Christmas, so clocks started in the run skip 25 and 28 Dec and 1 Jan.
START = london(2026, 12, 10, 9, 0)
MAX_CONCERNS = 2

# The process graph of the process reference with its default four stages, and the event
# kinds that may record each move. Written out by hand: it must not be derived from the code
# under test.
LAST_STAGE = 4
URGENT_STAGE = 3
OPEN = [f"stage_{n}" for n in range(1, LAST_STAGE + 1)]
GRAPH: dict[tuple[str, str], frozenset[str]] = {
    ("", "draft"): frozenset({"concern.drafted"}),
    ("draft", "stage_1"): frozenset({"concern.submitted"}),
    ("resolved", "closed"): frozenset({"concern.closed"}),
    ("closed", "audited"): frozenset({"concern.audited"}),
}
for n in range(1, LAST_STAGE):
    GRAPH[(f"stage_{n}", f"stage_{n + 1}")] = frozenset({"concern.escalated"})
for n in range(1, URGENT_STAGE):
    urgent = (f"stage_{n}", f"stage_{URGENT_STAGE}")
    GRAPH[urgent] = GRAPH.get(urgent, frozenset()) | {"concern.escalated_urgently"}
for stage in OPEN:
    GRAPH[(stage, "resolved")] = frozenset({"concern.resolved"})
    GRAPH[("closed", stage)] = frozenset({"concern.reopened"})  # back to its last stage
    GRAPH[(stage, "withdrawn")] = frozenset({"concern.withdrawn"})
# Records that keep the state: a discussion, an agency's confirmation, a draft's edit.
STATE_KEEPING = frozenset(
    {
        "note.recorded",
        "outcome.confirmed",
        "concern.edited",
        "outcome.proposed",
        "outcome.accepted",
        "outcome.disputed",
        "outcome.not_accepted",
        "outcome.deemed_accepted",
        "concern.paused",
        "concern.resumed",
        "urgent.answered",
        "action.updated",
        "concern.followed_on",
    }
)
# What only the raiser may record about an outcome (or the sweep, as deemed).
ANSWER_KINDS = frozenset({"outcome.accepted", "outcome.disputed", "outcome.not_accepted"})

# England and Wales bank holidays on weekdays within reach of a run (checked against gov.uk):
# an independent count of working days, so a deadline is checked by more than the same code.
BANK_HOLIDAYS = frozenset(
    {
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 28),  # Boxing Day (substitute day)
        dt.date(2027, 1, 1),
        dt.date(2027, 3, 26),
        dt.date(2027, 3, 29),
        dt.date(2027, 5, 3),
        dt.date(2027, 5, 31),
    }
)

# A step's pause: a few hours, or days at a time (weekends and holidays pass often).
pauses = st.one_of(
    st.integers(min_value=0, max_value=12).map(lambda h: dt.timedelta(hours=h)),
    st.integers(min_value=1, max_value=6).map(lambda d: dt.timedelta(days=d, hours=d % 3)),
)


def counted_working_days(start: dt.date, end: dt.date) -> int:
    days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for d in days if d.weekday() < 5 and d not in BANK_HOLIDAYS)


def local_day(at: dt.datetime) -> dt.date:
    return at.astimezone(LONDON).date()


def everyone(people: Personas) -> list[User]:
    return [getattr(people, f.name) for f in fields(people) if f.type in ("User", User)]


def trace(concern_id: int) -> tuple[Any, ...]:
    """Everything an action could write about one concern: equal before and after a refusal."""
    concern = Concern.objects.get(pk=concern_id)
    return (
        [getattr(concern, f.attname) for f in Concern._meta.concrete_fields],
        list(CaseEvent.objects.filter(concern_id=concern_id).values_list("pk", "hash")),
        list(StagePeriod.objects.filter(concern_id=concern_id).values_list("pk", "ended_at")),
        concern.history.count(),
        concern.notes.count(),
        concern.confirmations.count(),
        concern.actions.count(),
        hasattr(concern, "audit_record"),
    )


def expected_states(action: str, before: str) -> set[str]:
    """Where a successful action may take a concern, by the process reference."""
    following = {f"stage_{n + 1}" for n in range(1, LAST_STAGE) if before == f"stage_{n}"}
    return {
        "submit": {"stage_1"},
        "escalate": following,
        "urgent_escalate": {f"stage_{URGENT_STAGE}"},
        "propose": {before},
        "accept": {before, "resolved"},
        "dispute": {before, "resolved"},
        "pause": {before},
        "resume": {before},
        "confirm": {"resolved", "closed"},
        "close": {"closed"},
        "withdraw": {"withdrawn"},
        "audit": {"audited"},
        "reopen": set(OPEN),
        "note": {before},
    }[action]


@dataclass
class Path:
    """A concern's recorded states, and the event that moved it into each stage."""

    states: list[str]
    stage_starts: dict[int, list[CaseEvent]]


def walk(concern_id: int) -> Path:
    """Follow the concern's events through GRAPH, failing on the first move it does not allow."""
    state, states = "", []
    starts: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.filter(concern_id=concern_id).order_by("sequence"):
        move = (event.from_state, event.to_state)
        assert event.from_state == state, f"event {event.sequence} starts from the wrong state"
        if event.from_state == event.to_state:
            assert event.kind in STATE_KEEPING, f"{event.kind} kept the state {state}"
        else:
            assert event.kind in GRAPH.get(move, ()), f"{event.kind} {move} is not in the process"
            states.append(event.to_state)
            if event.to_state in OPEN:
                starts.setdefault(int(event.to_state.removeprefix("stage_")), []).append(event)
        state = event.to_state
    return Path(states=states, stage_starts=starts)


Act = Callable[[int, User, dt.datetime], object]


def action_runners(cast: Cast) -> dict[str, Act]:
    """Each action through its real service, with the shared valid data for it."""

    def submit(concern_id: int, actor: User, at: dt.datetime) -> object:
        data = helpers.submission(cast, at)
        return services.concern_submit(concern_id=concern_id, actor=actor, data=data, now=at)

    def escalate(concern_id: int, actor: User, at: dt.datetime) -> object:
        concern = Concern.objects.get(pk=concern_id)
        data = scenarios.escalation(cast, senior=scenarios.needs_seniors(concern))
        return services.concern_escalate(concern_id=concern_id, actor=actor, data=data, now=at)

    def urgent_escalate(concern_id: int, actor: User, at: dt.datetime) -> object:
        data = helpers.urgent_escalation(cast)
        return services.concern_escalate_urgently(
            concern_id=concern_id, actor=actor, data=data, now=at
        )

    def propose(concern_id: int, actor: User, at: dt.datetime) -> object:
        data = helpers.resolution(Concern.objects.get(pk=concern_id), at)
        return services.concern_propose(concern_id=concern_id, actor=actor, data=data, now=at)

    def accept(concern_id: int, actor: User, at: dt.datetime) -> object:
        return services.concern_accept(concern_id=concern_id, actor=actor, now=at)

    def dispute(concern_id: int, actor: User, at: dt.datetime) -> object:
        reason = "It leaves the child without a plan."
        return services.concern_dispute(concern_id=concern_id, actor=actor, reason=reason, now=at)

    def pause(concern_id: int, actor: User, at: dt.datetime) -> object:
        data = helpers.pause_data(at)
        return services.concern_pause(concern_id=concern_id, actor=actor, data=data, now=at)

    def resume(concern_id: int, actor: User, at: dt.datetime) -> object:
        return services.concern_resume(concern_id=concern_id, actor=actor, now=at)

    def confirm(concern_id: int, actor: User, at: dt.datetime) -> object:
        return services.concern_confirm(concern_id=concern_id, actor=actor, now=at)

    def close(concern_id: int, actor: User, at: dt.datetime) -> object:
        return services.concern_close(concern_id=concern_id, actor=actor, now=at)

    def withdraw(concern_id: int, actor: User, at: dt.datetime) -> object:
        data = helpers.withdrawal(cast)
        return services.concern_withdraw(concern_id=concern_id, actor=actor, data=data, now=at)

    def audit(concern_id: int, actor: User, at: dt.datetime) -> object:
        data = helpers.audit_data()
        return services.concern_audit(concern_id=concern_id, actor=actor, data=data, now=at)

    def reopen(concern_id: int, actor: User, at: dt.datetime) -> object:
        return services.concern_reopen(
            concern_id=concern_id, actor=actor, new_information="New information.", now=at
        )

    def note(concern_id: int, actor: User, at: dt.datetime) -> object:
        data = helpers.note_data(at)
        return services.note_create(concern_id=concern_id, actor=actor, data=data, now=at)

    return {
        "submit": submit,
        "escalate": escalate,
        "urgent_escalate": urgent_escalate,
        "propose": propose,
        "accept": accept,
        "dispute": dispute,
        "pause": pause,
        "resume": resume,
        "confirm": confirm,
        "close": close,
        "withdraw": withdraw,
        "audit": audit,
        "reopen": reopen,
        "note": note,
    }


# Only to steer the random walk towards the later states (so a 20-step run can reach an
# audit, and proposed outcomes get answered): the moves that usually come next (an answer,
# while an outcome awaits one), and who usually makes them. Nothing is asserted
# from these tables; any action by anyone is still tried about half the time.
USUAL_NEXT: dict[str, list[str]] = {
    "draft": ["submit"],
    "stage_1": ["escalate", "urgent_escalate", "propose", "propose", "pause", "resume"],
    "stage_2": ["escalate", "urgent_escalate", "propose", "propose", "pause", "resume"],
    "stage_3": ["escalate", "propose", "propose", "withdraw", "pause", "resume"],
    "stage_4": ["propose", "propose", "withdraw", "pause", "resume"],
    "resolved": ["confirm", "close"],
    "closed": ["audit", "note", "reopen"],
    "audited": ["note"],
    "withdrawn": ["note"],
}


def usual_actors(cast: Cast, action: str, state: str) -> list[User]:
    seniors = [p for p in (cast.raising_senior, cast.receiving_senior) if p is not None]
    managers = [cast.raising_manager, cast.receiving_manager, *seniors]
    holders = {"stage_1": [cast.raiser, cast.responder], "stage_4": [cast.officer]}
    return {
        "submit": [cast.raiser],
        "escalate": holders.get(state, managers),
        "urgent_escalate": managers,
        "propose": holders.get(state, managers),
        "accept": [cast.raiser, cast.responder, *managers],
        "dispute": [cast.raiser, cast.responder, *managers],
        "pause": holders.get(state, managers),
        "resume": holders.get(state, managers),
        "confirm": [cast.raiser, cast.responder, *managers],
        "close": [*managers, cast.officer],
        "withdraw": [cast.raiser],
        "audit": [cast.auditor],
        "reopen": [cast.raiser, cast.responder, *managers],
        "note": [cast.raiser, cast.responder, *managers, cast.officer, cast.auditor],
    }[action]


@dataclass
class Holders:
    state: str
    holders: set[int]
    raiser: int


def stage_holders(concern_id: int) -> Holders:
    """The concern's state and who holds its stage by the process reference: both
    practitioners at stage 1, the named holders at 2 and 3, the business unit at 4."""
    concern = Concern.objects.get(pk=concern_id)
    holders: set[int] = set()
    if concern.state == "stage_1":
        holders = {concern.raised_by_id, concern.receiving_practitioner_id or 0}
    elif concern.state in ("stage_2", "stage_3"):
        holders = {concern.raising_holder_id or 0, concern.receiving_holder_id or 0}
    elif concern.state == "stage_4":
        officers = User.objects.filter(role="partnership_officer").values_list("pk", flat=True)
        holders = set(officers)
    return Holders(concern.state, holders, concern.raised_by_id)


def stage_actors(action: str, before: Holders) -> set[int] | None:
    """Who may have done `action` successfully (None: not checked here): the stage's holders
    propose, pause and resume; answers come from a holder or the raiser."""
    if action in ("propose", "pause", "resume"):
        return before.holders
    if action in ("accept", "dispute"):
        return before.holders | {before.raiser}
    return None


def paused_days_of(period: StagePeriod) -> int:
    """Working days paused in the period, counted from its pause and resume events."""
    events = CaseEvent.objects.filter(
        concern_id=period.concern_id,
        kind__in=("concern.paused", "concern.resumed"),
        created_at__gte=period.started_at,
    ).order_by("sequence")
    if period.ended_at is not None:
        events = events.filter(created_at__lte=period.ended_at)
    total, paused_at = 0, None
    for event in events:
        if event.kind == "concern.paused":
            paused_at = event.created_at
        elif paused_at is not None:
            total += counted_working_days(local_day(paused_at), local_day(event.created_at))
            paused_at = None
    return total


def concern_lifecycle(people: Personas, created: list[int]) -> type[RuleBasedStateMachine]:
    """The machine, built per test so its rules can use that test's people."""
    cast = people.cast
    anyone = st.sampled_from(everyone(people))
    runners = action_runners(cast)
    stage_days = dict(Stage.objects.values_list("number", "working_days"))
    confirmation_days = ProcessSettings.current().confirmation_working_days

    class ConcernLifecycle(RuleBasedStateMachine):
        concerns = Bundle("concerns")

        def __init__(self) -> None:
            super().__init__()
            self.now = START
            self.ids: list[int] = []

        def raise_concern(self) -> int:
            concern = scenarios.draft(cast, self.now)
            self.ids.append(concern.pk)
            created.append(concern.pk)
            return concern.pk

        @initialize(target=concerns)
        def raise_the_first_concern(self) -> int:
            return self.raise_concern()

        @precondition(lambda self: len(self.ids) < MAX_CONCERNS)
        @rule(target=concerns, pause=pauses)
        def raise_another_concern(self, pause: dt.timedelta) -> int:
            self.now += pause
            return self.raise_concern()

        @rule(concern=concerns, pause=pauses, data=st.data())
        def someone_acts(self, concern: int, pause: dt.timedelta, data: st.DataObject) -> None:
            """Anyone tries anything; a refusal leaves no trace, a success moves as allowed."""
            self.now += pause
            state = Concern.objects.values_list("state", flat=True).get(pk=concern)
            pending = OutcomeProposal.objects.filter(concern_id=concern, status="pending")
            usual = ["accept", "dispute"] if pending.exists() else USUAL_NEXT[state]
            # Three in four draws are a usual next move; any action by anyone is still tried.
            weighted = usual * (3 * len(runners) // len(usual)) + list(runners)
            action = data.draw(st.sampled_from(weighted), label="action")
            actor = data.draw(
                st.one_of(st.sampled_from(usual_actors(cast, action, state)), anyone),
                label="actor",
            )
            before = trace(concern)
            holders_before = stage_holders(concern)
            try:
                runners[action](concern, actor, self.now)
            except ActionRefused:
                assert trace(concern) == before, f"a refused {action} changed the concern"
                return
            after = Concern.objects.values_list("state", flat=True).get(pk=concern)
            assert after in expected_states(action, state), f"{action}: {state} -> {after}"
            allowed = stage_actors(action, holders_before)
            if allowed is not None:
                assert actor.pk in allowed, f"{actor} may not {action} at {state}"

        @rule(concern=concerns, accepts=st.booleans(), pause=pauses)
        def an_awaited_person_answers(
            self, concern: int, accepts: bool, pause: dt.timedelta
        ) -> None:
            """Steering only: whoever a pending outcome awaits answers it (the random actors
            above seldom pick them); the invariants judge the result as for anyone."""
            self.now += pause
            found = Concern.objects.get(pk=concern)
            pending = OutcomeProposal.objects.filter(concern=found, status="pending").first()
            if pending is None:
                return
            waiting = [p for p in awaited_from(pending, found).values() if p]
            if not waiting:
                return
            actor = User.objects.get(pk=waiting[0])
            runners["accept" if accepts else "dispute"](concern, actor, self.now)

        @rule(days=st.integers(min_value=1, max_value=6))
        def time_passes_and_the_sweep_runs(self, days: int) -> None:
            """Silence: any answer not given in its window is recorded as deemed."""
            self.now += dt.timedelta(days=days)
            services.deem_silent_answers(now=self.now)

        @invariant()
        def transitions_walk_the_process_graph(self) -> None:
            for concern_id in self.ids:
                path = walk(concern_id)
                state = Concern.objects.values_list("state", flat=True).get(pk=concern_id)
                assert path.states[-1] == state

        @invariant()
        def each_stay_at_a_stage_has_one_period_and_one_start(self) -> None:
            """One period per move into a stage: a stage is entered again only by reopening
            (the move from closed), never restarted otherwise."""
            for concern_id in self.ids:
                starts = walk(concern_id).stage_starts
                periods = StagePeriod.objects.filter(concern_id=concern_id)
                for number, events in starts.items():
                    stays = periods.filter(number=number).order_by("started_at", "pk")
                    assert [p.started_at for p in stays] == [e.created_at for e in events]
                    assert all(e.from_state == "closed" for e in events[1:]), "restarted"
                assert sorted({p.number for p in periods}) == sorted(starts)

        @invariant()
        def deadlines_count_working_days_from_the_day_each_stage_started(self) -> None:
            for period in StagePeriod.objects.filter(concern_id__in=self.ids):
                started = local_day(period.started_at)
                days = stage_days[period.number] + period.paused_working_days
                assert period.due_date == deadline(started, days).due
                assert period.due_date.weekday() < 5
                assert period.due_date not in BANK_HOLIDAYS

        @invariant()
        def the_concern_shows_the_deadline_of_the_clock_running_now(self) -> None:
            for concern in Concern.objects.filter(pk__in=self.ids):
                running = list(StagePeriod.objects.filter(concern=concern, ended_at=None))
                if concern.is_open:
                    assert [p.number for p in running] == [concern.stage_number]
                    assert concern.due_date == running[0].due_date
                    assert concern.response_due_date == running[0].response_due_date
                    continue
                assert running == [], f"a {concern.state} concern still has a stage clock"
                if concern.state == "resolved":
                    assert concern.resolved_at is not None
                    window = deadline(local_day(concern.resolved_at), confirmation_days)
                    assert concern.due_date == window.due
                else:
                    assert concern.due_date is None

        @invariant()
        def deadlines_move_by_exactly_the_working_days_paused(self) -> None:
            for period in StagePeriod.objects.filter(concern_id__in=self.ids):
                paused = paused_days_of(period)
                assert period.paused_working_days == paused
                started = local_day(period.started_at)
                days = stage_days[period.number]
                assert counted_working_days(started, period.due_date) == days + paused

        @invariant()
        def only_the_raiser_records_their_own_answer(self) -> None:
            for proposal in OutcomeProposal.objects.filter(concern_id__in=self.ids):
                raiser = Concern.objects.values_list("raised_by", flat=True).get(
                    pk=proposal.concern_id
                )
                answered = CaseEvent.objects.filter(
                    concern_id=proposal.concern_id,
                    kind__in=ANSWER_KINDS,
                    payload__proposal=proposal.pk,
                )
                raiser_slot = answered.exclude(kind="outcome.disputed").filter(
                    payload__answer="raiser"
                ) | answered.filter(kind="outcome.not_accepted")
                if proposal.raiser_answer in ("accepted", "not_accepted"):
                    assert {e.actor_id for e in raiser_slot} == {raiser}
                if proposal.raiser_answer == "deemed":
                    assert not raiser_slot.exists()
                    assert CaseEvent.objects.filter(
                        concern_id=proposal.concern_id,
                        kind="outcome.deemed_accepted",
                        actor=None,
                        payload__proposal=proposal.pk,
                    ).exists()

        @invariant()
        def every_audit_chain_verifies(self) -> None:
            assert list(verify_all(self.ids)) == []

    return ConcernLifecycle


STATEFUL = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_random_actions_by_random_people_keep_the_process_and_its_records_consistent(
    people: Personas,
) -> None:
    created: list[int] = []
    run_state_machine_as_test(concern_lifecycle(people, created), settings=STATEFUL)
    assert created
    assert list(verify_all()) == []
    # The runs reached what the invariants are about: outcomes answered (or deemed).
    statuses = set(
        OutcomeProposal.objects.filter(concern_id__in=created).values_list("status", flat=True)
    )
    print(
        len(created),
        Concern.objects.count(),
        OutcomeProposal.objects.count(),
        CaseEvent.objects.filter(kind="outcome.proposed").count(),
    )
    assert statuses & {"accepted", "disputed", "deemed"}, statuses


def rewrite_payload(event: CaseEvent, payload: dict[str, Any]) -> None:
    """Change a stored event behind the application's back, as someone with database access."""
    rows = CaseEvent.objects.filter(pk=event.pk)
    if connection.vendor != "postgresql":
        rows.update(payload=payload)
        return
    trigger = "concerns_caseevent_no_update_delete"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(payload=payload)
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks pending, and PostgreSQL will
        # not alter a table with pending trigger events: run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE concerns_caseevent DISABLE TRIGGER {trigger}")
        try:
            rows.update(payload=payload)
        finally:
            cursor.execute(f"ALTER TABLE concerns_caseevent ENABLE TRIGGER {trigger}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_rewriting_one_event_after_a_random_run_breaks_exactly_that_link(
    people: Personas,
) -> None:
    created: list[int] = []
    one_run = settings(STATEFUL, max_examples=1)
    run_state_machine_as_test(concern_lifecycle(people, created), settings=one_run)
    assert list(verify_all()) == []
    longest = max(created, key=lambda pk: CaseEvent.objects.filter(concern_id=pk).count())
    chain = list(CaseEvent.objects.filter(concern_id=longest).order_by("sequence"))
    target = chain[len(chain) // 2]

    rewrite_payload(target, {**target.payload, "note": "quietly rewritten"})

    altered = "its content does not match its seal (it was altered)"
    assert list(verify_all()) == [BrokenLink(longest, target.sequence, altered)]
    errors = StringIO()
    with pytest.raises(CommandError, match="1 audit chain"):
        call_command("verify_audit", stdout=StringIO(), stderr=errors)
    assert errors.getvalue().strip() == (
        f"Broken chain: concern {longest}, event {target.sequence}: {altered}"
    )
