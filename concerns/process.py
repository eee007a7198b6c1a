"""The process: the stages as configured, where an escalation goes, when a resolved concern may
close, and the one answer to "what may this person do to this concern now?".

Who may act is the access policy's (`concerns.access`); this module adds what the process
itself requires at that moment: a stage to escalate to, an outcome the person's agency has
not yet confirmed, a concern ready to close. The services refuse through `require` and the
concern page offers `actions_now`, so what a page offers and what a service does never differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from concerns import access
from concerns.access import Action
from concerns.calendar import add_working_days, format_day
from concerns.errors import ActionRefused, NotVisible
from concerns.models import Concern, Holder, OutcomeProposal, ProcessSettings, Stage, User
from concerns.models.concern import CloseReason
from concerns.models.records import ProposalStatus, Side

# --- The stages as configured.


class Stages(dict[int, Stage]):
    """The configured stages by number, read once (for a request or a transaction) and passed
    to whatever needs them; templates read it as a plain dict."""

    @classmethod
    def load(cls) -> Stages:
        return cls((stage.number, stage) for stage in Stage.objects.order_by("number"))

    def of(self, concern: Concern) -> Stage | None:
        """The stage the concern is at; the concern keeps it, so the policy reads no more."""
        stage = self.get(concern.stage_number or 0)
        if stage is not None:
            concern.__dict__["_current_stage"] = stage
        return stage

    def after(self, concern: Concern) -> list[Stage]:
        """The stages after the concern's own, in order (all of them if it is at none)."""
        number = concern.stage_number or 0
        return [stage for n, stage in sorted(self.items()) if n > number]

    def escalation_target(self, concern: Concern) -> Stage | None:
        """Where an ordinary escalation takes the concern: the next stage, if there is one."""
        return next(iter(self.after(concern)), None)

    def urgent_target(self, concern: Concern) -> Stage | None:
        """Where an urgent escalation takes it: the next stage on the urgent route, if any."""
        return next((s for s in self.after(concern) if s.accepts_urgent_escalation), None)

    def states_held_by(self, holder: str) -> list[str]:
        return [stage.state for stage in self.values() if stage.holder == holder]


# --- Closing a resolved concern.


def close_reason(concern: Concern, confirmed: set[int], today: dt.date) -> str | None:
    """Why a resolved concern may close now (None if it may not): both agencies have
    confirmed the outcome is on their records, or the confirmation window has run out."""
    if {concern.raising_agency_id, concern.receiving_agency_id} <= confirmed:
        return CloseReason.BOTH_CONFIRMED
    if concern.due_date is not None and today > concern.due_date:
        return CloseReason.WINDOW_EXPIRED
    return None


# --- What a person may do now: the policy, then what the process needs at this moment.


@dataclass
class Moment:
    """What the process needs to know about a concern now, each part read once when needed."""

    concern: Concern
    today: dt.date
    stages: Stages = field(default_factory=Stages.load)

    def __post_init__(self) -> None:
        self.stages.of(self.concern)

    @cached_property
    def latest_proposal(self) -> OutcomeProposal | None:
        """The last outcome proposed at the concern's present stage (one read)."""
        if not self.concern.is_open:
            return None
        return (
            OutcomeProposal.objects.filter(
                concern=self.concern, stage_number=self.concern.stage_number or 0
            )
            .exclude(status=ProposalStatus.SUPERSEDED)
            .select_related("proposed_by", "other_answered_by")
            .order_by("-proposed_at", "-pk")
            .first()
        )

    @property
    def proposal(self) -> OutcomeProposal | None:
        """The outcome proposed at this stage and still awaiting answers, if any."""
        latest = self.latest_proposal
        return latest if latest is not None and latest.is_pending else None

    @cached_property
    def reopen_until(self) -> dt.date | None:
        return reopen_until(self.concern)

    @cached_property
    def confirmed(self) -> set[int]:
        """The agencies that have confirmed the outcome is on their records."""
        return set(self.concern.confirmations.values_list("agency_id", flat=True))


def nowhere_to_go(moment: Moment, action: Action) -> str | None:
    """Escalation needs a later stage, urgent escalation a later stage on the urgent route:
    without one nobody may do it, so nobody is offered it or told someone else could."""
    concern, stages = moment.concern, moment.stages
    where = access.state_phrase(concern)
    if action == Action.ESCALATE and stages.escalation_target(concern) is None:
        return f"{where}, the last stage; it can be resolved but not escalated further."
    if action == Action.URGENT_ESCALATE and stages.urgent_target(concern) is None:
        return (
            f"{where}; urgent escalation is only for the stages before the urgent route's "
            "stage. Escalate it in the ordinary way instead."
        )
    return None


# While a concern is paused its stage waits: resume it first.
WAITS_WHILE_PAUSED = frozenset({Action.ESCALATE, Action.URGENT_ESCALATE, Action.PROPOSE})


