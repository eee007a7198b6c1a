"""After resolution: confirmations and closure; and the ways out: withdrawal and audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from concerns.access import Action
from concerns.models import Agency, Audit, AuditAction, Concern, Confirmation, Theme, User
from concerns.models.concern import CloseReason
from concerns.models.records import ProcessFollowed, Rating
from concerns.process import close_reason
from concerns.selectors import both_agencies_recorded, stage_timescales

from .base import acting_on, cap_text, raise_if, record, require_text, resolve_now
from .clocks import end_current_period, record_time_to_outcome
from .outcomes import set_aside


def concern_confirm(
    *,
    concern_id: int,
    actor: User,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
    system: str = "",
    record_reference: str = "",
) -> Concern:
    """Record that the actor's agency filed the outcome on its record (in which system, under
    which reference); close when both have."""
    errors: dict[str, str] = {}
    cap_text(errors, "system", system, limit=60)
    cap_text(errors, "record_reference", record_reference, limit=60)
    raise_if(errors)
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.CONFIRM, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        # process.require has refused anyone outside the two agencies, and a second confirmation.
        agency_id = actor.agency_id
        assert agency_id is not None
        Confirmation.objects.create(
            concern=concern,
            agency_id=agency_id,
            confirmed_by=actor,
            confirmed_at=at,
            system=system.strip(),
            record_reference=record_reference.strip(),
        )
        record(
            concern,
            actor=actor,
            kind="outcome.confirmed",
            at=at,
            from_state=concern.state,
            payload={"agency": agency_id, **({"system": system.strip()} if system else {})},
        )
        if both_agencies_recorded(concern):
            _close(concern, actor=actor, at=at, reason=CloseReason.BOTH_CONFIRMED)
    return concern


def _close(concern: Concern, *, actor: User, at: dt.datetime, reason: str) -> None:
    from_state = concern.state
    concern.close(at=at, reason=reason)
    end_current_period(concern, at=at)
    record(
        concern,
        actor=actor,
        kind="concern.closed",
        at=at,
        from_state=from_state,
        payload={"reason": reason},
    )


def concern_close(
    *,
    concern_id: int,
    actor: User,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """Close a resolved concern: both agencies confirmed, or the confirmation window ran out."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.CLOSE, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        reason = close_reason(concern, moment.confirmed, moment.today)
        assert reason is not None, "process.require refuses a concern not ready to close"
        _close(concern, actor=actor, at=at, reason=reason)
    return concern


# The words of each rule, shown by the forms too.
WITHDRAWAL_MESSAGES = {"reason": "Enter the reason for withdrawing."}
AUDIT_MESSAGES = {
    "process_followed": "Say whether the process was followed: yes, partly or no.",
    "child_central": "Say whether the child was kept central.",
    "voice_recorded": "Say whether the child's voice was recorded.",
    "rating": "Choose a rating: red, amber or green.",
    "findings": "Enter the audit findings.",
}


@dataclass
class WithdrawalData:
    reason: str
    agreed_by: User | None = None


def concern_withdraw(
    *,
    concern_id: int,
    actor: User,
    data: WithdrawalData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.WITHDRAW, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        errors: dict[str, str] = {}
        require_text(errors, "reason", data.reason, WITHDRAWAL_MESSAGES["reason"])
        cap_text(errors, "reason", data.reason)
        manager = data.agreed_by
        needs_manager = (concern.stage_number or 0) >= 2
        if needs_manager and (
            manager is None
            or not manager.is_manager
            or manager.agency_id != concern.raising_agency_id
        ):
            errors["agreed_by"] = (
                f"From stage 2 a manager in {concern.raising_agency} must agree: choose who."
            )
        raise_if(errors)
        from_state = concern.state
        concern.withdraw(reason=data.reason)
        set_aside(concern, at=at)
        end_current_period(concern, at=at)
        record_time_to_outcome(concern, at=at)
        record(
            concern,
            actor=actor,
            kind="concern.withdrawn",
            at=at,
            from_state=from_state,
            payload={"reason": data.reason, "agreed_by": manager.pk if manager else None},
        )
    return concern


@dataclass
class AuditActionData:
    agency: Agency
    description: str


@dataclass
class AuditData:
    process_followed: str
    child_central: bool | None
    voice_recorded: bool | None
    rating: str
    findings: str
    themes: list[Theme] = field(default_factory=list)
    actions: list[AuditActionData] = field(default_factory=list)


def validate_audit(data: AuditData) -> None:
    errors: dict[str, str] = {}
    if data.process_followed not in ProcessFollowed.values:
        errors["process_followed"] = AUDIT_MESSAGES["process_followed"]
    if data.child_central is None:
        errors["child_central"] = AUDIT_MESSAGES["child_central"]
    if data.voice_recorded is None:
        errors["voice_recorded"] = AUDIT_MESSAGES["voice_recorded"]
    if data.rating not in Rating.values:
        errors["rating"] = AUDIT_MESSAGES["rating"]
    require_text(errors, "findings", data.findings, AUDIT_MESSAGES["findings"])
    cap_text(errors, "findings", data.findings)
    if any(not a.description.strip() for a in data.actions):
        errors["actions"] = "Describe each action for an agency."
    raise_if(errors)


def concern_audit(
    *,
    concern_id: int,
    actor: User,
    data: AuditData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.AUDIT, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        validate_audit(data)
        audit = create_audit(concern, actor, data, at)
        from_state = concern.state
        concern.audit()
        payload = {
            "audit": audit.pk,
            "rating": data.rating,
            "process_followed": data.process_followed,
            "timescales_met": audit.timescales_met,
            "both_recorded": audit.both_recorded,
            "findings": data.findings,
        }
        record(
            concern,
            actor=actor,
            kind="concern.audited",
            at=at,
            from_state=from_state,
            payload=payload,
        )
    return concern


def create_audit(concern: Concern, actor: User, data: AuditData, at: dt.datetime) -> Audit:
    timescales = stage_timescales(concern)
    audit = Audit.objects.create(
        concern=concern,
        auditor=actor,
        process_followed=data.process_followed,
        timescales_met=all(t.met for t in timescales),
        child_central=bool(data.child_central),
        voice_recorded=bool(data.voice_recorded),
        both_recorded=both_agencies_recorded(concern),
        rating=data.rating,
        findings=data.findings,
        created_at=at,
    )
    audit.themes.set(data.themes)
    for action in data.actions:
        AuditAction.objects.create(
            audit=audit, agency=action.agency, description=action.description
        )
    return audit
