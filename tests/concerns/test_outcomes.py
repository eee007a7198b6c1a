"""An outcome both sides agree (issue 9, item 1), written from the issue and the process
reference:

- a holder of the stage proposes the outcome (statement, decision, agreed actions);
- the other side's holder accepts or disputes it, with a reason; a dispute returns the concern
  to its stage with its clock running, and escalation is offered;
- the raiser records their own acceptance: nobody records it for them;
- silence for the set working days (default 3) is recorded as deemed acceptance, shown and
  reported apart from acceptance;
- the report counts accepted, deemed and disputed outcomes.

The cast: Hana Visitor (health) raises it with Sam Worker (social care); stage 2 names Harriet
Manager (health) and Sian Manager (social care); stage 4 is the partnership officer's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from concerns import process, services
from concerns.access import Action
from concerns.errors import ActionRefused, InvalidInput
from concerns.models import AgreedAction, CaseEvent, Concern, OutcomeProposal, ProcessSettings
from concerns.reporting.figures import Period, build_report
from notifications.models import Kind, Notification
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import Personas, london
from tests.notifications.conftest import sweep
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 11, 2, 10, 0)
# Proposed on Thursday 5 November: three working days to answer, so answers are due by
# Tuesday 10 November, and silence is deemed acceptance from Wednesday 11 November.
PROPOSED_AT = london(2026, 11, 5, 11, 0)
ANSWER_DUE = dt.date(2026, 11, 10)


def kinds(concern: Concern) -> list[str]:
    return list(concern.events.order_by("sequence").values_list("kind", flat=True))


def propose(concern: Concern, actor, at: dt.datetime = PROPOSED_AT) -> OutcomeProposal:
    return services.concern_propose(
        concern_id=concern.pk, actor=actor, data=helpers.resolution(concern, at), now=at
    )


def fresh(concern: Concern) -> Concern:
    return Concern.objects.get(pk=concern.pk)


def test_a_dispute_returns_the_concern_to_its_stage_with_its_clock_running(
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    due = concern.due_date
    proposal = propose(concern, cast.responder)
    assert proposal.answer_due == ANSWER_DUE

    services.concern_dispute(
        concern_id=concern.pk,
        actor=cast.raiser,
        reason="It leaves the child without an assessment.",
        now=PROPOSED_AT + dt.timedelta(hours=2),
    )

    concern = fresh(concern)
    assert concern.state == "stage_1"
    assert concern.due_date == due and concern.paused_at is None
    proposal.refresh_from_db()
    assert proposal.status == "disputed"
    assert proposal.dispute_reason == "It leaves the child without an assessment."
    assert kinds(concern)[-2:] == ["outcome.proposed", "outcome.disputed"]
    # Escalation is offered to the raiser, and another outcome may be proposed.
    moment = process.Moment(concern, today=PROPOSED_AT.date())
    offered = process.actions_now(cast.raiser, moment)
    assert Action.ESCALATE in offered and Action.PROPOSE in offered
    assert Action.ACCEPT not in offered


def test_at_stage_2_the_other_sides_holder_and_the_raiser_each_answer_for_themselves(
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    propose(concern, cast.receiving_manager)

    services.concern_accept(concern_id=concern.pk, actor=cast.raising_manager, now=PROPOSED_AT)
    assert fresh(concern).state == "stage_2", "the raiser's own answer is still awaited"
    # Nobody answers for the raiser: not their manager again, not the other side.
    for someone in (cast.raising_manager, cast.receiving_manager, cast.responder):
        with pytest.raises(ActionRefused, match="only the practitioner who raised it"):
            services.concern_accept(concern_id=concern.pk, actor=someone, now=PROPOSED_AT)

    services.concern_accept(concern_id=concern.pk, actor=cast.raiser, now=PROPOSED_AT)

    concern = fresh(concern)
    assert concern.state == "resolved"
    assert concern.agreement == "accepted" and concern.raiser_accepts is True
    assert concern.outcome_statement.startswith("Both agencies agreed")
    assert AgreedAction.objects.filter(concern=concern).count() == 1
    accepted = concern.events.filter(kind="outcome.accepted").order_by("sequence")
    assert [(e.actor, e.payload["answer"]) for e in accepted] == [
        (cast.raising_manager, "other"),
        (cast.raiser, "raiser"),
    ]


def test_the_raisers_no_is_recorded_and_does_not_hold_back_what_both_holders_agree(
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    propose(concern, cast.receiving_manager)
    with pytest.raises(InvalidInput) as missing:
        services.concern_dispute(
            concern_id=concern.pk, actor=cast.raiser, reason=" ", now=PROPOSED_AT
        )
    assert missing.value.errors == {"reason": "Say why you do not accept this outcome."}
    services.concern_dispute(
        concern_id=concern.pk, actor=cast.raiser, reason="No visit date.", now=PROPOSED_AT
    )
    assert fresh(concern).state == "stage_2"
    services.concern_accept(concern_id=concern.pk, actor=cast.raising_manager, now=PROPOSED_AT)
    concern = fresh(concern)
    assert concern.state == "resolved"
    assert concern.raiser_accepts is False and concern.agreement == "accepted"


def test_silence_after_the_answer_window_is_deemed_acceptance_recorded_by_nobody(
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    propose(concern, cast.receiving_manager)

    assert services.deem_silent_answers(now=london(2026, 11, 10, 23, 59)) == 0
    assert fresh(concern).state == "stage_2"
    assert services.deem_silent_answers(now=london(2026, 11, 11, 0, 1)) == 1

    concern = fresh(concern)
    assert concern.state == "resolved"
    assert concern.agreement == "deemed" and concern.raiser_accepts is None
    deemed = concern.events.get(kind="outcome.deemed_accepted")
    assert deemed.actor is None and deemed.payload["answers"] == ["other", "raiser"]
    assert kinds(concern)[-2:] == ["outcome.deemed_accepted", "concern.resolved"]
    assert services.deem_silent_answers(now=london(2026, 11, 12, 9, 0)) == 0


def test_the_answer_window_is_the_partnerships_setting(cast: Cast) -> None:
    settings = ProcessSettings.current()
    settings.answer_working_days = 1
    settings.save()
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    assert propose(concern, cast.raiser).answer_due == dt.date(2026, 11, 6)


def test_escalating_sets_a_pending_outcome_aside(cast: Cast) -> None:
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    proposal = propose(concern, cast.responder)
    services.concern_escalate(
        concern_id=concern.pk,
        actor=cast.raiser,
        data=scenarios.escalation(cast),
        now=PROPOSED_AT + dt.timedelta(hours=1),
    )
    proposal.refresh_from_db()
    assert proposal.status == "superseded"
    with pytest.raises(ActionRefused, match="no outcome is awaiting an answer"):
        services.concern_accept(concern_id=concern.pk, actor=cast.raiser, now=PROPOSED_AT)


def test_one_outcome_awaits_answers_at_a_time_and_it_cannot_be_paused_meanwhile(
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    propose(concern, cast.responder)
    with pytest.raises(ActionRefused, match="the outcome Sam Worker proposed awaits answers"):
        propose(concern, cast.raiser)
    with pytest.raises(ActionRefused, match="awaits answers; it cannot be paused"):
        services.concern_pause(
            concern_id=concern.pk, actor=cast.raiser, data=helpers.pause_data(PROPOSED_AT)
        )


def test_at_the_partnership_stage_the_partnership_decides_and_the_raiser_answers(
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_4", MONDAY)
    propose(concern, cast.officer, at=london(2026, 11, 9, 11, 0))
    services.concern_dispute(
        concern_id=concern.pk,
        actor=cast.raiser,
        reason="We still think an assessment is needed.",
        now=london(2026, 11, 9, 12, 0),
    )
    concern = fresh(concern)
    assert concern.state == "resolved"
    assert concern.agreement == "decided" and concern.raiser_accepts is False


# --- The report, against a fixture counted by hand.


def test_the_report_counts_accepted_deemed_decided_and_disputed_outcomes(
    people: Personas, cast: Cast
) -> None:
    # 1. Accepted at stage 1 (the raiser accepts the responder's outcome).
    one = scenarios.advance(cast, "stage_1", MONDAY)
    propose(one, cast.responder)
    services.concern_accept(concern_id=one.pk, actor=cast.raiser, now=PROPOSED_AT)
    # 2. Disputed at stage 1, then accepted at stage 2 after escalation.
    two = scenarios.advance(cast, "stage_1", MONDAY)
    propose(two, cast.responder)
    services.concern_dispute(concern_id=two.pk, actor=cast.raiser, reason="No.", now=PROPOSED_AT)
    services.concern_escalate(
        concern_id=two.pk, actor=cast.raiser, data=scenarios.escalation(cast), now=PROPOSED_AT
    )
    scenarios.resolve(fresh(two), cast, london(2026, 11, 6, 10, 0))
    # 3. Deemed at stage 2.
    three = scenarios.advance(cast, "stage_2", MONDAY)
    propose(three, cast.receiving_manager)
    services.deem_silent_answers(now=london(2026, 11, 11, 9, 0))
    # 4. Disputed at stage 1 and still open.
    four = scenarios.advance(cast, "stage_1", MONDAY)
    propose(four, cast.raiser)
    services.concern_dispute(
        concern_id=four.pk, actor=cast.responder, reason="No.", now=PROPOSED_AT
    )
    # 5. Decided by the partnership.
    five = scenarios.advance(cast, "stage_4", MONDAY)
    propose(five, cast.officer, at=london(2026, 11, 9, 11, 0))
    services.concern_accept(concern_id=five.pk, actor=cast.raiser, now=london(2026, 11, 9, 12))

    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    outcomes = build_report(people.partnership_officer, period, dt.date(2026, 11, 30)).outcomes
    assert outcomes.agreements == {"accepted": 2, "deemed": 1, "decided": 1}
    assert outcomes.disputed == 2
    assert outcomes.resolved == 4


# --- Who is told.


def told(people: Personas, kind: str, concern: Concern) -> set[str]:
    by_pk = {getattr(people, f).pk: f for f in vars(people) if hasattr(getattr(people, f), "pk")}
    rows = Notification.objects.filter(kind=kind, concern=concern)
    return {by_pk[pk] for pk in rows.values_list("recipient_id", flat=True)}


def test_a_proposed_outcome_is_sent_to_whoever_must_answer_and_a_dispute_to_both_sides(
    people: Personas, cast: Cast
) -> None:
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    propose(concern, cast.receiving_manager)
    sweep(PROPOSED_AT + dt.timedelta(minutes=1))
    assert told(people, Kind.PROPOSED, concern) == {"health_manager", "health_visitor"}

    services.concern_dispute(
        concern_id=concern.pk, actor=cast.raising_manager, reason="No.", now=PROPOSED_AT
    )
    sweep(PROPOSED_AT + dt.timedelta(minutes=2))
    assert told(people, Kind.DISPUTED, concern) == {
        "health_visitor",
        "health_manager",
        "social_care_manager",
    }


def test_the_morning_answers_are_due_whoever_has_not_answered_is_reminded(
    people: Personas, cast: Cast
) -> None:
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    propose(concern, cast.receiving_manager)
    services.concern_accept(concern_id=concern.pk, actor=cast.raising_manager, now=PROPOSED_AT)
    sweep(london(2026, 11, 10, 9, 5))
    assert told(people, Kind.ANSWER, concern) == {"health_visitor"}


def test_the_concern_page_shows_the_proposal_and_offers_the_raiser_their_own_answer(
    client,
    cast: Cast,
) -> None:
    concern = scenarios.advance(cast, "stage_2", MONDAY)
    propose(concern, cast.receiving_manager)
    client.force_login(cast.raiser)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert "Proposed outcome, awaiting answers" in page
    assert "The raiser&#x27;s own answer (Hana Visitor, for themselves)" in page
    assert "The other side&#x27;s answer (Harriet Manager, for Community Health Trust)" in page
    assert "Accept this outcome" in page and "I do not accept it" in page

    response = client.post(
        reverse("concern-dispute", args=[concern.pk]),
        {"version": fresh(concern).version, "reason": ""},
    )
    assert response.status_code == 200
    assert "Say why you do not accept this outcome." in response.content.decode()
    assert not CaseEvent.objects.filter(concern=concern, kind="outcome.not_accepted").exists()


def test_the_minute_sweep_records_silence_as_deemed_acceptance(cast: Cast) -> None:
    """What beat runs every minute: answers due (long) before today are deemed."""
    from notifications import tasks

    concern = scenarios.advance(cast, "stage_2", MONDAY)
    propose(concern, cast.receiving_manager)
    tasks.sweep()
    assert fresh(concern).agreement == "deemed"
