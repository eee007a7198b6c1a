"""Who may do what to a concern, in every state: each transition x person x relationship.

The expectations are written here from the partnership's process reference, not read from
concerns.access.POLICY, so the policy is checked against the process it implements. Every case
calls the real service: an allowed action changes the concern and chains one event; a refused
one changes nothing and says why in plain words; people with no role in the concern learn
nothing about it.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from concerns import access, process, services
from concerns.access import Action
from concerns.chain import verify_all
from concerns.errors import ActionRefused, InvalidInput, NotVisible
from concerns.models import CaseEvent, Concern, Role, Stage, User
from concerns.selectors import concern_get_for, concern_list_for, note_list_for
from tests import conftest
from tests.concerns import helpers
from tests.concerns.helpers import ACT_AT, START, snapshot
from tests.conftest import Personas
from tests.scenarios import Cast, advance, confirm, escalation, needs_seniors

STATES = [
    "draft",
    "stage_1",
    "stage_2",
    "stage_3",
    "stage_4",
    "resolved",
    "closed",
    "audited",
    "withdrawn",
]
STAGES = ("stage_1", "stage_2", "stage_3", "stage_4")
# An outcome proposed and awaiting answers (issue 9): at stage 1 by the responder, at stage 2 by
# the receiving side's named holder (Sian Manager), at stage 4 by the partnership officer.
PROPOSED = {
    "stage_1_proposed": ("stage_1", "social_worker"),
    "stage_2_proposed": ("stage_2", "social_care_manager"),
    "stage_4_proposed": ("stage_4", "partnership_officer"),
}
MATRIX_STATES = [*STATES, *PROPOSED]


def base_state(state: str) -> str:
    return PROPOSED[state][0] if state in PROPOSED else state


# Each persona (an attribute of the `people` fixture) and their parts in a concern raised by
# the health visitor (after consulting Harriet Manager) against children's social care, naming
# the social worker, as `advance` takes it: stage 2 names Harriet and Sian Manager as holders;
# stage 3 (senior managers) names Hugh and Simon Senior; stage 4 names Harriet and Sian again
# beside the partnership officer. Resolved, closed, audited and withdrawn concerns end at
# stage 1. Need to know: a part is a reason to see it; an agency alone is not.
ALWAYS: dict[str, frozenset[str]] = {
    "health_visitor": frozenset({"raiser"}),
    "social_worker": frozenset({"responder"}),
    "health_lead": frozenset({"raising_lead"}),
    "social_care_lead": frozenset({"receiving_lead"}),
    "partnership_officer": frozenset({"officer"}),
    "partnership_auditor": frozenset({"auditor"}),
    "health_colleague": frozenset(),
    "police_officer": frozenset(),
    "police_manager": frozenset(),
}
BY_STATE: dict[str, dict[str, frozenset[str]]] = {
    "health_manager": {
        "draft": frozenset(),  # consulted only once the concern is submitted
        "stage_2": frozenset({"consulted", "raising_holder"}),
        "stage_4": frozenset({"consulted", "raising_holder"}),
        "*": frozenset({"consulted"}),
    },
    "social_care_manager": {
        "stage_2": frozenset({"receiving_holder"}),
        "stage_3": frozenset({"former_holder"}),
        "stage_4": frozenset({"receiving_holder"}),
    },
    "social_care_senior": {
        "stage_3": frozenset({"receiving_holder"}),
        "stage_4": frozenset({"former_holder"}),
    },
    "health_senior": {
        "stage_3": frozenset({"raising_holder"}),
        "stage_4": frozenset({"former_holder"}),
    },
}
# Made by the `world` fixture: Carol covers for Sian Manager (social care) today, so has her
# parts and acts for her; the others take parts over in handovers.
BY_STATE["social_care_cover"] = {
    state: parts | {"cover"} for state, parts in BY_STATE["social_care_manager"].items()
}
PERSONAS = [*ALWAYS, *BY_STATE]


def parts_of(persona: str, state: str) -> frozenset[str]:
    state = base_state(state)
    if persona in ALWAYS:
        return ALWAYS[persona]
    by_state = BY_STATE[persona]
    return by_state.get(state, by_state.get("*", frozenset()))


PRACTITIONERS = frozenset({"raiser", "responder"})
HOLDERS = frozenset({"raising_holder", "receiving_holder"})
LEADS = frozenset({"raising_lead", "receiving_lead"})
PARTIES = PRACTITIONERS | HOLDERS | LEADS | {"consulted", "former_holder", "cover"}
EVERYONE = PARTIES | {"officer", "auditor"}
DRAFT_PEOPLE = frozenset({"raiser", "raising_lead"})

# Drafts are seen by the raiser and their agency's safeguarding leads; everything else by
# everyone with a part in it and partnership staff.
CAN_SEE: dict[str, frozenset[str]] = {
    state: DRAFT_PEOPLE if state == "draft" else EVERYONE for state in MATRIX_STATES
}

# Who may do each, in which states (the process reference and issue 9). Anything not listed:
# nobody.
CAN_DO: dict[str, dict[str, frozenset[str]]] = {
    "submit": {"draft": frozenset({"raiser"})},
    # Either practitioner at stage 1, or the raiser's own manager (the one consulted) or
    # safeguarding lead; from stage 2 only the named holders; stage 4 is the last.
    "escalate": {
        "stage_1": PRACTITIONERS | {"consulted", "raising_lead"},
        "stage_2": HOLDERS,
        "stage_3": HOLDERS,
    },
    # Stage 1 or 2 straight to stage 3: a manager's call (consulted, named holders, leads).
    "urgent_escalate": {
        "stage_1": HOLDERS | LEADS | {"consulted"},
        "stage_2": HOLDERS | LEADS | {"consulted"},
    },
    # Whoever holds the stage proposes the outcome: both practitioners, the named holders at 2
    # and 3, the business unit at 4; not while one awaits answers.
    "propose": {
        "stage_1": PRACTITIONERS,
        "stage_2": HOLDERS,
        "stage_3": HOLDERS,
        "stage_4": frozenset({"officer"}),
    },
    # The other side's holder answers, and the raiser gives their own answer (nobody records
    # it for them): at stage 1 the raiser is the other side; at stage 2 the raising side's
    # holder answers for the side and the raiser for themselves; at stage 4 only the raiser.
    "accept": {
        "stage_1_proposed": frozenset({"raiser"}),
        "stage_2_proposed": frozenset({"raising_holder", "raiser"}),
        "stage_4_proposed": frozenset({"raiser"}),
    },
    "dispute": {
        "stage_1_proposed": frozenset({"raiser"}),
        "stage_2_proposed": frozenset({"raising_holder", "raiser"}),
        "stage_4_proposed": frozenset({"raiser"}),
    },
    # Each agency confirms the outcome is on its own record of the child.
    "confirm": {"resolved": PARTIES},
    "close": {"resolved": HOLDERS | LEADS | {"consulted", "officer"}},
    "withdraw": {stage: frozenset({"raiser"}) for stage in STAGES},
    "audit": {"closed": frozenset({"auditor"})},
    # The stage's holders pause its clock (both practitioners at stage 1, the named holders
    # at 2 and 3, the business unit at 4); nothing here is paused, so nobody resumes.
    "pause": {
        "stage_1": PRACTITIONERS,
        "stage_2": HOLDERS,
        "stage_3": HOLDERS,
        "stage_4": frozenset({"officer"}),
    },
    "resume": {},
    # A party reopens a closed concern within the window (the closed concern here closed 12
    # working days before ACT_AT; the window is 20); a follow-on is for after the window, or
    # once audited.
    "reopen": {"closed": PARTIES},
    # The person named (the responder, either side's holder), or a lead of their agency, hands
    # that part over; at stage 1 only the responder's part is named.
    "hand_over": {
        "stage_1": frozenset({"responder", "receiving_lead"}),
        **{
            s: frozenset({"responder"}) | HOLDERS | LEADS for s in ("stage_2", "stage_3", "stage_4")
        },
    },
    "follow_on": {"audited": PARTIES},
    # Escalation sets a pending proposal aside; urgent escalation and withdrawal too.
    **{},
    # A discussion record in any state by those involved and the business unit; auditors
    # record theirs once the concern is complete.
    "note": {
        "draft": DRAFT_PEOPLE,
        **{s: PARTIES | {"officer"} for s in (*STAGES, "resolved", "withdrawn")},
        "closed": EVERYONE,
        "audited": EVERYONE,
    },
}
# With an outcome awaiting answers, everything at the stage stays as it was except proposing
# another, and pausing (the answers' clock runs): nobody may.
for _action in ("escalate", "urgent_escalate", "withdraw", "note", "hand_over"):
    for _state in PROPOSED:
        if base_state(_state) in CAN_DO[_action]:
            CAN_DO[_action][_state] = CAN_DO[_action][base_state(_state)]

# What an allowed action chains, and the state it leaves the concern in (None: unchanged).
EVENT_KIND = {
    "submit": "concern.submitted",
    "escalate": "concern.escalated",
    "urgent_escalate": "concern.escalated_urgently",
    "propose": "outcome.proposed",
    "confirm": "outcome.confirmed",
    "close": "concern.closed",
    "withdraw": "concern.withdrawn",
    "audit": "concern.audited",
    "note": "note.recorded",
    "pause": "concern.paused",
    "resume": "concern.resumed",
    "reopen": "concern.reopened",
    "hand_over": "concern.handed_over",
    "follow_on": "concern.followed_on",
}
STATE_AFTER: dict[str, str | None] = {
    "submit": "stage_1",
    "escalate": None,  # the next stage: see state_after()
    "urgent_escalate": "stage_3",
    "propose": None,
    "confirm": None,  # the first of two confirmations does not close it
    "close": "closed",
    "withdraw": "withdrawn",
    "audit": "audited",
    "note": None,
    "pause": None,
    "resume": None,
    "reopen": "stage_1",  # the stage it was resolved at
    "hand_over": None,
    "follow_on": None,
}


# What an answer chains, by who gives it where: the last answer awaited resolves the concern.
ANSWER_EVENTS: dict[tuple[str, str, str], list[str]] = {
    ("accept", "stage_1_proposed", "raiser"): ["outcome.accepted", "concern.resolved"],
    ("dispute", "stage_1_proposed", "raiser"): ["outcome.disputed"],
    ("accept", "stage_2_proposed", "raising_holder"): ["outcome.accepted"],
    ("dispute", "stage_2_proposed", "raising_holder"): ["outcome.disputed"],
    ("accept", "stage_2_proposed", "raiser"): ["outcome.accepted"],
    ("dispute", "stage_2_proposed", "raiser"): ["outcome.not_accepted"],
    ("accept", "stage_4_proposed", "raiser"): ["outcome.accepted", "concern.resolved"],
    # The partnership decides at the last stage: the raiser's 'no' is recorded, not a veto.
    ("dispute", "stage_4_proposed", "raiser"): ["outcome.not_accepted", "concern.resolved"],
}


def events_of(action: str, state: str, parts: frozenset[str]) -> list[str]:
    if action in ("accept", "dispute"):
        (part,) = parts & CAN_DO[action][state]
        return ANSWER_EVENTS[(action, state, part)]
    return [EVENT_KIND[action]]


def state_after(action: str, state: str, parts: frozenset[str] = frozenset()) -> str:
    base = base_state(state)
    if action == "escalate":
        return f"stage_{int(base.removeprefix('stage_')) + 1}"
    if action in ("accept", "dispute"):
        resolves = events_of(action, state, parts)[-1] == "concern.resolved"
        return "resolved" if resolves else base
    return STATE_AFTER[action] or base


# How a refusal names each part, for this concern's agencies and people.
NAMED_AS = {
    "raiser": "the practitioner who raised it (Hana Visitor)",
    "responder": "the named practitioner in Children's Social Work Service",
    "consulted": "the manager they consulted (Harriet Manager)",
    "raising_holder": "the named holder in Community Health Trust",
    "receiving_holder": "the named holder in Children's Social Work Service",
    "officer": "the partnership business unit",
    "auditor": "a partnership auditor",
}
BOTH_LEADS = "a safeguarding lead in Community Health Trust or Children's Social Work Service"
RAISING_LEAD = "a safeguarding lead in Community Health Trust"


def escalation_for(concern: Concern, cast: Cast) -> services.EscalationData:
    """Valid holders for the next stage: senior managers where it needs them."""
    return escalation(cast, senior=needs_seniors(concern))


def hand_over_data(concern: Concern, user: User) -> services.HandoverData:
    """The part `user` may hand over (their own, or their agency's as its lead), to someone
    in the same agency fit to take it."""
    stage = concern.stage_number or 1
    fit = "Senior" if stage == 3 else "Manager"
    if user.pk == concern.receiving_practitioner_id or stage == 1:
        to, role = "Sol Worker", "responder"
    elif user.agency_id == concern.receiving_agency_id:
        to, role = f"Sally {fit}2", "receiving_holder"
    else:
        to, role = f"Harry {fit}2", "raising_holder"
    return services.HandoverData(role, User.objects.get(full_name=to), "Leaving the team.")


def act(action: str, concern: Concern, user: User, cast: Cast) -> None:
    """Do `action` with valid data, as `user`, at ACT_AT, through the real service."""
    common: dict[str, Any] = {"concern_id": concern.pk, "actor": user, "now": ACT_AT}
    escalation = escalation_for(concern, cast)
    runners: dict[str, Callable[[], object]] = {
        "submit": lambda: services.concern_submit(data=helpers.submission(cast, ACT_AT), **common),
        "escalate": lambda: services.concern_escalate(data=escalation, **common),
        "urgent_escalate": lambda: services.concern_escalate_urgently(
            data=helpers.urgent_escalation(cast), **common
        ),
        "propose": lambda: services.concern_propose(
            data=helpers.resolution(concern, ACT_AT), **common
        ),
        "accept": lambda: services.concern_accept(**common),
        "dispute": lambda: services.concern_dispute(
            reason="The plan does not address the child's school attendance.", **common
        ),
        "confirm": lambda: services.concern_confirm(**common),
        "close": lambda: services.concern_close(**common),
        "withdraw": lambda: services.concern_withdraw(data=helpers.withdrawal(cast), **common),
        "audit": lambda: services.concern_audit(data=helpers.audit_data(), **common),
        "note": lambda: services.note_create(data=helpers.note_data(ACT_AT), **common),
        "pause": lambda: services.concern_pause(data=helpers.pause_data(ACT_AT), **common),
        "resume": lambda: services.concern_resume(**common),
        "reopen": lambda: services.concern_reopen(
            new_information="The child has since been excluded from school.", **common
        ),
        "follow_on": lambda: services.concern_follow_on(**common),
        "hand_over": lambda: services.concern_hand_over(
            data=hand_over_data(concern, user), **common
        ),
    }
    runners[action]()


def state_phrase(state: str) -> str:
    state = base_state(state)
    if state in STAGES:
        number = int(state.removeprefix("stage_"))
        return f"This concern is at stage {number} ({Stage.objects.get(number=number).name})"
    return {
        "draft": "This concern is a draft",
        "resolved": "This concern is resolved",
        "closed": "This concern is closed",
        "audited": "This concern has been audited",
        "withdrawn": "This concern was withdrawn",
    }[state]


# The states at which `advance` has named holders (a refusal names only people who exist).
HOLDERS_NAMED = frozenset({"stage_2", "stage_3", "stage_4", "stage_2_proposed", "stage_4_proposed"})


def names_of(parts: frozenset[str], state: str) -> list[str]:
    """How a refusal should name the people who can act instead."""
    if state not in HOLDERS_NAMED:
        parts -= HOLDERS
    names = [NAMED_AS[part] for part in sorted(parts) if part in NAMED_AS]
    if parts >= LEADS:
        names.append(BOTH_LEADS)
    elif "raising_lead" in parts:
        names.append(RAISING_LEAD)
    return names


def anyone_named(message: str) -> list[str]:
    every_name = [*NAMED_AS.values(), RAISING_LEAD]
    return [name for name in every_name if name in message]


def matrix_cases() -> list[Any]:
    cases = []
    for state in MATRIX_STATES:
        for persona in PERSONAS:
            for action in CAN_DO:
                case_id = f"{state}-{persona}-{action}"
                cases.append(pytest.param(state, persona, action, id=case_id))
    return cases


def check_allowed(
    action: str, state: str, concern: Concern, user: User, cast: Cast, parts: frozenset[str]
) -> None:
    before = snapshot(concern.pk)
    act(action, concern, user, cast)
    after = snapshot(concern.pk)
    new_events = list(
        CaseEvent.objects.filter(concern=concern, sequence__gt=before["events"]).order_by(
            "sequence"
        )
    )
    assert [e.kind for e in new_events] == events_of(action, state, parts)
    assert all(e.actor_id == user.pk for e in new_events)
    assert after["state"] == state_after(action, state, parts)
    if action != "note":
        assert after["version"] == before["version"] + len(new_events)
    assert list(verify_all([concern.pk])) == [], "the new event must extend the chain"


def check_refused(
    action: str, state: str, concern: Concern, user: User, parts: frozenset[str], cast: Cast
) -> None:
    before = snapshot(concern.pk)
    with pytest.raises(ActionRefused) as refused:
        act(action, concern, user, cast)
    assert snapshot(concern.pk) == before, "a refused action must change nothing"
    message = refused.value.message
    if not parts & CAN_SEE[state]:
        assert type(refused.value) is NotVisible
        assert message == "You do not have access to this concern."
        return
    assert type(refused.value) is ActionRefused, "people who can see it are told why"
    assert message.startswith(state_phrase(state)), message
    may = CAN_DO[action].get(state, frozenset())
    if may:
        for name in names_of(may, state):
            assert name in message, message
    else:
        assert anyone_named(message) == [], f"nobody can do this now, but: {message}"


@dataclass
class World:
    people: Personas
    concern_ids: dict[str, int]
    extra: dict[str, User]

    def persona(self, name: str) -> User:
        found = self.extra.get(name) or getattr(self.people, name)
        return User.objects.get(pk=found.pk)  # fresh: no cached cover from another test


def matrix_people(people: Personas) -> dict[str, User]:
    """Carol, covering Sian Manager today for a week; and people to hand parts over to."""
    sc, health = people.social_care, people.health
    carol = conftest.person("Carol Cover", sc, Role.MANAGER)
    conftest.person("Sol Worker", sc, Role.PRACTITIONER)
    conftest.person("Sally Manager2", sc, Role.MANAGER)
    conftest.person("Sally Senior2", sc, Role.SENIOR_MANAGER)
    conftest.person("Harry Manager2", health, Role.MANAGER)
    conftest.person("Harry Senior2", health, Role.SENIOR_MANAGER)
    today = timezone.localdate()
    services.cover_create(
        actor=people.social_care_manager,
        data=services.CoverData(
            person=people.social_care_manager, cover=carol, starts=today, ends=today
        ),
    )
    return {"social_care_cover": carol}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The personas and one concern in each state, built once for the module in a transaction
    rolled back at its end. Each test runs in a savepoint inside it (the `db` fixture) that is
    rolled back after the test, so every test starts from the same nine concerns."""
    with django_db_blocker.unblock(), transaction.atomic():
        people = inspect.unwrap(conftest.people)(None)  # the `people` fixture's personas
        extra = matrix_people(people)
        ids = {state: advance(people.cast, state, START).pk for state in STATES}
        for state, (base, proposer) in PROPOSED.items():
            concern = advance(people.cast, base, START)
            services.concern_propose(
                concern_id=concern.pk,
                actor=getattr(people, proposer),
                data=helpers.resolution(concern, ACT_AT),
                now=ACT_AT - dt.timedelta(hours=1),
            )
            ids[state] = concern.pk
        yield World(people, ids, extra)
        transaction.set_rollback(True)


@pytest.mark.parametrize(("state", "persona", "action"), matrix_cases())
def test_each_person_may_do_only_what_the_process_allows(
    world: World, db: None, state: str, persona: str, action: str
) -> None:
    """Allowed: the action happens and chains its event. Refused: nothing moves, and the
    person is told why (or, with no part in the concern, only that they have no access)."""
    user = world.persona(persona)
    parts = parts_of(persona, state)
    concern = Concern.objects.get(pk=world.concern_ids[state])
    assert concern.state == base_state(state)
    expected = bool(parts & CAN_DO[action].get(state, frozenset()))
    # What pages offer (process.actions_now) must agree with what the services do.
    moment = process.Moment(concern, today=timezone.localdate(ACT_AT))
    offered = Action(action) in process.actions_now(user, moment)
    if expected:
        check_allowed(action, state, concern, user, world.people.cast, parts)
    else:
        check_refused(action, state, concern, user, parts, world.people.cast)
    assert offered is expected


@pytest.mark.parametrize("state", STATES)
def test_the_concern_list_agrees_with_who_can_see_the_concern(
    people: Personas, cast: Cast, state: str
) -> None:
    concern = advance(cast, state, START)
    extra = matrix_people(people)
    for persona in PERSONAS:
        user: User = extra.get(persona) or getattr(people, persona)
        should_see = bool(parts_of(persona, state) & CAN_SEE[state])
        listed = concern_list_for(user).filter(pk=concern.pk).exists()
        assert listed is access.can(user, concern, Action.VIEW) is should_see, persona
        if should_see:
            assert concern_get_for(user, concern.pk) == concern
        else:
            with pytest.raises(NotVisible):
                concern_get_for(user, concern.pk)


def test_it_refuses_escalation_past_the_last_stage(people: Personas, cast: Cast) -> None:
    concern = advance(cast, "stage_4", START)
    before = snapshot(concern.pk)
    with pytest.raises(ActionRefused, match="the last stage") as refused:
        act("escalate", concern, people.partnership_officer, cast)
    assert refused.value.message.startswith("This concern is at stage 4 (Partnership)")
    assert snapshot(concern.pk) == before


def test_urgent_escalation_from_stage_1_goes_straight_to_stage_3(
    people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "stage_1", START)
    act("urgent_escalate", concern, people.social_care_lead, cast)
    concern.refresh_from_db()
    assert concern.state == "stage_3"
    assert list(concern.stage_periods.values_list("number", flat=True)) == [1, 3]
    event = concern.events.order_by("sequence").last()
    assert event is not None
    assert event.kind == "concern.escalated_urgently"
    assert event.payload["urgency"].startswith("The child is to be discharged")
    assert event.payload["within_24_hours"] is True


def test_it_refuses_urgent_escalation_from_stage_3(people: Personas, cast: Cast) -> None:
    concern = advance(cast, "stage_3", START)
    before = snapshot(concern.pk)
    with pytest.raises(ActionRefused, match="Escalate it in the ordinary way") as refused:
        act("urgent_escalate", concern, people.social_care_manager, cast)
    assert refused.value.message.startswith("This concern is at stage 3 (Senior managers)")
    assert snapshot(concern.pk) == before


def close_on(concern: Concern, user: User, day: dt.date) -> Concern:
    at = dt.datetime.combine(day, dt.time(10), tzinfo=START.tzinfo)
    return services.concern_close(concern_id=concern.pk, actor=user, now=at)


def test_it_refuses_to_close_before_both_confirm_while_the_window_runs(
    people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "resolved", START)
    assert concern.due_date == dt.date(2026, 3, 11)  # 5 working days from Wed 4 Mar
    confirm(concern, cast.raiser, START + dt.timedelta(days=3))
    before = snapshot(concern.pk)
    with pytest.raises(ActionRefused, match="after Wed 11 Mar 2026"):
        close_on(concern, people.social_care_lead, dt.date(2026, 3, 11))
    assert snapshot(concern.pk) == before


def test_it_closes_once_the_confirmation_window_has_run_out(people: Personas, cast: Cast) -> None:
    concern = advance(cast, "resolved", START)
    closed = close_on(concern, people.social_care_lead, dt.date(2026, 3, 12))
    assert closed.state == "closed"
    assert closed.close_reason == "window_expired"
    event = concern.events.order_by("sequence").last()
    assert event is not None
    assert (event.kind, event.payload) == ("concern.closed", {"reason": "window_expired"})


def test_the_second_agency_confirming_closes_the_concern_with_two_events(
    people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "resolved", START)
    at = START + dt.timedelta(days=3)
    confirm(concern, people.health_manager, at)
    before = snapshot(concern.pk)
    confirm(concern, people.social_worker, at)
    new_events = concern.events.filter(sequence__gt=before["events"]).order_by("sequence")
    assert [e.kind for e in new_events] == ["outcome.confirmed", "concern.closed"]
    assert new_events[1].payload == {"reason": "both_confirmed"}
    assert Concern.objects.get(pk=concern.pk).state == "closed"
    assert list(verify_all([concern.pk])) == []


def test_it_refuses_a_second_confirmation_from_the_same_agency(
    people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "resolved", START)
    confirm(concern, people.health_visitor, START + dt.timedelta(days=3))
    before = snapshot(concern.pk)
    with pytest.raises(ActionRefused, match="Community Health Trust has already confirmed"):
        confirm(concern, people.health_manager, START + dt.timedelta(days=4))
    assert snapshot(concern.pk) == before


@pytest.mark.parametrize("agreed_by", [None, "social_care_manager", "health_colleague"])
def test_it_refuses_withdrawal_from_stage_2_without_a_raising_manager_agreeing(
    people: Personas, cast: Cast, agreed_by: str | None
) -> None:
    concern = advance(cast, "stage_2", START)
    manager = getattr(people, agreed_by) if agreed_by else None
    before = snapshot(concern.pk)
    with pytest.raises(InvalidInput) as invalid:
        services.concern_withdraw(
            concern_id=concern.pk,
            actor=people.health_visitor,
            data=helpers.withdrawal(cast, agreed_by=manager),
            now=ACT_AT,
        )
    assert invalid.value.errors == {
        "agreed_by": "From stage 2 a manager in Community Health Trust must agree: choose who."
    }
    assert snapshot(concern.pk) == before


def test_a_raiser_withdraws_at_stage_1_without_a_manager_agreeing(
    people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "stage_1", START)
    services.concern_withdraw(
        concern_id=concern.pk,
        actor=people.health_visitor,
        data=helpers.withdrawal(cast, agreed_by=None),
        now=ACT_AT,
    )
    assert Concern.objects.get(pk=concern.pk).state == "withdrawn"


def test_agency_internal_notes_stay_within_the_agency(people: Personas, cast: Cast) -> None:
    concern = advance(cast, "stage_2", START)

    def write(author: User, internal: bool) -> int:
        data = helpers.note_data(ACT_AT, internal=internal)
        return services.note_create(concern_id=concern.pk, actor=author, data=data, now=ACT_AT).pk

    health_internal = write(people.health_visitor, internal=True)
    care_internal = write(people.social_care_manager, internal=True)
    shared = write(people.social_worker, internal=False)
    extra = matrix_people(people)

    def reader(persona: str) -> User:
        return extra.get(persona) or getattr(people, persona)

    seen = {
        persona: set(note_list_for(reader(persona), concern).values_list("pk", flat=True))
        for persona in PERSONAS
    }
    health_side = {shared, health_internal}
    care_side = {shared, care_internal}
    everything = {shared, health_internal, care_internal}
    assert seen == {
        "health_visitor": health_side,
        "social_worker": care_side,
        "health_manager": health_side,
        "health_lead": health_side,
        "social_care_manager": care_side,
        "social_care_lead": care_side,
        "social_care_cover": care_side,  # covering for Sian Manager
        # Managers with no part in this concern see none of its notes (need to know).
        "social_care_senior": set(),
        "health_senior": set(),
        "health_colleague": set(),
        "police_officer": set(),
        "police_manager": set(),
        "partnership_officer": everything,
        "partnership_auditor": everything,
    }
