"""Need to know: each kind of notification goes to the people who must act (and, in the morning
digest, the safeguarding leads), never to every manager of an agency.

Written from the rules, not read back from the code:
- submitted: the named responder and the receiving agency's safeguarding leads;
- escalated, due soon: whoever holds the stage (both practitioners at stage 1; each side's
  named holder at a managers' stage, its leads if nobody is named; at the partnership stage
  the officer and each side's named holder); overdue: the raiser and those holders;
- resolved, confirm: a side's practitioner and its named holder (on the raising side with
  nobody named, the manager consulted at submission; otherwise the agency's leads);
- digest: the leads of agencies with overdue concerns and the named holders of overdue
  concerns, each listing only the overdue concerns they may see.

The cast: Hana Visitor (health) raises it with Sam Worker (social care), having consulted
Harriet Manager; stage 2 names Harriet and Sian Manager, stage 3 Hugh and Simon Senior.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields

import pytest

from concerns import calendar, services
from concerns.models import Concern, User
from notifications import hours, planning
from notifications.models import Kind, Notification, Reminder
from tests import scenarios
from tests.conftest import Personas, london
from tests.notifications.conftest import sweep
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

# Drafted on Monday 2 November 2026; each further step a day later (scenarios.advance).
MONDAY = london(2026, 11, 2, 10, 0)

# People with no part in a concern between health and social care: never told about it.
UNINVOLVED = {"police_manager", "police_officer", "health_colleague"}


def names(people: Personas) -> dict[int, str]:
    """Each persona's primary key to its name in the `people` fixture."""
    found = {}
    for f in fields(people):
        value = getattr(people, f.name)
        if isinstance(value, User):
            found[value.pk] = f.name
    return found


def told_of(people: Personas, kind: str, concern: Concern | None = None) -> set[str]:
    """Who got a notification of `kind`: about `concern` in its present state, or (a digest)
    about no one concern."""
    rows = Notification.objects.filter(kind=kind)
    if concern is not None:
        rows = rows.filter(concern=concern, reminder__state=concern.state)
    by_pk = names(people)
    return {by_pk[pk] for pk in rows.values_list("recipient_id", flat=True)}


def sweep_when_due(concern: Concern, kind: str) -> None:
    """Sweep when the concern's reminder of `kind` for its present state falls due."""
    due = Reminder.objects.filter(concern=concern, kind=kind, state=concern.state)
    first = due.order_by("due_at").first()
    assert first is not None, f"no {kind} reminder planned at {concern.state}"
    sweep(first.due_at)


def first_overdue_morning(*concerns: Concern) -> dt.datetime:
    """The first working morning on which every one of `concerns` is overdue."""
    latest = max(c.due_date for c in concerns if c.due_date is not None)
    return hours.morning_of(calendar.next_working_day(latest))


def send_digests(*concerns: Concern) -> None:
    morning = first_overdue_morning(*concerns)
    planning.plan_digests(now=morning)
    sweep(morning)


def later(concern: Concern) -> dt.datetime:
    """A day after the concern last moved (scenarios.advance takes a step a day)."""
    assert concern.stage_started_at is not None or concern.resolved_at is not None
    return max(at for at in (concern.stage_started_at, concern.resolved_at) if at is not None)


def escalate_to_partnership(concern: Concern, cast: Cast) -> Concern:
    """Stage 3 to 4, the seniors staying named for their sides alongside the officer."""
    return services.concern_escalate(
        concern_id=concern.pk,
        actor=concern.receiving_holder,  # type: ignore[arg-type]
        data=scenarios.escalation(cast, senior=True),
        now=later(concern) + dt.timedelta(days=1),
    )


def escalate_urgently_from_stage_1(cast: Cast) -> Concern:
    """The manager consulted at submission sends it straight to stage 3, naming the seniors."""
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    data = services.UrgentEscalationData(
        **vars(scenarios.escalation(cast, senior=True)),
        urgency="The child is not safe at home tonight.",
        within_24_hours=True,
    )
    return services.concern_escalate_urgently(
        concern_id=concern.pk,
        actor=cast.raising_manager,
        data=data,
        now=MONDAY + dt.timedelta(days=2),
    )


def resolved_at(target: str) -> Callable[[Cast], Concern]:
    def make(cast: Cast) -> Concern:
        concern = scenarios.advance(cast, target, MONDAY)
        return scenarios.resolve(concern, cast, later(concern) + dt.timedelta(days=1))

    return make


def confirmed_by(target: str, who: str) -> Callable[[Cast], Concern]:
    """Resolved at `target`, then confirmed by one side (`who`: a Cast field), a day later."""

    def make(cast: Cast) -> Concern:
        concern = resolved_at(target)(cast)
        return scenarios.confirm(concern, getattr(cast, who), later(concern) + dt.timedelta(1))

    return make


