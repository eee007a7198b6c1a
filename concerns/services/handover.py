"""Cover and handover: someone named to cover a colleague for a period, and a named part in a
concern (the responder, either side's holder) handed to someone else with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from concerns import access
from concerns.access import Action
from concerns.errors import ActionRefused
from concerns.models import Concern, Cover, Handover, StagePeriod, User
from concerns.models.records import HandoverRole

from .base import (
    acting_on,
    cap_text,
    local_date,
    raise_if,
    record,
    require_text,
    resolve_now,
)
from .stages import holder_message, may_hold

LONGEST_COVER = dt.timedelta(days=183)

COVER_MESSAGES = {
    "cover": "Choose who will cover, from the same agency.",
    "starts": "Enter the first day of cover, today or later.",
    "ends": "Enter the last day of cover, on or after the first.",
    "too_long": "Cover is for six months at most; hand the concerns over instead.",
}


@dataclass
class CoverData:
    person: User
    cover: User | None
    starts: dt.date | None
    ends: dt.date | None


def may_arrange_cover(actor: User, person: User) -> bool:
    """A person names their own cover; their agency's safeguarding leads may name it for them
    (someone off sick cannot)."""
    same_agency = actor.agency_id is not None and actor.agency_id == person.agency_id
    return actor.pk == person.pk or (actor.is_safeguarding_lead and same_agency)


def cover_create(*, actor: User, data: CoverData, now: dt.datetime | None = None) -> Cover:
    at = resolve_now(now)
    today = local_date(at)
    if not may_arrange_cover(actor, data.person):
        raise ActionRefused(
            "Only the person, or a safeguarding lead in their agency, can arrange their cover."
        )
    errors: dict[str, str] = {}
    cover = data.cover
    fit = cover is not None and cover.is_active and cover.agency_id == data.person.agency_id
    if not fit or cover == data.person:
        errors["cover"] = COVER_MESSAGES["cover"]
    if data.starts is None or data.starts < today:
        errors["starts"] = COVER_MESSAGES["starts"]
    if data.ends is None or (data.starts is not None and data.ends < data.starts):
        errors["ends"] = COVER_MESSAGES["ends"]
    elif data.starts is not None and data.ends - data.starts > LONGEST_COVER:
        errors["ends"] = COVER_MESSAGES["too_long"]
    raise_if(errors)
    assert cover is not None and data.starts is not None and data.ends is not None
    with transaction.atomic():
        made = Cover.objects.create(
            person=data.person,
            cover=cover,
            starts=data.starts,
            ends=data.ends,
            created_by=actor,
            created_at=at,
        )
        locked = User.objects.select_for_update().get(pk=cover.pk)
        if locked.covering_until is None or locked.covering_until < data.ends:
            locked.covering_until = data.ends
            locked.save(update_fields=["covering_until"])
    return made


def cover_end(*, actor: User, cover_id: int, now: dt.datetime | None = None) -> None:
    """End a cover from today (the person is back); a cover not yet begun is cancelled."""
    at = resolve_now(now)
    cover = Cover.objects.select_related("person").get(pk=cover_id)
    if not may_arrange_cover(actor, cover.person):
        raise ActionRefused(
            "Only the person, or a safeguarding lead in their agency, can change their cover."
        )
    yesterday = local_date(at) - dt.timedelta(days=1)
    if cover.starts > yesterday:
        cover.delete()
    elif cover.ends > yesterday:
        cover.ends = yesterday
        cover.save(update_fields=["ends"])


# --- Handing a named part over.

REASSIGN_MESSAGES = {
    "role": "Choose which part is handed over.",
    "to_person": "Choose who takes it over.",
    "reason": "Say why it is handed over.",
}


@dataclass
class HandoverData:
    role: str
    to_person: User | None
    reason: str


def current_holder(concern: Concern, role: str) -> User | None:
    named = {
        HandoverRole.RESPONDER: concern.receiving_practitioner,
        HandoverRole.RAISING_HOLDER: concern.raising_holder,
        HandoverRole.RECEIVING_HOLDER: concern.receiving_holder,
    }
    return named[HandoverRole(role)]


def concern_hand_over(
    *,
    concern_id: int,
    actor: User,
    data: HandoverData,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Concern:
    """The person holding the part, or a safeguarding lead of its agency, hands it to someone
    in the same agency (senior enough for the stage, for a holder). Both keep seeing it."""
    at = resolve_now(now)
    with acting_on(
        concern_id, actor=actor, at=at, action=Action.HAND_OVER, seen_version=seen_version
    ) as moment:
        concern = moment.concern
        errors: dict[str, str] = {}
        if data.role not in HandoverRole.values:
            errors["role"] = REASSIGN_MESSAGES["role"]
            raise_if(errors)
        receiving = data.role != HandoverRole.RAISING_HOLDER
        agency = concern.receiving_agency if receiving else concern.raising_agency
        holding = current_holder(concern, data.role)
        mine = {person.pk for person in access.identities(actor)}  # themselves, or as cover
        named_self = holding is not None and holding.pk in mine
        lead = actor.is_safeguarding_lead and actor.agency_id == agency.pk
        if not (named_self or lead):
            raise ActionRefused(
                f"Only the person named, or a safeguarding lead in {agency}, can hand this over."
            )
        stage = concern.current_stage
        assert stage is not None, "the policy lets a part be handed over only at a stage"
        to = data.to_person
        if data.role != HandoverRole.RESPONDER and holding is None:
            raise ActionRefused("Nobody is named for that part at this stage to hand over.")
        if data.role == HandoverRole.RESPONDER:
            if to is None or not to.is_active or to.agency_id != agency.pk:
                errors["to_person"] = f"Choose someone in {agency} to take it over."
        elif not may_hold(to, agency, stage):
            errors["to_person"] = holder_message(agency, stage)
        if to is not None and holding is not None and to.pk == holding.pk:
            errors["to_person"] = "Choose someone other than the person named now."
        require_text(errors, "reason", data.reason, REASSIGN_MESSAGES["reason"])
        cap_text(errors, "reason", data.reason, 2000)
        raise_if(errors)
        assert to is not None
        field = {
            HandoverRole.RESPONDER: "receiving_practitioner",
            HandoverRole.RAISING_HOLDER: "raising_holder",
            HandoverRole.RECEIVING_HOLDER: "receiving_holder",
        }[HandoverRole(data.role)]
        setattr(concern, field, to)
        period = StagePeriod.objects.filter(concern=concern, ended_at__isnull=True).first()
        if period is not None and field != "receiving_practitioner":
            setattr(period, field, to)
            period.save(update_fields=[field])
        Handover.objects.create(
            concern=concern,
            role=data.role,
            from_person=holding,
            to_person=to,
            reason=data.reason.strip(),
            by=actor,
            at=at,
        )
        record(
            concern,
            actor=actor,
            kind="concern.handed_over",
            at=at,
            from_state=concern.state,
            payload={
                "role": data.role,
                "from": holding.pk if holding else None,
                "to": to.pk,
                "to_name": to.full_name,
                "reason": data.reason.strip(),
            },
        )
    return concern