# --- Agreeing the outcome: who proposed it for which side, and whose answer it awaits.


def side_held_by(user: User, concern: Concern) -> str | None:
    """The side `user` holds the concern's current stage for, themselves or as someone's
    cover (None if they hold none)."""
    stage = concern.current_stage
    if stage is None:
        return None
    if stage.holder == Holder.PARTNERSHIP:
        return Side.PARTNERSHIP if user.is_partnership_officer else None
    raising: int | None = concern.raised_by_id
    receiving: int | None = concern.receiving_practitioner_id
    if stage.holder != Holder.PRACTITIONERS:
        raising, receiving = concern.raising_holder_id, concern.receiving_holder_id
    for person in access.identities(user):
        if person.pk == raising:
            return Side.RAISING
        if person.pk == receiving or (receiving is None and answers_for_contact(person, concern)):
            return Side.RECEIVING
    return None


def answers_for_contact(person: User, concern: Concern) -> bool:
    """With no account named on the receiving side at stage 1, its leads act for the contact."""
    stage = concern.current_stage
    practitioners = stage is not None and stage.holder == Holder.PRACTITIONERS
    return practitioners and access.is_lead_of(person, concern.receiving_agency_id)


def other_side_holder(concern: Concern, side: str) -> int | None:
    """Who answers for the side opposite `side` at the concern's stage (by person id)."""
    stage = concern.current_stage
    if stage is None or side == Side.PARTNERSHIP:
        return None
    practitioners = stage.holder == Holder.PRACTITIONERS
    if side == Side.RAISING:
        return concern.receiving_practitioner_id if practitioners else concern.receiving_holder_id
    return concern.raised_by_id if practitioners else concern.raising_holder_id


def awaited_from(proposal: OutcomeProposal, concern: Concern) -> dict[str, int | None]:
    """The answers a pending proposal still awaits: 'other' (the other side's holder) and
    'raiser' (the raiser's own), each with the person who gives it."""
    waiting: dict[str, int | None] = {}
    if proposal.needs_other and not proposal.other_answer:
        waiting["other"] = other_side_holder(concern, proposal.side)
    if proposal.needs_raiser and not proposal.raiser_answer:
        waiting["raiser"] = concern.raised_by_id
    return waiting


def answer_slot(user: User, moment: Moment) -> str | None:
    """Which awaited answer `user` gives: the other side's first, then the raiser's own."""
    proposal = moment.proposal
    if proposal is None:
        return None
    waiting = awaited_from(proposal, moment.concern)
    mine = {person.pk for person in access.identities(user)}
    for slot, person_id in waiting.items():
        if person_id in mine:
            return slot
        contact = person_id is None and slot == "other" and proposal.side == Side.RAISING
        if contact and any(answers_for_contact(p, moment.concern) for p in access.identities(user)):
            return slot
    return None


ANSWERS = frozenset({Action.ACCEPT, Action.DISPUTE})


def proposal_blocks(moment: Moment, action: Action) -> str | None:
    """What an outcome awaiting answers (or none) stops, whoever asks: proposing another,
    pausing, or answering when nothing awaits an answer."""
    if action not in (Action.PROPOSE, Action.PAUSE, *ANSWERS) or not moment.concern.is_open:
        return None
    proposal = moment.proposal
    where = access.state_phrase(moment.concern)
    if action == Action.PROPOSE and proposal is not None:
        return (
            f"{where}; the outcome {proposal.proposed_by.full_name} proposed awaits answers. "
            "Another can be proposed if it is disputed."
        )
    if action == Action.PAUSE and proposal is not None:
        return f"{where} and a proposed outcome awaits answers; it cannot be paused now."
    if action in ANSWERS and proposal is None:
        return f"{where}; no outcome is awaiting an answer."
    return None


def answerers(proposal: OutcomeProposal, concern: Concern) -> frozenset[access.Rel]:
    """The parts whose answers the proposal still awaits (for naming them in a refusal)."""
    waiting = awaited_from(proposal, concern)
    rels: set[access.Rel] = set()
    if "other" in waiting:
        stage = concern.current_stage
        practitioners = stage is not None and stage.holder == Holder.PRACTITIONERS
        if proposal.side == Side.RAISING:
            rels.add(access.Rel.RESPONDER if practitioners else access.Rel.RECEIVING_HOLDER)
        else:
            rels.add(access.Rel.RAISER if practitioners else access.Rel.RAISING_HOLDER)
    if "raiser" in waiting:
        rels.add(access.Rel.RAISER)
    return frozenset(rels)


