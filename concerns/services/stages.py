"""Moving an open concern on: escalation, ordinary and urgent (resolution is agreed in
`outcomes`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from concerns.access import Action
from concerns.models import Agency, Concern, Holder, Stage, User
from concerns.models.people import Role

from .base import acting_on, cap_text, local_date, raise_if, record, require_text, resolve_now
from .clocks import clock_payload, enter_stage
from .outcomes import set_aside


@dataclass
class EscalationData:
    reason: str
    raising_position: str
    receiving_position: str
    raising_holder: User | None = None
    receiving_holder: User | None = None
    partnership_holder: User | None = None


@dataclass
class UrgentEscalationData(EscalationData):
    urgency: str = ""
    within_24_hours: bool = False


def target_of(found: Stage | None) -> Stage:
    # acting_on() has already refused an escalation with nowhere to go (process.require).
    assert found is not None
    return found


# A response needed within 24 hours is due 24 hours later, to the minute (not working days).
URGENT_RESPONSE = dt.timedelta(hours=24)

# The words of each rule, shown by the action forms too.
ESCALATION_MESSAGES = {
    "reason": "Enter the reason for escalating.",
    "urgency": "Say why this cannot wait.",
}


def may_hold(person: User | None, agency: Agency, stage: Stage) -> bool:
    """A named holder works in the side's agency, is active and is senior enough (a
    designated safeguarding lead counts as a first-line manager)."""
    if person is None or not person.is_active or person.agency_id != agency.pk:
        return False
    lead_suffices = stage.holder_seniority == "manager" and person.is_safeguarding_lead
    return lead_suffices or person.is_at_least(stage.holder_seniority)


def holder_message(agency: Agency, stage: Stage) -> str:
    who = SENIORITY_WORDS.get(stage.holder_seniority, "manager")
    return f"Choose the {who} in {agency} who now holds it at stage {stage.number}."


SENIORITY_WORDS = {
    "practitioner": "person",
    "manager": "manager or safeguarding lead",
    "senior_manager": "senior manager or head of service",
}


def position_message(agency: Agency) -> str:
    return f"Enter the position of {agency}."


def validate_escalation(concern: Concern, data: EscalationData, target: Stage) -> None:
    errors: dict[str, str] = {}
    require_text(errors, "reason", data.reason, ESCALATION_MESSAGES["reason"])
    for name in ("reason", "raising_position", "receiving_position"):
        cap_text(errors, name, getattr(data, name))
    for side, agency in (
        ("raising", concern.raising_agency),
        ("receiving", concern.receiving_agency),
    ):
        field = f"{side}_position"
        require_text(errors, field, getattr(data, field), position_message(agency))
    if target.holder == Holder.MANAGERS:
        for side, agency in (
            ("raising", concern.raising_agency),
            ("receiving", concern.receiving_agency),
        ):
            if not may_hold(getattr(data, f"{side}_holder"), agency, target):
                errors[f"{side}_holder"] = holder_message(agency, target)
    if target.holder == Holder.PARTNERSHIP:
        holder = data.partnership_holder
        if holder is None or holder.role != Role.PARTNERSHIP_OFFICER:
            errors["partnership_holder"] = "Choose the partnership officer who now holds it."
    raise_if(errors)


def _move_up(concern: Concern, data: EscalationData, target: Stage, at: dt.datetime) -> None:
    set_aside(concern, at=at)
    concern.raising_holder = data.raising_holder
    concern.receiving_holder = data.receiving_holder
    concern.partnership_holder = data.partnership_holder
    enter_stage(concern, target, at=at)


def escalation_payload(concern: Concern, data: EscalationData, was_overdue: bool) -> dict:
    return {
        "reason": data.reason,
        "raising_position": data.raising_position,
        "receiving_position": data.receiving_position,
        "raising_holder": concern.raising_holder_id,
        "receiving_holder": concern.receiving_holder_id,
        "partnership_holder": concern.partnership_holder_id,
        "was_overdue": was_overdue,
        **clock_payload(concern),
    }


def concern_escalate(
    *,
    concern_id: int,
    actor: User,
    data: EscalationData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.ESCALATE, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        target = target_of(moment.stages.escalation_target(concern))
        validate_escalation(concern, data, target)
        from_state, was_overdue = concern.state, concern.is_overdue(local_date(at))
        concern.escalate(to_stage=target.number)
        _move_up(concern, data, target, at)
        record(
            concern,
            actor=actor,
            kind="concern.escalated",
            at=at,
            from_state=from_state,
            payload=escalation_payload(concern, data, was_overdue),
        )
    return concern


def concern_escalate_urgently(
    *,
    concern_id: int,
    actor: User,
    data: UrgentEscalationData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.URGENT_ESCALATE, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        target = target_of(moment.stages.urgent_target(concern))
        errors: dict[str, str] = {}
        require_text(errors, "urgency", data.urgency, ESCALATION_MESSAGES["urgency"])
        cap_text(errors, "urgency", data.urgency)
        raise_if(errors)
        validate_escalation(concern, data, target)
        from_state, was_overdue = concern.state, concern.is_overdue(local_date(at))
        concern.escalate_urgently(to_stage=target.number)
        _move_up(concern, data, target, at)
        payload = escalation_payload(concern, data, was_overdue)
        if data.within_24_hours:
            concern.response_due_at = at + URGENT_RESPONSE
        payload.update(
            urgency=data.urgency,
            within_24_hours=data.within_24_hours,
            response_due_at=concern.response_due_at,
        )
        record(
            concern,
            actor=actor,
            kind="concern.escalated_urgently",
            at=at,
            from_state=from_state,
            payload=payload,
        )
    return concern
