"""Agreeing the outcome: a holder proposes it, the other side's holder accepts or disputes it,
the raiser gives their own answer, and silence for the set working days is deemed acceptance.

The concern resolves only when every awaited answer is in: nobody records an answer for anyone
else. A dispute by the other side returns the concern to its stage, its clock still running,
where it can be escalated or another outcome proposed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from concerns.access import Action
from concerns.calendar import deadline
from concerns.models import (
    Agency,
    AgreedAction,
    Concern,
    Holder,
    OutcomeProposal,
    ProcessSettings,
    User,
)
from concerns.models.concern import Agreement, Decision
from concerns.models.records import Answer, ProposalStatus, Side
from concerns.process import Moment, answer_slot, side_held_by

from .base import (
    acting_on,
    cap_text,
    local_date,
    raise_if,
    record,
    require_text,
    resolve_now,
)
from .clocks import clock_payload, record_time_to_outcome, start_confirmation_window

MAX_ACTIONS = 10  # the form offers this many rows; the service holds to it too
LONGEST_ACTION = dt.timedelta(days=366)


@dataclass
class ActionData:
    owner_agency: Agency
    description: str
    due_date: dt.date
    owner: User | None = None


@dataclass
class ProposalData:
    outcome_statement: str
    decision: str
    actions: list[ActionData] = field(default_factory=list)


# The words of each rule, shown by the forms too.
PROPOSAL_MESSAGES = {
    "outcome_statement": "Enter the outcome statement.",
    "decision": "Say whether the original decision was upheld, changed or partly changed.",
    "actions": "Add at least one agreed action, with the agency that owns it.",
    "dispute_reason": "Say why you dispute this outcome.",
    "not_accepted_reason": "Say why you do not accept this outcome.",
}


def validate_proposal(concern: Concern, data: ProposalData, *, today: dt.date) -> None:
    errors: dict[str, str] = {}
    require_text(
        errors, "outcome_statement", data.outcome_statement, PROPOSAL_MESSAGES["outcome_statement"]
    )
    cap_text(errors, "outcome_statement", data.outcome_statement)
    if data.decision not in Decision.values:
        errors["decision"] = PROPOSAL_MESSAGES["decision"]
    errors.update(action_errors(concern, data.actions, today))
    raise_if(errors)


def action_errors(concern: Concern, actions: list[ActionData], today: dt.date) -> dict[str, str]:
    """The agreed actions: at least one, at most MAX_ACTIONS, each owned by one of the two
    agencies (and, if named, by someone in it), due from today to a year ahead."""
    parties = {concern.raising_agency_id, concern.receiving_agency_id}
    if not actions:
        return {"actions": PROPOSAL_MESSAGES["actions"]}
    if len(actions) > MAX_ACTIONS:
        return {"actions": f"Agree at most {MAX_ACTIONS} actions."}
    for action in actions:
        if not action.description.strip():
            return {"actions": "Describe each agreed action."}
        if len(action.description) > 2000 or "\x00" in action.description:
            return {"actions": "Keep each action to 2,000 characters, without control characters."}
        if action.owner_agency.pk not in parties:
            return {"actions": "Each action belongs to one of the two agencies in this concern."}
        if action.owner is not None and action.owner.agency_id != action.owner_agency.pk:
            return {"actions": "A named owner works in the agency that owns the action."}
        if action.due_date < today:
            return {"actions": "An agreed action's due date must not be in the past."}
        if action.due_date > today + LONGEST_ACTION:
            return {"actions": "An agreed action is due within a year."}
    return {}


def stored_actions(actions: list[ActionData]) -> list[dict[str, Any]]:
    return [
        {
            "owner_agency": a.owner_agency.pk,
            "owner": a.owner.pk if a.owner else None,
            "description": a.description.strip(),
            "due_date": a.due_date.isoformat(),
        }
        for a in actions
    ]


def concern_propose(
    *,
    concern_id: int,
    actor: User,
    data: ProposalData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> OutcomeProposal:
    """A holder of the stage proposes the outcome; it waits for the other side's answer and the
    raiser's own (unless they proposed it, or answer for the other side at stage 1)."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.PROPOSE, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        today = local_date(at)
        validate_proposal(concern, data, today=today)
        side = side_held_by(actor, concern)
        assert side is not None, "process.require lets only a holder of the stage propose"
        clock = deadline(today, ProcessSettings.current().answer_working_days)
        stage = concern.current_stage
        practitioners = stage is not None and stage.holder == Holder.PRACTITIONERS
        # At stage 1 the raiser holds the raising side: they propose, or answer for it.
        raiser_proposes = practitioners and side == Side.RAISING
        raiser_is_other_side = practitioners and side == Side.RECEIVING
        proposal = OutcomeProposal.objects.create(
            concern=concern,
            stage_number=concern.stage_number or 0,
            side=side,
            proposed_by=actor,
            proposed_at=at,
            outcome_statement=data.outcome_statement.strip(),
            decision=data.decision,
            actions=stored_actions(data.actions),
            answer_due=clock.due,
            answer_due_explanation=clock.explanation,
            needs_other=side != Side.PARTNERSHIP,
            needs_raiser=not (raiser_proposes or raiser_is_other_side),
        )
        # A named holder's proposal answers an urgent escalation waiting for a response.
        answers_urgent = concern.response_due_at is not None
        concern.response_due_at = None
        record(
            concern,
            actor=actor,
            kind="outcome.proposed",
            at=at,
            from_state=concern.state,
            payload={
                "proposal": proposal.pk,
                "side": side,
                "outcome_statement": proposal.outcome_statement,
                "decision": data.decision,
                "actions": proposal.actions,
                "answer_due": clock.due,
                "answers_urgent": answers_urgent,
            },
        )
    return proposal