def at(target: str) -> Callable[[Cast], Concern]:
    return lambda cast: scenarios.advance(cast, target, MONDAY)


@dataclass(frozen=True)
class Case:
    make: Callable[[Cast], Concern]
    kind: str
    told: frozenset[str]
    # Those the case is about not telling (besides UNINVOLVED): the exact set above already
    # excludes them; naming them says why the case exists.
    not_told: frozenset[str]


def case(make: Callable[[Cast], Concern], kind: str, told: set[str], not_told: set[str]) -> Case:
    return Case(make, kind, frozenset(told), frozenset(not_told))


LEADS = {"health_lead", "social_care_lead"}
MANAGERS = {"health_manager", "social_care_manager"}
SENIORS = {"health_senior", "social_care_senior"}
PRACTITIONERS = {"health_visitor", "social_worker"}

CASES = {
    # SUBMITTED: the responder and the receiving agency's leads; not its other managers.
    "submitted": case(
        at("stage_1"),
        Kind.SUBMITTED,
        {"social_worker", "social_care_lead"},
        {"social_care_manager", "social_care_senior", "health_lead", "health_manager"},
    ),
    # ESCALATED: the new stage's named holders, nobody else.
    "escalated_to_stage_2": case(
        at("stage_2"),
        Kind.ESCALATED,
        MANAGERS,
        LEADS | SENIORS | PRACTITIONERS,
    ),
    "escalated_to_stage_3": case(
        at("stage_3"),
        Kind.ESCALATED,
        SENIORS,
        LEADS | MANAGERS | PRACTITIONERS,  # the stage 2 holders held it before: not told now
    ),
    "escalated_to_the_partnership": case(
        lambda cast: escalate_to_partnership(at("stage_3")(cast), cast),
        Kind.ESCALATED,
        {"partnership_officer"} | SENIORS,
        LEADS | MANAGERS | PRACTITIONERS | {"partnership_auditor"},
    ),
    "escalated_urgently_to_stage_3": case(
        escalate_urgently_from_stage_1,
        Kind.ESCALATED,
        SENIORS,
        LEADS | MANAGERS | PRACTITIONERS,
    ),
    # DUE_SOON: the stage's holders.
    "due_soon_at_stage_1": case(
        at("stage_1"),
        Kind.DUE_SOON,
        PRACTITIONERS,
        LEADS | MANAGERS | SENIORS,
    ),
    "due_soon_at_stage_2": case(
        at("stage_2"),
        Kind.DUE_SOON,
        MANAGERS,
        LEADS | SENIORS | PRACTITIONERS,
    ),
    # OVERDUE: the raiser and the stage's holders.
    "overdue_at_stage_1": case(
        at("stage_1"),
        Kind.OVERDUE,
        PRACTITIONERS,
        LEADS | MANAGERS | SENIORS,
    ),
    "overdue_at_stage_2": case(
        at("stage_2"),
        Kind.OVERDUE,
        {"health_visitor"} | MANAGERS,
        LEADS | SENIORS | {"social_worker"},
    ),
    "overdue_at_stage_3": case(
        at("stage_3"),
        Kind.OVERDUE,
        {"health_visitor"} | SENIORS,
        LEADS | MANAGERS | {"social_worker"},
    ),
    # RESOLVED: each side's practitioner and named person; a lead only if nobody is named.
    "resolved_at_stage_1": case(
        resolved_at("stage_1"),
        Kind.RESOLVED,
        PRACTITIONERS | {"health_manager", "social_care_lead"},
        {"health_lead", "social_care_manager", "social_care_senior", "health_senior"},
    ),
    "resolved_at_stage_2": case(
        resolved_at("stage_2"),
        Kind.RESOLVED,
        PRACTITIONERS | MANAGERS,
        LEADS | SENIORS,
    ),
    "resolved_at_stage_3": case(
        resolved_at("stage_3"),
        Kind.RESOLVED,
        PRACTITIONERS | SENIORS,
        LEADS | MANAGERS,  # the health manager was consulted, but a senior is named now
    ),
    # CONFIRM: the side that has not confirmed, and only that side.
    "confirm_reminder_to_the_receiving_side_with_nobody_named": case(
        confirmed_by("stage_1", "raiser"),
        Kind.CONFIRM,
        {"social_worker", "social_care_lead"},
        {"social_care_manager", "social_care_senior", "health_visitor", "health_manager"},
    ),
    "confirm_reminder_to_the_raising_side_with_nobody_named": case(
        confirmed_by("stage_1", "responder"),
        Kind.CONFIRM,
        {"health_visitor", "health_manager"},
        {"health_lead", "health_senior", "social_worker", "social_care_lead"},
    ),
    "confirm_reminder_to_the_receiving_side_with_a_named_holder": case(
        confirmed_by("stage_2", "raiser"),
        Kind.CONFIRM,
        {"social_worker", "social_care_manager"},
        {"social_care_lead", "social_care_senior", "health_visitor", "health_manager"},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_notification_goes_to_exactly_the_people_the_rules_name(cast, people, name):
    c = CASES[name]
    assert not c.told & (c.not_told | UNINVOLVED), "a case cannot both tell and not tell"
    concern = c.make(cast)
    sweep_when_due(concern, c.kind)
    told = told_of(people, c.kind, concern)
    assert told == c.told
    assert not told & (c.not_told | UNINVOLVED)


DIGESTS = {
    # Nobody named at stage 1: the two agencies' leads; the manager consulted is not a holder.
    "stage_1": (LEADS, MANAGERS | SENIORS),
    "stage_2": (LEADS | MANAGERS, SENIORS),
    # The stage 2 holders held it earlier: they may see it, but the seniors hold it now.
    "stage_3": (LEADS | SENIORS, MANAGERS),
}


@pytest.mark.parametrize("target", DIGESTS)
def test_the_digest_goes_to_the_leads_and_the_named_holders_of_overdue_concerns(
    cast, people, target
):
    expected, not_told = DIGESTS[target]
    concern = scenarios.advance(cast, target, MONDAY)
    send_digests(concern)
    told = told_of(people, Kind.DIGEST)
    assert told == expected
    assert not told & (not_told | UNINVOLVED | PRACTITIONERS)


def police_cast(people: Personas) -> Cast:
    """A police constable raising a concern with the same social worker, having consulted
    the police inspector. The police have no safeguarding lead."""
    return Cast(
        raiser=people.police_officer,
        responder=people.social_worker,
        raising_manager=people.police_manager,
        receiving_manager=people.social_care_manager,
        officer=people.partnership_officer,
        auditor=people.partnership_auditor,
    )


def digest_references(person: User) -> list[str] | None:
    notification = Notification.objects.filter(kind=Kind.DIGEST, recipient=person).first()
    if notification is None:
        return None
    return sorted(row["reference"] for row in notification.context["concerns"])


def test_a_digest_lists_only_the_overdue_concerns_its_reader_may_see(cast, people):
    held = scenarios.advance(cast, "stage_2", MONDAY)  # Harriet and Sian named
    police = scenarios.advance(police_cast(people), "stage_1", MONDAY)  # nobody named
    send_digests(held, police)
    assert told_of(people, Kind.DIGEST) == LEADS | MANAGERS
    both = sorted([held.reference, police.reference])
    assert digest_references(people.social_care_lead) == both
    assert digest_references(people.health_lead) == [held.reference]
    # Sian holds one; the other is her agency's, but she has no part in it.
    assert digest_references(people.social_care_manager) == [held.reference]
    assert digest_references(people.health_manager) == [held.reference]
    # The inspector was consulted on the police concern, but holds nothing and is no lead.
    assert digest_references(people.police_manager) is None
    assert digest_references(people.social_care_senior) is None


def test_a_lead_of_an_agency_with_nothing_overdue_gets_no_digest(cast, people):
    police = scenarios.advance(police_cast(people), "stage_1", MONDAY)
    send_digests(police)
    assert told_of(people, Kind.DIGEST) == {"social_care_lead"}
    assert digest_references(people.social_care_lead) == [police.reference]


def test_at_a_managers_stage_with_nobody_named_the_agencys_leads_are_told(cast, people):
    """A concern at stage 2 whose receiving side has no named holder (from before holders
    were named, or one cleared since): that agency's leads hold it, not all its managers."""
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    Concern.objects.filter(pk=concern.pk).update(receiving_holder=None)
    concern.refresh_from_db()
    sweep_when_due(concern, Kind.DUE_SOON)
    assert told_of(people, Kind.DUE_SOON, concern) == {"health_manager", "social_care_lead"}


def test_when_a_named_holder_has_left_their_agencys_leads_are_told_instead(people, cast):
    """Someone deactivated cannot act: their side is not left without notices."""
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    people.social_care_manager.is_active = False
    people.social_care_manager.save(update_fields=["is_active"])
    sweep_when_due(concern, Kind.OVERDUE)
    told = told_of(people, Kind.OVERDUE, concern)
    assert told == {"health_visitor", "health_manager", "social_care_lead"}
