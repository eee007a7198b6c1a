"""Taking a concern through the process with the real services, for tests.

A `Cast` is the people involved; each step runs one service at a given time, so histories,
events and deadlines are exactly what real use would have produced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from concerns import services
from concerns.models import Concern, Holder, OutcomeProposal, Stage, Theme, User
from concerns.models.concern import Category, Decision, LeadProfessionalTold, LevelOfNeed
from concerns.process import Moment, awaited_from
from concerns.services import ProposalData


@dataclass
class Cast:
    raiser: User
    responder: User
    raising_manager: User
    receiving_manager: User
    officer: User
    auditor: User
    # Named at stages whose holders must be senior managers (stage 3 by default).
    raising_senior: User | None = None
    receiving_senior: User | None = None


@dataclass
class Story:
    """The words of one synthetic concern."""

    initials: str = "AB"
    category: str = Category.INFORMATION_SHARING
    level_of_need: str = LevelOfNeed.CHILD_IN_NEED
    summary: str = "Disagreement about whether a referral meets the threshold for assessment."
    outcome_sought: str = "A multi-agency discussion and a decision on assessment."
    child_voice: str = "The child told their teacher they do not like going home after school."
    birth_date: dt.date | None = dt.date(2019, 5, 4)


def draft(
    cast: Cast, at: dt.datetime, story: Story | None = None, themes: list[Theme] | None = None
) -> Concern:
    story = story or Story()
    data = services.DraftData(
        child_initials=story.initials,
        child_date_of_birth=story.birth_date,
        receiving_agency=cast.responder.agency,  # type: ignore[arg-type]
        receiving_practitioner=cast.responder,
        category=story.category,
        level_of_need=story.level_of_need,
        summary=story.summary,
        outcome_sought=story.outcome_sought,
        child_voice=story.child_voice,
        themes=themes or [],
    )
    return services.concern_create_draft(actor=cast.raiser, data=data, now=at)


def submit(concern: Concern, cast: Cast, at: dt.datetime) -> Concern:
    data = services.SubmitData(
        immediate_risk=False,
        consulted_manager=cast.raising_manager,
        other_practitioner_contacted_at=at - dt.timedelta(hours=2),
        lead_professional_told=LeadProfessionalTold.YES,
    )
    return services.concern_submit(concern_id=concern.pk, actor=cast.raiser, data=data, now=at)


def holder_for(concern: Concern, cast: Cast) -> User:
    """Who acts for the stage: a practitioner, the receiving side's named holder, the officer."""
    stage = Stage.objects.get(number=concern.stage_number or 0)
    named = concern.receiving_holder or cast.receiving_manager
    return {
        Holder.PRACTITIONERS: cast.raiser,
        Holder.MANAGERS: named,
        Holder.PARTNERSHIP: cast.officer,
    }[Holder(stage.holder)]


def escalation(
    cast: Cast, reason: str = "No agreement was reached at this stage.", *, senior: bool = False
) -> services.EscalationData:
    """Each side's holders for the next stage: its managers, or its senior managers where the
    stage needs them."""
    raising = cast.raising_senior if senior else cast.raising_manager
    receiving = cast.receiving_senior if senior else cast.receiving_manager
    return services.EscalationData(
        reason=reason,
        raising_position="The child's needs meet the threshold for an assessment.",
        receiving_position="The information so far does not show the threshold is met.",
        raising_holder=raising,
        receiving_holder=receiving,
        partnership_holder=cast.officer,
    )


def needs_seniors(concern: Concern) -> bool:
    """Whether the next stage's holders must be senior managers."""
    target = Stage.objects.filter(number__gt=concern.stage_number or 0).order_by("number").first()
    return target is not None and target.holder_seniority == "senior_manager"


def escalate(concern: Concern, cast: Cast, at: dt.datetime) -> Concern:
    data = escalation(cast, senior=needs_seniors(concern))
    return services.concern_escalate(
        concern_id=concern.pk, actor=holder_for(concern, cast), data=data, now=at
    )


def proposal(concern: Concern, at: dt.datetime, decision: str = Decision.CHANGED) -> ProposalData:
    return services.ProposalData(
        outcome_statement="Both agencies agreed a joint visit and a strategy discussion.",
        decision=decision,
        actions=[
            services.ActionData(
                owner_agency=concern.receiving_agency,
                description="Arrange a joint home visit.",
                due_date=at.date() + dt.timedelta(days=7),
            )
        ],
    )


def propose(
    concern: Concern, cast: Cast, at: dt.datetime, decision: str = Decision.CHANGED
) -> OutcomeProposal:
    return services.concern_propose(
        concern_id=concern.pk,
        actor=holder_for(concern, cast),
        data=proposal(concern, at, decision),
        now=at,
    )


def accept_all(concern: Concern, at: dt.datetime) -> Concern:
    """Every answer the pending proposal awaits, given as acceptance by the person it awaits."""
    concern = Concern.objects.get(pk=concern.pk)
    pending = Moment(concern, today=at.date()).proposal
    assert pending is not None, "no outcome awaits answers"
    for person in awaited_from(pending, concern).values():
        assert person is not None, "an answer is awaited from nobody named"
        concern = services.concern_accept(
            concern_id=concern.pk, actor=User.objects.get(pk=person), now=at
        )
    return concern


def resolve(
    concern: Concern, cast: Cast, at: dt.datetime, decision: str = Decision.CHANGED
) -> Concern:
    """Proposed by the stage's holder and accepted by everyone whose answer it awaits."""
    propose(concern, cast, at, decision)
    return accept_all(concern, at)


def confirm(concern: Concern, user: User, at: dt.datetime) -> Concern:
    return services.concern_confirm(concern_id=concern.pk, actor=user, now=at)


def withdraw(concern: Concern, cast: Cast, at: dt.datetime) -> Concern:
    data = services.WithdrawalData(
        reason="The other agency has since started an assessment.", agreed_by=cast.raising_manager
    )
    return services.concern_withdraw(concern_id=concern.pk, actor=cast.raiser, data=data, now=at)


def audit(concern: Concern, cast: Cast, at: dt.datetime, rating: str = "green") -> Concern:
    data = services.AuditData(
        process_followed="yes",
        child_central=True,
        voice_recorded=True,
        rating=rating,
        findings="Process followed; timescales met.",
    )
    return services.concern_audit(concern_id=concern.pk, actor=cast.auditor, data=data, now=at)


def advance(
    cast: Cast,
    target: str,
    start: dt.datetime,
    *,
    step: dt.timedelta | None = None,
    story: Story | None = None,
) -> Concern:
    """A concern taken from a new draft to `target` ('stage_2', 'closed', ...), one step per
    `step` (a day by default)."""
    step = step or dt.timedelta(days=1)
    at = start
    concern = draft(cast, at, story)
    if target == "draft":
        return concern
    at += step
    concern = submit(concern, cast, at)
    stages = {"stage_2": 1, "stage_3": 2, "stage_4": 3}
    for _ in range(stages.get(target, 0)):
        at += step
        concern = escalate(concern, cast, at)
    if target == "withdrawn":
        return withdraw(concern, cast, at + step)
    if target in ("resolved", "closed", "audited"):
        at += step
        concern = resolve(concern, cast, at)
    if target in ("closed", "audited"):
        at += step
        confirm(concern, cast.raiser, at)
        concern = confirm(concern, cast.responder, at)
    if target == "audited":
        concern = audit(concern, cast, at + step)
    return concern