def concern_accept(
    *,
    concern_id: int,
    actor: User,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """The other side's holder accepts, or the raiser records that they accept; the concern
    resolves when no answer is awaited any more."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.ACCEPT, seen_version=seen_version
    ) as moment:
        proposal, slot = answering(actor, moment)
        give_answer(proposal, slot, Answer.ACCEPTED, actor=actor, at=at)
        record(
            moment.concern,
            actor=actor,
            kind="outcome.accepted",
            at=at,
            from_state=moment.concern.state,
            payload={"proposal": proposal.pk, "answer": slot},
        )
        resolve_if_agreed(moment.concern, proposal, actor=actor, at=at)
    return moment.concern


def concern_dispute(
    *,
    concern_id: int,
    actor: User,
    reason: str,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """The other side's holder disputes, with a reason: the concern stays at its stage with its
    clock running, to be escalated or settled another way. The raiser's own 'I do not accept'
    is recorded and reported, and does not hold back an outcome both sides' holders agree."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.DISPUTE, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        proposal, slot = answering(actor, moment)
        errors: dict[str, str] = {}
        key = "dispute_reason" if slot == "other" else "not_accepted_reason"
        require_text(errors, "reason", reason, PROPOSAL_MESSAGES[key])
        cap_text(errors, "reason", reason, 5000)
        raise_if(errors)
        if slot == "other":
            give_answer(proposal, slot, Answer.DISPUTED, actor=actor, at=at)
            proposal.dispute_reason = reason.strip()
            proposal.status, proposal.ended_at = ProposalStatus.DISPUTED, at
            proposal.save(update_fields=["dispute_reason", "status", "ended_at"])
            kind = "outcome.disputed"
        else:
            give_answer(proposal, slot, Answer.NOT_ACCEPTED, actor=actor, at=at)
            proposal.raiser_reason = reason.strip()
            proposal.save(update_fields=["raiser_reason"])
            kind = "outcome.not_accepted"
        record(
            concern,
            actor=actor,
            kind=kind,
            at=at,
            from_state=concern.state,
            payload={"proposal": proposal.pk, "reason": reason.strip(), **clock_payload(concern)},
        )
        resolve_if_agreed(concern, proposal, actor=actor, at=at)
    return concern


def answering(actor: User, moment: Moment) -> tuple[OutcomeProposal, str]:
    proposal, slot = moment.proposal, answer_slot(actor, moment)
    # process.require refuses anyone whose answer the pending proposal does not await.
    assert proposal is not None and slot is not None
    return proposal, slot


def give_answer(
    proposal: OutcomeProposal, slot: str, answer: str, *, actor: User | None, at: dt.datetime
) -> None:
    if slot == "other":
        proposal.other_answer = answer
        proposal.other_answered_by = actor
        proposal.other_answered_at = at
        proposal.save(update_fields=["other_answer", "other_answered_by", "other_answered_at"])
    else:
        proposal.raiser_answer = answer
        proposal.raiser_answered_at = at
        proposal.save(update_fields=["raiser_answer", "raiser_answered_at"])


def is_agreed(proposal: OutcomeProposal) -> bool:
    other_done = not proposal.needs_other or proposal.other_answer in (
        Answer.ACCEPTED,
        Answer.DEEMED,
    )
    raiser_done = not proposal.needs_raiser or bool(proposal.raiser_answer)
    return proposal.is_pending and other_done and raiser_done


def agreement_of(proposal: OutcomeProposal) -> str:
    if Answer.DEEMED in (proposal.other_answer, proposal.raiser_answer):
        return Agreement.DEEMED
    if proposal.side == Side.PARTNERSHIP:
        return Agreement.DECIDED
    return Agreement.ACCEPTED


def raiser_accepts(proposal: OutcomeProposal) -> bool | None:
    """The raiser's own answer: they proposed it, accepted it (for their side at stage 1, or
    for themselves), did not accept it, or said nothing in time (None: deemed, not given)."""
    if proposal.needs_raiser:
        answer = proposal.raiser_answer
    elif proposal.side == Side.RAISING:
        return True  # the raiser (or their cover) proposed it, holding stage 1
    else:
        answer = proposal.other_answer
    return {Answer.ACCEPTED: True, Answer.NOT_ACCEPTED: False}.get(answer)  # type: ignore[call-overload]


def resolve_if_agreed(
    concern: Concern, proposal: OutcomeProposal, *, actor: User | None, at: dt.datetime
) -> None:
    """Every awaited answer is in: the proposal becomes the concern's resolution."""
    if not is_agreed(proposal):
        return
    agreement = agreement_of(proposal)
    proposal.status = (
        ProposalStatus.DEEMED if agreement == Agreement.DEEMED else ProposalStatus.ACCEPTED
    )
    proposal.ended_at = at
    proposal.save(update_fields=["status", "ended_at"])
    from_state, was_overdue = concern.state, concern.is_overdue(local_date(at))
    concern.resolve(
        at=at,
        outcome_statement=proposal.outcome_statement,
        decision=proposal.decision,
        raiser_accepts=raiser_accepts(proposal),
        agreement=agreement,
    )
    start_confirmation_window(concern, at=at)
    record_time_to_outcome(concern, at=at)
    actions = [
        AgreedAction.objects.create(
            concern=concern,
            owner_agency_id=row["owner_agency"],
            owner_id=row.get("owner"),
            description=row["description"],
            due_date=dt.date.fromisoformat(row["due_date"]),
            created_at=at,
        )
        for row in proposal.actions
    ]
    record(
        concern,
        actor=actor,
        kind="concern.resolved",
        at=at,
        from_state=from_state,
        payload={
            "proposal": proposal.pk,
            "proposed_by": proposal.proposed_by_id,
            "outcome_statement": proposal.outcome_statement,
            "decision": proposal.decision,
            "agreement": agreement,
            "raiser_accepts": concern.raiser_accepts,
            "actions": [a.pk for a in actions],
            "was_overdue": was_overdue,
            **clock_payload(concern),
        },
    )


def set_aside(concern: Concern, *, at: dt.datetime) -> OutcomeProposal | None:
    """The concern moved on (escalated or withdrawn) with an outcome still awaiting answers:
    it is set aside, so nobody answers an outcome for a stage that has ended."""
    proposal = OutcomeProposal.objects.filter(
        concern=concern, status=ProposalStatus.PENDING
    ).first()
    if proposal is not None:
        proposal.status, proposal.ended_at = ProposalStatus.SUPERSEDED, at
        proposal.save(update_fields=["status", "ended_at"])
    return proposal


# --- Silence: the reminder sweep (notifications.tasks.sweep) records deemed acceptance once
# the answer window has passed.


def due_for_deeming(today: dt.date) -> list[int]:
    """Concerns with a proposal whose answer window ended before today."""
    return list(
        OutcomeProposal.objects.filter(status=ProposalStatus.PENDING, answer_due__lt=today)
        .order_by("answer_due", "pk")
        .values_list("concern_id", flat=True)
    )


def deem_silent_answers(*, now: dt.datetime | None = None) -> int:
    """Record each answer nobody gave in time as deemed acceptance, resolving the concerns
    whose answers are then all in. Each concern in its own transaction; returns how many."""
    at = resolve_now(now)
    count = 0
    for concern_id in due_for_deeming(local_date(at)):
        if deem_silent_answer(concern_id=concern_id, now=at):
            count += 1
    return count


def deem_silent_answer(*, concern_id: int, now: dt.datetime | None = None) -> bool:
    """Deem the silent answers of one concern's proposal, if its answer window has passed."""
    at = resolve_now(now)
    with transaction.atomic():
        concern = (
            Concern.objects.select_for_update(of=("self",))
            .select_related("raising_agency", "receiving_agency", "raised_by")
            .get(pk=concern_id)
        )
        proposal = OutcomeProposal.objects.filter(
            concern=concern, status=ProposalStatus.PENDING, answer_due__lt=local_date(at)
        ).first()
        if proposal is None or not concern.is_open:
            return False
        silent = []
        if proposal.needs_other and not proposal.other_answer:
            give_answer(proposal, "other", Answer.DEEMED, actor=None, at=at)
            silent.append("other")
        if proposal.needs_raiser and not proposal.raiser_answer:
            give_answer(proposal, "raiser", Answer.DEEMED, actor=None, at=at)
            silent.append("raiser")
        record(
            concern,
            actor=None,
            kind="outcome.deemed_accepted",
            at=at,
            from_state=concern.state,
            payload={"proposal": proposal.pk, "answers": silent, "answer_due": proposal.answer_due},
        )
        resolve_if_agreed(concern, proposal, actor=None, at=at)
        return True