def answer_refusal(user: User, moment: Moment, action: Action, *, explain: bool) -> str | None:
    """Only the people whose answers the pending proposal awaits may answer it, each once."""
    awaited = answer_slot(user, moment) is not None
    if awaited and access.can(user, moment.concern, action):
        return None
    if not explain:
        return REFUSED
    assert moment.proposal is not None  # proposal_blocks refuses answers when none awaits
    who = access.describe(moment.concern, answerers(moment.proposal, moment.concern))
    where = access.state_phrase(moment.concern)
    return f"{where}; only {who} can answer the proposed outcome now."


# --- Reopening: within the partnership's window after closing; after it, a follow-on concern.


def reopen_until(concern: Concern) -> dt.date | None:
    """The last day a closed concern may be reopened (None if it is not closed)."""
    if concern.state != "closed" or concern.closed_at is None:
        return None
    days = ProcessSettings.current().reopen_working_days
    closed_on = timezone.localdate(concern.closed_at)
    return add_working_days(closed_on, days) if days else closed_on - dt.timedelta(days=1)


def reopen_refusal(moment: Moment, action: Action) -> str | None:
    """Whoever asks: reopening only within the window, a follow-on only after it."""
    if action not in (Action.REOPEN, Action.FOLLOW_ON) or moment.concern.state != "closed":
        return None
    until = moment.reopen_until
    assert until is not None
    within = moment.today <= until
    where = access.state_phrase(moment.concern)
    if action == Action.REOPEN and not within:
        return (
            f"{where}; it could be reopened until {format_day(until)}. Raise a follow-on "
            "concern linked to it instead."
        )
    if action == Action.FOLLOW_ON and within:
        return (
            f"{where}; it can still be reopened with the new information until "
            f"{format_day(until)}. A follow-on concern is for after that."
        )
    return None


def clock_refusal(moment: Moment, action: Action) -> str | None:
    """Pausing a paused clock, or resuming a running one: nobody may, whoever asks."""
    concern = moment.concern
    where = access.state_phrase(concern)
    paused = concern.paused_at is not None
    if action == Action.PAUSE and paused:
        return f"{where} and already paused; resume it when the wait is over."
    if action == Action.RESUME and not paused:
        return f"{where} and its clock is running; there is nothing to resume."
    return None


def pause_refusal(moment: Moment, action: Action) -> str | None:
    if action in WAITS_WHILE_PAUSED and moment.concern.paused_at is not None:
        return f"{access.state_phrase(moment.concern)} and paused; resume it first."
    return None


def not_yet(user: User, moment: Moment, action: Action) -> str | None:
    """What stops someone the policy allows: a paused clock (or one not paused), their agency
    already confirmed, or the concern not ready to close."""
    concern = moment.concern
    paused = pause_refusal(moment, action)
    if paused:
        return paused
    if action == Action.CONFIRM:
        if user.agency_id not in (concern.raising_agency_id, concern.receiving_agency_id):
            return "Only the two agencies in this concern confirm its outcome."
        if user.agency_id in moment.confirmed:
            return f"{user.agency} has already confirmed the outcome is recorded."
    if action == Action.CLOSE and close_reason(concern, moment.confirmed, moment.today) is None:
        due = format_day(concern.due_date) if concern.due_date else "the window's end"
        return (
            "This concern is resolved but both agencies have not yet confirmed the outcome is "
            f"on their records; it can be closed without them after {due}."
        )
    return None


# What `refusal(..., explain=False)` answers for the policy's refusals: the page only asks
# whether, so it never pays for naming who could act instead (a lookup per person named).
REFUSED = "refused"


def refusal(user: User, moment: Moment, action: Action, *, explain: bool = True) -> str | None:
    """Why `user` may not do `action` to the concern now, in plain words; None if they may.
    Someone with no part in the concern gets NotVisible, never a reason."""
    concern = moment.concern
    if not access.can(user, concern, Action.VIEW):
        raise NotVisible()
    blocked = (
        nowhere_to_go(moment, action)
        or clock_refusal(moment, action)
        or proposal_blocks(moment, action)
        or reopen_refusal(moment, action)
    )
    if blocked:
        return blocked
    if (
        action in ANSWERS and moment.proposal is not None
    ):  # whose answer is awaited, not the policy's wider list, says who
        return answer_refusal(user, moment, action, explain=explain)
    if not access.can(user, concern, action):
        return access.refusal(concern, action) if explain else REFUSED
    return not_yet(user, moment, action)


def require(user: User, moment: Moment, action: Action) -> None:
    """Refuse, saying why, unless `user` may do `action` now (the services' check)."""
    why = refusal(user, moment, action)
    if why is not None:
        raise ActionRefused(why)


def actions_now(user: User, moment: Moment) -> list[Action]:
    """Everything `user` may do to the concern now (the concern page's offers)."""
    if not access.can(user, moment.concern, Action.VIEW):
        return []
    return [action for action in Action if refusal(user, moment, action, explain=False) is None]
