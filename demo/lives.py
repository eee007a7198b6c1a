"""Volume data, part 2: the rows one concern's timeline produces, as the services would.

Each step changes the concern's fields the way its service does (the same clocks, the same
payloads), takes a history snapshot when the service would save, and queues the event the
service would append. Nothing is saved here: `demo.volume` inserts in bulk.

Why a second transition engine (this sets `state` and the clocks itself, in memory, instead
of calling `concerns.services`) is allowed here: it only makes synthetic data, for the
benchmark and local use, in bulk and much faster than the services; the demo app is installed
by the local and test settings, never in production; and what it writes is checked against
the services by `test_the_bulk_loader_leaves_the_rows_the_real_services_leave_for_the_same_story`
in tests/demo/test_seed_volume.py, which drives every loaded story through them again and
compares the rows (states, events, history, stage periods, clocks) and the audit chains.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model

from concerns.chain import build_event
from concerns.models import (
    AgreedAction,
    Audit,
    CaseEvent,
    Concern,
    Confirmation,
    DiscussionNote,
    Holder,
    OutcomeProposal,
    StagePeriod,
)
from concerns.models.concern import Agreement, CloseReason, LeadProfessionalTold
from concerns.models.records import Answer, ContactMethod, ProposalStatus, Rating, Side
from concerns.services.stages import URGENT_RESPONSE

from .plans import FINDINGS
from .stories import DemoStory
from .timeline import Timeline
from .world import Cast, World, maker

NOT_ACCEPTED = "The plan still does not say who will see the child, or when."

Event = tuple[dt.datetime, int | None, str, str, str, dict[str, Any]]
Snapshot = tuple[dt.datetime, int, str, dict[str, Any]]

WITHDRAWAL_REASONS = (
    "The other agency has since started an assessment.",
    "The family moved out of the area; the new authority has the case.",
    "Agreement was reached informally after a joint visit.",
)
LEAD_TOLD = tuple(LeadProfessionalTold.values)
METHODS = tuple(ContactMethod.values)
RATINGS = tuple(Rating.values)  # red, amber, green
NOTE_AGREED = (
    "Both to confirm their position in writing by the end of the week.",
    "Managers to be told today; the next contact is booked.",
    "Information to be shared by secure email.",
    "",
)


class Life:
    """One concern's rows, built by replaying its timeline."""

    def __init__(self, world: World, cast: Cast, story: DemoStory, reference: str) -> None:
        self.world, self.cast, self.story, self.rng = world, cast, story, world.rng
        self.fields: dict[str, Any] = {**world.blank, "reference": reference}
        self.snapshots: list[Snapshot] = []
        self.events: list[Event] = []
        self.periods: list[StagePeriod] = []
        self.notes: list[DiscussionNote] = []
        self.actions: list[AgreedAction] = []
        self.proposals: list[OutcomeProposal] = []
        self.confirmations: list[Confirmation] = []
        self.audit: Audit | None = None
        self.resolved_by: int | None = None
        themes = world.theme_ids
        self.theme_ids = self.rng.sample(themes, k=self.rng.randint(0, min(3, len(themes))))
        self.audit_theme_ids: list[int] = []
        self.concern: Concern | None = None

    def live(self, timeline: Timeline) -> Life:
        for move, at in zip(timeline.moves, timeline.times, strict=True):
            getattr(self, f"do_{move.kind}")(at)
        return self

    # --- What the services do to the fields, the history and the event chain.

    @property
    def state(self) -> str:
        return str(self.fields["state"])

    @property
    def stage(self) -> int:
        return int(self.state.removeprefix("stage_")) if self.state.startswith("stage_") else 0

    def snapshot(self, at: dt.datetime, actor: int, kind: str) -> None:
        """The fields as saved now: simple-history's row for this save (extra keys unused)."""
        self.snapshots.append((at, actor, kind, dict(self.fields)))

    def event(
        self, at: dt.datetime, actor: int, kind: str, from_state: str, payload: dict[str, Any]
    ) -> None:
        self.events.append((at, actor, kind, from_state, self.state, payload))

    def record(
        self, at: dt.datetime, actor: int, kind: str, from_state: str, payload: dict[str, Any]
    ) -> None:
        """What services.base.record does: save (version, history) and chain the event."""
        self.fields["version"] += 1
        self.fields["updated_at"] = at
        self.snapshot(at, actor, "~")
        self.event(at, actor, kind, from_state, payload)

    def overdue(self, at: dt.datetime) -> bool:
        due = self.fields["due_date"]
        return due is not None and at.date() > due

    def clock(self) -> dict[str, Any]:
        f = self.fields
        return {k: f[k] for k in ("due_date", "response_due_date", "due_explanation")}

    def end_period(self, at: dt.datetime) -> None:
        """What services.clocks.end_current_period does: end it and count its working days."""
        period = self.periods[-1] if self.periods else None
        if period is not None and period.ended_at is None:
            period.ended_at = at
            period.working_days = self.world.calendar.between(period.started_at.date(), at.date())

    def record_time_to_outcome(self, at: dt.datetime) -> None:
        submitted = self.fields["submitted_at"]
        if submitted is not None:
            days = self.world.calendar.between(submitted.date(), at.date())
            self.fields["working_days_to_outcome"] = days

    def enter_stage(self, number: int, at: dt.datetime) -> None:
        self.end_period(at)
        clock, start = self.world.process.stages[number], at.date()
        deadline = self.world.calendar.deadline(start, clock.working_days)
        response = clock.response_working_days
        response_due = self.world.calendar.deadline(start, response).due if response else None
        self.fields.update(
            state=f"stage_{number}",
            stage_started_at=at,
            due_date=deadline.due,
            response_due_date=response_due,
            response_due_at=None,
            due_explanation=deadline.explanation,
        )
        self.periods.append(
            maker(StagePeriod)(
                stage_id=clock.stage_id,
                number=number,
                started_at=at,
                due_date=deadline.due,
                response_due_date=response_due,
                due_explanation=deadline.explanation,
                raising_holder_id=self.fields["raising_holder_id"],
                receiving_holder_id=self.fields["receiving_holder_id"],
                partnership_holder_id=self.fields["partnership_holder_id"],
            )
        )

    def stop_clock(self) -> None:
        self.fields.update(
            due_date=None, response_due_date=None, response_due_at=None, due_explanation=""
        )

    def receiving_manager_or(self, instead: int) -> int:
        """The receiving manager if they have held a stage (so have a part in the concern)."""
        held = {p.receiving_holder_id for p in self.periods}
        return self.cast.receiving_manager if self.cast.receiving_manager in held else instead

    def holder(self, stage: int) -> int:
        """Someone who holds `stage`, so may escalate or resolve it."""
        holder, c, f = self.world.process.stages[stage].holder, self.cast, self.fields
        if holder == Holder.PRACTITIONERS:
            return self.rng.choice((c.raiser, c.responder))
        if holder == Holder.MANAGERS:
            return int(self.rng.choice((f["raising_holder_id"], f["receiving_holder_id"])))
        return c.officer

    # --- One method per kind of move in a timeline.

    def do_draft(self, at: dt.datetime) -> None:
        c, story, rng = self.cast, self.story, self.rng
        unborn = rng.random() < 0.03
        born = at.date() - dt.timedelta(days=rng.randint(30, 17 * 365))
        self.fields.update(
            child_initials="".join(rng.choices("ABCDEFGHJKLMNPRSTWY", k=2)),
            child_date_of_birth=None if unborn else born,
            child_unborn=unborn,
            raising_agency_case_number=f"R-{rng.randint(100000, 999999)}",
            receiving_agency_case_number=f"C-{rng.randint(100000, 999999)}",
            raising_agency_id=c.raising_agency,
            raised_by_id=c.raiser,
            receiving_agency_id=c.receiving_agency,
            receiving_practitioner_id=c.responder,
            category=story.category,
            level_of_need=story.level_of_need,
            summary=story.summary,
            outcome_sought=story.outcome_sought,
            child_voice=story.child_voice,
            created_at=at,
            updated_at=at,
        )
        self.snapshot(at, c.raiser, "+")
        self.event(at, c.raiser, "concern.drafted", "", {})

    def do_submit(self, at: dt.datetime) -> None:
        c, rng = self.cast, self.rng
        at_risk = rng.random() < 0.06
        contacted = at - dt.timedelta(minutes=rng.randint(30, 2880))
        told = rng.choice(LEAD_TOLD)
        action = "Referred to the front door by phone the same day." if at_risk else ""
        self.fields.update(
            immediate_risk=at_risk,
            safeguarding_action=action,
            consulted_manager_id=c.raising_manager,
            other_practitioner_contacted_at=contacted,
            lead_professional_told=told,
            submitted_at=at,
        )
        self.enter_stage(1, at)
        payload = {
            "immediate_risk": at_risk,
            "safeguarding_action": action,
            "consulted_manager": c.raising_manager,
            "other_practitioner_contacted_at": contacted,
            "lead_professional_told": told,
            **self.clock(),
        }
        self.record(at, c.raiser, "concern.submitted", "draft", payload)

    def do_escalate(self, at: dt.datetime, *, urgent: bool = False) -> None:
        c, f, process = self.cast, self.fields, self.world.process
        leaving, from_state, was_overdue = self.stage, self.state, self.overdue(at)
        target = process.urgent_stage if urgent and process.urgent_stage else leaving + 1
        if urgent:
            # A manager's call: at stage 1 the one consulted, later either named holder.
            named = (f["raising_holder_id"], f["receiving_holder_id"])
            actor = self.rng.choice(named) if leaving >= 2 else c.raising_manager
        else:
            actor = self.holder(leaving)
        if process.stages[target].holder == Holder.PARTNERSHIP:
            f["partnership_holder_id"] = c.officer
        else:
            seniors = target >= 3
            f["raising_holder_id"] = c.raising_senior if seniors else c.raising_manager
            f["receiving_holder_id"] = c.receiving_senior if seniors else c.receiving_manager
        self.enter_stage(target, at)
        payload = {
            "reason": f"No agreement at stage {leaving} about {self.story.issue}.",
            "raising_position": self.story.raising_position,
            "receiving_position": self.story.receiving_position,
            "raising_holder": f["raising_holder_id"],
            "receiving_holder": f["receiving_holder_id"],
            "partnership_holder": f["partnership_holder_id"],
            "was_overdue": was_overdue,
            **self.clock(),
        }
        kind = "concern.escalated"
        if urgent:
            kind += "_urgently"
            f["response_due_at"] = at + URGENT_RESPONSE
            payload.update(
                urgency="It cannot wait for the next stage.",
                within_24_hours=True,
                response_due_at=f["response_due_at"],
            )
        self.record(at, actor, kind, from_state, payload)

    def do_urgent(self, at: dt.datetime) -> None:
        self.do_escalate(at, urgent=True)

    def do_resolve(self, at: dt.datetime) -> None:
        """What services.outcomes does when a holder proposes the outcome and everyone whose
        answer it awaits gives it at once: proposed, accepted (the raiser's own answer too, from
        stage 2), resolved."""
        c, story, rng, f = self.cast, self.story, self.rng, self.fields
        stage, proposer = self.stage, self.holder(self.stage)
        side, other = self.sides(proposer)
        practitioners = self.world.process.stages[stage].holder == Holder.PRACTITIONERS
        needs_raiser = not (proposer == c.raiser or (side == Side.RECEIVING and practitioners))
        window = self.world.calendar.deadline(at.date(), self.world.process.answer_days)
        owners = (c.receiving_agency, c.raising_agency)[: rng.randint(1, 2)]
        planned = [(owner, at.date() + dt.timedelta(days=rng.randint(7, 42))) for owner in owners]
        proposal = maker(OutcomeProposal)(
            stage_number=stage,
            side=side,
            proposed_by_id=proposer,
            proposed_at=at,
            outcome_statement=story.outcome,
            decision=story.decision,
            actions=[
                {
                    "owner_agency": owner,
                    "owner": None,
                    "description": story.action,
                    "due_date": due.isoformat(),
                }
                for owner, due in planned
            ],
            answer_due=window.due,
            answer_due_explanation=window.explanation,
            needs_other=other is not None,
            needs_raiser=needs_raiser,
        )
        self.proposals.append(proposal)
        answers_urgent = f["response_due_at"] is not None
        f["response_due_at"] = None
        self.record(
            at,
            proposer,
            "outcome.proposed",
            self.state,
            {
                "proposal": proposal,
                "side": side,
                "outcome_statement": story.outcome,
                "decision": story.decision,
                "actions": proposal.actions,
                "answer_due": window.due,
                "answers_urgent": answers_urgent,
            },
        )
        last = proposer
        if other is not None:
            proposal.other_answer, proposal.other_answered_by_id = Answer.ACCEPTED, other
            proposal.other_answered_at = at
            self.record(
                at, other, "outcome.accepted", self.state, {"proposal": proposal, "answer": "other"}
            )
            last = other
        accepts = True
        if needs_raiser:
            accepts = rng.random() < 0.85
            proposal.raiser_answered_at = at
            if accepts:
                proposal.raiser_answer = Answer.ACCEPTED
                payload = {"proposal": proposal, "answer": "raiser"}
                self.record(at, c.raiser, "outcome.accepted", self.state, payload)
            else:
                proposal.raiser_answer = Answer.NOT_ACCEPTED
                proposal.raiser_reason = NOT_ACCEPTED
                payload = {"proposal": proposal, "reason": NOT_ACCEPTED, **self.clock()}
                self.record(at, c.raiser, "outcome.not_accepted", self.state, payload)
            last = c.raiser
        self.resolve(at, last, proposal, accepts, planned)

    def sides(self, proposer: int) -> tuple[str, int | None]:
        """The side the proposer holds the stage for, and who answers for the other side."""
        holder, c, f = self.world.process.stages[self.stage].holder, self.cast, self.fields
        if holder == Holder.PARTNERSHIP:
            return Side.PARTNERSHIP, None
        if holder == Holder.PRACTITIONERS:
            raising, receiving = c.raiser, c.responder
        else:
            raising, receiving = f["raising_holder_id"], f["receiving_holder_id"]
        if proposer == raising:
            return Side.RAISING, receiving
        return Side.RECEIVING, raising

    def resolve(
        self,
        at: dt.datetime,
        actor: int,
        proposal: OutcomeProposal,
        accepts: bool,
        planned: list[tuple[int, dt.date]],
    ) -> None:
        story = self.story
        from_state, was_overdue = self.state, self.overdue(at)
        self.resolved_by = actor
        agreement = Agreement.DECIDED if proposal.side == Side.PARTNERSHIP else Agreement.ACCEPTED
        proposal.status, proposal.ended_at = ProposalStatus.ACCEPTED, at
        self.fields.update(
            state="resolved",
            resolved_at=at,
            outcome_statement=story.outcome,
            decision=story.decision,
            raiser_accepts=accepts,
            agreement=agreement,
        )
        self.end_period(at)
        window = self.world.calendar.deadline(at.date(), self.world.process.confirmation_days)
        self.fields.update(
            stage_started_at=at,
            due_date=window.due,
            response_due_date=None,
            response_due_at=None,
            due_explanation=window.explanation,
        )
        self.record_time_to_outcome(at)
        self.actions = [
            maker(AgreedAction)(
                owner_agency_id=owner, description=story.action, due_date=due, created_at=at
            )
            for owner, due in planned
        ]
        payload = {
            "proposal": proposal,
            "proposed_by": proposal.proposed_by_id,
            "outcome_statement": story.outcome,
            "decision": story.decision,
            "agreement": str(agreement),
            "raiser_accepts": accepts,
            "actions": self.actions,
            "was_overdue": was_overdue,
            **self.clock(),
        }
        self.record(at, actor, "concern.resolved", from_state, payload)

    def do_confirm(self, at: dt.datetime) -> None:
        c = self.cast
        raising_first = not self.confirmations and self.rng.random() < 0.5
        done = {conf.agency_id for conf in self.confirmations}
        raising = raising_first or c.receiving_agency in done
        agency = c.raising_agency if raising else c.receiving_agency
        receiving = self.receiving_manager_or(c.responder)
        people = (c.raiser, c.raising_manager) if raising else (c.responder, receiving)
        actor = people[self.rng.random() < 0.3]
        self.confirmations.append(
            maker(Confirmation)(agency_id=agency, confirmed_by_id=actor, confirmed_at=at)
        )
        self.record(at, actor, "outcome.confirmed", self.state, {"agency": agency})
        if len(self.confirmations) == 2:
            self.close(at, actor, CloseReason.BOTH_CONFIRMED)

    def do_confirm_close(self, at: dt.datetime) -> None:
        self.do_confirm(at)

    def do_close(self, at: dt.datetime) -> None:
        """Closed by the partnership or a manager after the confirmation window ran out."""
        c = self.cast
        # The officer, the manager consulted, or the receiving side's holder if one is named.
        named = self.fields["receiving_holder_id"]
        actor = self.rng.choice((c.officer, c.raising_manager, named or c.officer))
        self.close(at, actor, CloseReason.WINDOW_EXPIRED)

    def close(self, at: dt.datetime, actor: int, reason: str) -> None:
        from_state = self.state
        self.fields.update(state="closed", closed_at=at, close_reason=reason)
        self.stop_clock()
        self.end_period(at)
        self.record(at, actor, "concern.closed", from_state, {"reason": str(reason)})

    def do_withdraw(self, at: dt.datetime) -> None:
        c, from_state = self.cast, self.state
        reason = self.rng.choice(WITHDRAWAL_REASONS)
        manager = c.raising_manager if self.stage >= 2 else None
        self.fields.update(state="withdrawn", withdrawn_reason=reason)
        self.stop_clock()
        self.end_period(at)
        self.record_time_to_outcome(at)
        payload = {"reason": reason, "agreed_by": manager}
        self.record(at, c.raiser, "concern.withdrawn", from_state, payload)

    def do_audit(self, at: dt.datetime) -> None:
        c, rng = self.cast, self.rng
        rating = rng.choices(RATINGS, weights=(1, 3, 6))[0]
        followed = {"green": "yes", "amber": "partly", "red": "no"}[rating]
        audit = Audit(
            auditor_id=c.auditor,
            process_followed=followed,
            timescales_met=all(
                p.ended_at and p.ended_at.date() <= p.due_date for p in self.periods
            ),
            child_central=rating != "red",
            voice_recorded=bool(self.story.child_voice) and rng.random() < 0.9,
            both_recorded=len(self.confirmations) == 2,
            rating=rating,
            findings=FINDINGS[rating],
            created_at=at,
        )
        self.audit, self.audit_theme_ids = audit, self.theme_ids[:1]
        self.fields["state"] = "audited"
        payload = {
            "audit": audit,
            "rating": rating,
            "process_followed": followed,
            "timescales_met": audit.timescales_met,
            "both_recorded": audit.both_recorded,
            "findings": FINDINGS[rating],
        }
        self.record(at, c.auditor, "concern.audited", "closed", payload)

    def do_note(self, at: dt.datetime) -> None:
        author, other = self.note_people()
        rng, story = self.rng, self.story
        person = self.world.users[other]
        note = maker(DiscussionNote)(
            author_id=author,
            occurred_at=at - dt.timedelta(minutes=rng.randint(5, 240)),
            with_whom=f"{person.full_name}, {person.job_title}",
            method=rng.choice(METHODS),
            discussion=rng.choice((story.first_talk, story.managers_talk)),
            agreed=rng.choice((story.first_agreed, story.managers_agreed, *NOTE_AGREED)),
            internal=rng.random() < 0.1,
            created_at=at,
        )
        self.notes.append(note)
        payload = {"note": note, "internal": note.internal, "occurred_at": note.occurred_at}
        self.event(at, author, "note.recorded", self.state, payload)
        f = self.fields
        named = author in (f["raising_holder_id"], f["receiving_holder_id"])
        if f["response_due_at"] is not None and named and not note.internal:
            f["response_due_at"] = None  # what notes.answers_urgent does
            self.record(at, author, "urgent.answered", self.state, {"note": note})

    def note_people(self) -> tuple[int, int]:
        """An author allowed to write a note now, and who they talked with."""
        c = self.cast
        if self.state == "draft":
            return c.raiser, c.raising_manager
        receiving = self.receiving_manager_or(c.responder)
        pairs = [
            (c.raiser, c.responder),
            (c.responder, c.raiser),
            (c.raising_manager, receiving),
            (receiving, c.raising_manager),
        ]
        if self.state in ("closed", "audited"):
            pairs.append((c.auditor, c.officer))
        return self.rng.choice(pairs)

    # --- After the bulk insert of concerns: everything that points at the concern.

    def built(self) -> Concern:
        self.concern = maker(Concern)(**self.fields)
        return self.concern

    def attach(self) -> None:
        assert self.concern is not None
        concern_id = self.concern.pk
        rows: list[Any] = [
            *self.periods,
            *self.notes,
            *self.actions,
            *self.confirmations,
            *self.proposals,
        ]
        if self.audit is not None:
            rows.append(self.audit)
        for row in rows:
            row.concern_id = concern_id

    def chained_events(self) -> list[CaseEvent]:
        assert self.concern is not None
        users, previous, chain = self.world.users, None, []
        for at, actor, kind, from_state, to_state, payload in self.events:
            previous = build_event(
                concern=self.concern,
                previous=previous,
                actor=users[actor] if actor else None,
                kind=kind,
                at=at,
                from_state=from_state,
                to_state=to_state,
                payload=with_ids(payload),
            )
            chain.append(previous)
        return chain


def with_ids(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with saved rows replaced by their ids, as the services write it."""

    def plain(value: Any) -> Any:
        if isinstance(value, Model):
            return value.pk
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return {key: plain(value) for key, value in payload.items()}
