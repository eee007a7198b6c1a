"""What several concern tests share: valid data for each action, and a snapshot of everything
that a refused or invalid action must leave exactly as it was."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from concerns import services
from concerns.models import (
    AgreedAction,
    Audit,
    CaseEvent,
    Concern,
    Confirmation,
    DiscussionNote,
    ReferenceCounter,
    StagePeriod,
)
from concerns.models.concern import Category, Decision, LeadProfessionalTold, LevelOfNeed
from concerns.models.records import ContactMethod
from tests.conftest import london
from tests.scenarios import Cast, escalation

# Scenario concerns start on a Monday with no bank holiday near, one step a day.
START = london(2026, 3, 2, 10, 0)
# Every action in the matrix happens here: after every scenario step, and after the
# confirmation window (5 working days from Wed 4 Mar: Wed 11 Mar) of a resolved concern.
ACT_AT = london(2026, 3, 23, 10, 0)


def snapshot(concern_id: int) -> dict[str, Any]:
    """Everything an action can change about one concern."""
    concern = Concern.objects.get(pk=concern_id)
    return {
        "state": concern.state,
        "version": concern.version,
        "updated_at": concern.updated_at,
        "due_date": concern.due_date,
        "events": CaseEvent.objects.filter(concern_id=concern_id).count(),
        "notes": DiscussionNote.objects.filter(concern_id=concern_id).count(),
        "history": Concern.history.filter(id=concern_id).count(),
        "confirmations": Confirmation.objects.filter(concern_id=concern_id).count(),
        "stage_periods": StagePeriod.objects.filter(concern_id=concern_id).count(),
        "actions": AgreedAction.objects.filter(concern_id=concern_id).count(),
        "audits": Audit.objects.filter(concern_id=concern_id).count(),
    }


def totals() -> dict[str, int]:
    """Row counts across every concern: what creating a draft or a note must not leave behind."""
    return {
        "concerns": Concern.objects.count(),
        "concern_history": Concern.history.count(),
        "events": CaseEvent.objects.count(),
        "notes": DiscussionNote.objects.count(),
        "note_history": DiscussionNote.history.count(),
        "references": sum(ReferenceCounter.objects.values_list("last", flat=True)),
    }


def draft_data(cast: Cast, **changes: Any) -> services.DraftData:
    data = services.DraftData(
        child_initials="AB",
        child_date_of_birth=dt.date(2019, 5, 4),
        receiving_agency=cast.responder.agency,  # type: ignore[arg-type]
        receiving_practitioner=cast.responder,
        category=Category.REFERRAL_THRESHOLD,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        summary="Disagreement about whether a referral meets the threshold for assessment.",
        outcome_sought="A decision on assessment.",
    )
    return replace(data, **changes)


def submission(cast: Cast, at: dt.datetime, **changes: Any) -> services.SubmitData:
    data = services.SubmitData(
        immediate_risk=False,
        consulted_manager=cast.raising_manager,
        other_practitioner_contacted_at=at - dt.timedelta(hours=2),
        lead_professional_told=LeadProfessionalTold.YES,
    )
    return replace(data, **changes)


def escalation_data(cast: Cast, **changes: Any) -> services.EscalationData:
    return replace(escalation(cast), **changes)


def urgent_escalation(cast: Cast, **changes: Any) -> services.UrgentEscalationData:
    plain = escalation(cast, senior=True)  # the urgent route goes to stage 3
    data = services.UrgentEscalationData(
        reason=plain.reason,
        raising_position=plain.raising_position,
        receiving_position=plain.receiving_position,
        raising_holder=plain.raising_holder,
        receiving_holder=plain.receiving_holder,
        partnership_holder=plain.partnership_holder,
        urgency="The child is to be discharged from hospital tomorrow with no plan.",
        within_24_hours=True,
    )
    return replace(data, **changes)


def resolution(concern: Concern, at: dt.datetime, **changes: Any) -> services.ProposalData:
    data = services.ProposalData(
        outcome_statement="Both agencies agreed a joint visit and a strategy discussion.",
        decision=Decision.CHANGED,
        actions=[
            services.ActionData(
                owner_agency=concern.receiving_agency,
                description="Arrange a joint home visit.",
                due_date=at.date() + dt.timedelta(days=7),
            )
        ],
    )
    return replace(data, **changes)


def note_data(at: dt.datetime, **changes: Any) -> services.NoteData:
    data = services.NoteData(
        occurred_at=at - dt.timedelta(hours=1),
        with_whom="The named social worker",
        method=ContactMethod.PHONE,
        discussion="We went through the referral together.",
        agreed="To speak again after the strategy discussion.",
    )
    return replace(data, **changes)


def withdrawal(cast: Cast, **changes: Any) -> services.WithdrawalData:
    data = services.WithdrawalData(
        reason="The other agency has since started an assessment.",
        agreed_by=cast.raising_manager,
    )
    return replace(data, **changes)


def audit_data() -> services.AuditData:
    return services.AuditData(
        process_followed="yes",
        child_central=True,
        voice_recorded=True,
        rating="green",
        findings="Process followed; timescales met.",
    )


def pause_data(at: dt.datetime, **changes: Any) -> services.PauseData:
    data = services.PauseData(
        reason="strategy_discussion", resume_expected=at.date() + dt.timedelta(days=7)
    )
    return replace(data, **changes)
