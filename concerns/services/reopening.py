"""After closing: a party reopens a concern with new information within the partnership's
window (back to its last stage, with a new clock); after the window, or once audited, they
raise a follow-on concern linked to it. Both are on the chains and in the report."""

from __future__ import annotations

import datetime as dt

from concerns.access import Action
from concerns.models import Concern, Confirmation, StagePeriod, User

from .base import (
    acting_on,
    cap_text,
    check_storable,
    raise_if,
    record,
    require_text,
    resolve_now,
)
from .clocks import clock_payload, enter_stage
from .drafting import DraftData, concern_create_draft

REOPEN_MESSAGES = {"new_information": "Say what new information means it must be reopened."}
NEW_INFORMATION_LENGTH = 5000


def concern_reopen(
    *,
    concern_id: int,
    actor: User,
    new_information: str,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """Back to the stage it was resolved at, with that stage's holders and a new deadline. Its
    outcome is set aside (the agencies confirm the next one); its agreed actions stand."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.REOPEN, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        errors: dict[str, str] = {}
        require_text(errors, "new_information", new_information, REOPEN_MESSAGES["new_information"])
        cap_text(errors, "new_information", new_information, NEW_INFORMATION_LENGTH)
        raise_if(errors)
        last = StagePeriod.objects.filter(concern=concern).order_by("-started_at", "-pk").first()
        assert last is not None, "a closed concern was resolved at a stage"
        stage = moment.stages[last.number]
        from_state = concern.state
        concern.reopen(to_stage=stage.number)
        superseded = Confirmation.objects.filter(concern=concern).update(superseded_at=at)
        concern.outcome_statement, concern.decision, concern.agreement = "", "", ""
        concern.raiser_accepts, concern.resolved_at = None, None
        concern.working_days_to_outcome = None
        enter_stage(concern, stage, at=at)
        record(
            concern,
            actor=actor,
            kind="concern.reopened",
            at=at,
            from_state=from_state,
            payload={
                "new_information": new_information.strip(),
                "to_stage": stage.number,
                "confirmations_set_aside": superseded,
                **clock_payload(concern),
            },
        )
    return concern


def concern_follow_on(
    *,
    concern_id: int,
    actor: User,
    now: dt.datetime | None = None,
) -> Concern:
    """A new draft about the same child between the same agencies, raised by the actor's
    agency and linked to the concern it follows; the raiser completes and submits it."""
    at = resolve_now(now)
    with acting_on(concern_id, actor=actor, at=at, action=Action.FOLLOW_ON) as moment:
        old = moment.concern
        ours_raised = actor.agency_id == old.raising_agency_id
        data = DraftData(
            child_initials=old.child_initials,
            child_date_of_birth=old.child_date_of_birth,
            child_unborn=old.child_unborn,
            raising_agency_case_number=(
                old.raising_agency_case_number if ours_raised else old.receiving_agency_case_number
            ),
            receiving_agency_case_number=(
                old.receiving_agency_case_number if ours_raised else old.raising_agency_case_number
            ),
            receiving_agency=old.receiving_agency if ours_raised else old.raising_agency,
            receiving_practitioner=old.receiving_practitioner if ours_raised else old.raised_by,
            category=old.category,
            level_of_need=old.level_of_need,
            summary=f"Follows {old.reference}. ",
            outcome_sought=old.outcome_sought,
            child_voice=old.child_voice,
            child_voice_missing=old.child_voice_missing,
            child_voice_missing_detail=old.child_voice_missing_detail,
            themes=list(old.themes.all()),
        )
        errors: dict[str, str] = {}
        check_storable(errors, Concern, data)
        raise_if(errors)
        draft = concern_create_draft(actor=actor, data=data, now=at, follows=old)
        record(
            old,
            actor=actor,
            kind="concern.followed_on",
            at=at,
            from_state=old.state,
            payload={"follow_on": draft.pk, "follow_on_reference": draft.reference},
        )
    return draft
