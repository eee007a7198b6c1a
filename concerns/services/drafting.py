"""Raising a concern: the draft, its edits, and submission into stage 1."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields

from django.db import IntegrityError, transaction

from concerns.access import Action
from concerns.chain import append_event
from concerns.errors import ActionRefused
from concerns.models import Agency, Concern, ReferenceCounter, Stage, Theme, User
from concerns.models.concern import (
    Category,
    LeadProfessionalTold,
    LevelOfNeed,
    OtherProcedure,
    VoiceMissing,
)

from .base import (
    acting_on,
    check_storable,
    local_date,
    raise_if,
    record,
    require_text,
    resolve_now,
)
from .clocks import clock_payload, enter_stage

# Initials are letters in one case ("JS", "js"): a capital followed by small letters ("Jane",
# "Tom") is a first name, which the partnership must not hold.
INITIALS = re.compile(r"^(?:[A-Z]{1,4}|[a-z]{1,4})$")


@dataclass
class DraftData:
    """What the raiser records about the child and the disagreement."""

    child_initials: str
    receiving_agency: Agency
    category: str
    level_of_need: str
    summary: str
    outcome_sought: str
    child_date_of_birth: dt.date | None = None
    child_unborn: bool = False
    raising_agency_case_number: str = ""
    receiving_agency_case_number: str = ""
    receiving_practitioner: User | None = None
    # A contact without an account, instead of a practitioner named from the list.
    receiving_contact_name: str = ""
    receiving_contact_role: str = ""
    receiving_contact_team: str = ""
    receiving_contact_phone: str = ""
    receiving_contact_email: str = ""
    child_voice: str = ""
    # Why the child's voice could not be gathered, if it was not (VoiceMissing).
    child_voice_missing: str = ""
    child_voice_missing_detail: str = ""
    other_procedure: str = OtherProcedure.NONE
    themes: list[Theme] = field(default_factory=list)
    immediate_risk: bool | None = None
    safeguarding_action: str = ""


@dataclass
class SubmitData:
    immediate_risk: bool | None
    consulted_manager: User | None
    other_practitioner_contacted_at: dt.datetime | None
    lead_professional_told: str
    safeguarding_action: str = ""


# The words of each rule, shown by the forms too (an empty field breaks the same rule).
DRAFT_MESSAGES = {
    "child_initials": "Enter the child's initials: 1 to 4 letters, not a name.",
    "child_date_of_birth": "The date of birth must be today or in the past.",
    "receiving_agency": "Choose the other agency.",
    "summary": "Enter a summary of the disagreement.",
    "outcome_sought": "Enter the outcome you are seeking.",
    "category": "Choose what the disagreement is about.",
    "level_of_need": "Choose the child's level of need.",
}
SUBMIT_MESSAGES = {
    "immediate_risk": "Say whether the child may be at risk of significant harm now.",
    "safeguarding_action": "Say what safeguarding action was taken for the child.",
    "other_practitioner_contacted_at": "Enter when you contacted the other practitioner.",
    "contacted_in_future": "The contact date must not be in the future.",
    "lead_professional_told": "Say whether the lead professional, IRO or chair was told in "
    "writing.",
    "receiving_practitioner": "Name the practitioner in the other agency, or give their "
    "details below if they have no account.",
    "receiving_contact_phone": "Give a phone number or an email address for the contact.",
    "child_voice": "Record what the child has said or shown, or say why you could not.",
    "child_voice_missing_detail": "Say why the child's voice could not be gathered.",
}


def practitioner_agency_message(agency: Agency) -> str:
    return f"The practitioner must work in {agency.name}."


def consulted_manager_message(agency: Agency | None) -> str:
    where = f" in {agency}" if agency else ""
    return f"Choose the manager or safeguarding lead{where} you consulted."


def validate_draft(data: DraftData, *, actor: User, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if not INITIALS.match(data.child_initials or ""):
        errors["child_initials"] = DRAFT_MESSAGES["child_initials"]
    if data.child_date_of_birth and data.child_date_of_birth > today and not data.child_unborn:
        errors["child_date_of_birth"] = DRAFT_MESSAGES["child_date_of_birth"]
    if data.receiving_agency.pk == actor.agency_id:
        errors["receiving_agency"] = "The other agency must not be your own agency."
    practitioner = data.receiving_practitioner
    if practitioner and practitioner.agency_id != data.receiving_agency.pk:
        errors["receiving_practitioner"] = practitioner_agency_message(data.receiving_agency)
    if practitioner and data.receiving_contact_name.strip():
        errors["receiving_contact_name"] = (
            "Either choose the practitioner from the list or give a contact, not both."
        )
    email = data.receiving_contact_email.strip()
    if email and ("@" not in email or " " in email):
        errors["receiving_contact_email"] = "Enter an email address like name@example.org."
    require_text(errors, "summary", data.summary, DRAFT_MESSAGES["summary"])
    require_text(errors, "outcome_sought", data.outcome_sought, DRAFT_MESSAGES["outcome_sought"])
    if data.category not in Category.values:
        errors["category"] = DRAFT_MESSAGES["category"]
    if data.level_of_need not in LevelOfNeed.values:
        errors["level_of_need"] = DRAFT_MESSAGES["level_of_need"]
    if data.child_voice_missing not in ("", *VoiceMissing.values):
        errors["child_voice_missing"] = "Choose why the child's voice could not be gathered."
    if data.other_procedure not in OtherProcedure.values:
        errors["other_procedure"] = "Say whether another procedure covers this disagreement."
    check_storable(errors, Concern, data)
    raise_if(errors)


def next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"CR-{year}-{counter.last:05d}"


def concern_create_draft(
    *,
    actor: User,
    data: DraftData,
    now: dt.datetime | None = None,
    follows: Concern | None = None,
    submission_key: str = "",
) -> Concern:
    """A new draft; `follows` links a follow-on concern to the closed one it follows. A
    `submission_key` already used by this raiser raises IntegrityError (the database's unique
    claim): `concern_raise` turns that into the concern the first post made."""
    at = resolve_now(now)
    if actor.agency is None or actor.agency.is_partnership:
        raise ActionRefused("Only a practitioner or manager in an agency can raise a concern.")
    validate_draft(data, actor=actor, today=local_date(at))
    with transaction.atomic():
        concern = Concern(
            reference=next_reference(local_date(at).year),
            raising_agency=actor.agency,
            raised_by=actor,
            created_at=at,
            updated_at=at,
            follows=follows,
            submission_key=submission_key[:64],
            **_draft_fields(data),
        )
        concern._history_date = at
        concern._history_user = actor
        concern.save()
        concern.themes.set(data.themes)
        append_event(
            concern=concern,
            actor=actor,
            kind="concern.drafted",
            at=at,
            to_state=concern.state,
            payload={"follows": follows.pk, "follows_reference": follows.reference}
            if follows
            else None,
        )
    return concern


def concern_update_draft(
    *,
    concern_id: int,
    actor: User,
    data: DraftData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.SUBMIT, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        validate_draft(data, actor=actor, today=local_date(at))
        for name, value in _draft_fields(data).items():
            setattr(concern, name, value)
        concern.themes.set(data.themes)
        record(concern, actor=actor, kind="concern.edited", at=at, from_state=concern.state)
    return concern


def _draft_fields(data: DraftData) -> dict[str, object]:
    return {f.name: getattr(data, f.name) for f in fields(data) if f.name != "themes"}


def may_advise(manager: User, agency_id: int) -> bool:
    """The raiser consults their own line manager or safeguarding lead."""
    senior = manager.is_manager or manager.is_safeguarding_lead
    return senior and manager.is_active and manager.agency_id == agency_id


def child_voice_errors(concern: Concern) -> dict[str, str]:
    """The child's voice is required to submit: what they said or showed, or why it could not
    be gathered (another reason in words)."""
    if concern.child_voice.strip():
        return {}
    if not concern.child_voice_missing:
        return {"child_voice": SUBMIT_MESSAGES["child_voice"]}
    detail = concern.child_voice_missing_detail.strip()
    if concern.child_voice_missing == VoiceMissing.OTHER and not detail:
        return {"child_voice_missing_detail": SUBMIT_MESSAGES["child_voice_missing_detail"]}
    return {}


def validate_submission(concern: Concern, data: SubmitData, *, now: dt.datetime) -> None:
    if concern.other_procedure:
        raise ActionRefused(
            f"Disagreements about {OtherProcedure(concern.other_procedure).label.lower()} "
            "follow their own procedure, not this one: this draft stays recorded here."
        )
    errors: dict[str, str] = {}
    if data.immediate_risk is None:
        errors["immediate_risk"] = SUBMIT_MESSAGES["immediate_risk"]
    elif data.immediate_risk and not data.safeguarding_action.strip():
        errors["safeguarding_action"] = SUBMIT_MESSAGES["safeguarding_action"]
    manager = data.consulted_manager
    if manager is None or not may_advise(manager, concern.raising_agency_id):
        errors["consulted_manager"] = consulted_manager_message(concern.raising_agency)
    contacted = data.other_practitioner_contacted_at
    if contacted is None:
        errors["other_practitioner_contacted_at"] = SUBMIT_MESSAGES[
            "other_practitioner_contacted_at"
        ]
    elif contacted > now:
        errors["other_practitioner_contacted_at"] = SUBMIT_MESSAGES["contacted_in_future"]
    if data.lead_professional_told not in LeadProfessionalTold.values:
        errors["lead_professional_told"] = SUBMIT_MESSAGES["lead_professional_told"]
    errors.update(responder_errors(concern))
    errors.update(child_voice_errors(concern))
    raise_if(errors)


def responder_errors(concern: Concern) -> dict[str, str]:
    """The other practitioner: named from the list, or a contact without an account with a
    way to reach them (their agency's safeguarding leads then act for them)."""
    if concern.receiving_practitioner_id is not None:
        return {}
    if not concern.receiving_contact_name.strip():
        return {"receiving_practitioner": SUBMIT_MESSAGES["receiving_practitioner"]}
    if not (concern.receiving_contact_phone.strip() or concern.receiving_contact_email.strip()):
        return {"receiving_contact_phone": SUBMIT_MESSAGES["receiving_contact_phone"]}
    return {}


def concern_submit(
    *,
    concern_id: int,
    actor: User,
    data: SubmitData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.SUBMIT, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        validate_submission(concern, data, now=at)
        for name in (
            "immediate_risk",
            "consulted_manager",
            "other_practitioner_contacted_at",
            "lead_professional_told",
            "safeguarding_action",
        ):
            setattr(concern, name, getattr(data, name))
        from_state = concern.state
        concern.submit(at=at)
        enter_stage(concern, Stage.objects.get(number=1), at=at)
        record(
            concern,
            actor=actor,
            kind="concern.submitted",
            at=at,
            from_state=from_state,
            payload={
                "immediate_risk": data.immediate_risk,
                "safeguarding_action": data.safeguarding_action,
                "consulted_manager": manager_id(data.consulted_manager),
                "other_practitioner_contacted_at": data.other_practitioner_contacted_at,
                "lead_professional_told": data.lead_professional_told,
                **clock_payload(concern),
            },
        )
    return concern


def concern_raise(
    *,
    actor: User,
    draft: DraftData,
    submission: SubmitData | None = None,
    now: dt.datetime | None = None,
    submission_key: str = "",
) -> Concern:
    """Create (and, given `submission`, submit) in one go: all of it happens or none does.
    The same `submission_key` again, even at the same moment, returns the concern the first
    made: the second insert waits on the unique index, then finds the first committed."""
    at = resolve_now(now)
    key = submission_key[:64]
    if key:
        found = raised_with_key(actor, key)
        if found is not None:
            return found
    try:
        with transaction.atomic():
            concern = concern_create_draft(actor=actor, data=draft, now=at, submission_key=key)
            if submission is None:
                return concern
            return concern_submit(concern_id=concern.pk, actor=actor, data=submission, now=at)
    except IntegrityError:
        found = raised_with_key(actor, key) if key else None
        if found is None:
            raise
        return found


def raised_with_key(actor: User, key: str) -> Concern | None:
    return Concern.objects.filter(raised_by=actor, submission_key=key).first()


def concern_submit_draft(
    *,
    concern_id: int,
    actor: User,
    draft: DraftData,
    submission: SubmitData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """Save the draft's last edits and submit it, in one transaction."""
    at = resolve_now(now)
    with transaction.atomic():
        concern = concern_update_draft(
            concern_id=concern_id, actor=actor, data=draft, seen_version=seen_version, now=at
        )
        return concern_submit(concern_id=concern.pk, actor=actor, data=submission, now=at)


def manager_id(user: User | None) -> int | None:
    return user.pk if user else None
