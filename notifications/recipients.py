"""Who a reminder goes to: the rule's audiences turned into people, when it is sent.

Found at sending time, not planning time, so a holder named by a later escalation is the one
told. Only active people who may see the concern (the access policy's VIEW rule) are told.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from concerns import access
from concerns.access import Action
from concerns.models import AgreedAction, Concern, Cover, Holder, OutcomeProposal, User
from concerns.models.records import ProposalStatus
from concerns.process import awaited_from
from notifications.models import Reminder
from notifications.rules import AUDIENCES, Audience


def leads_of(agency_id: int) -> list[User]:
    """An agency's safeguarding leads: told when nobody there is named to act. Never every
    manager of the agency (need to know)."""
    return list(User.objects.filter(agency_id=agency_id, is_safeguarding_lead=True, is_active=True))


def present(person: User | None) -> User | None:
    """A named person who can still act: someone who has left is as good as nobody named, so
    their agency's leads are told instead."""
    return person if person is not None and person.is_active else None


def side_people(concern: Concern, side: str) -> list[User | None]:
    """The named people of one agency; its safeguarding leads if nobody is named above the
    practitioner (on the raising side, the manager they consulted is named)."""
    practitioner: User | None
    if side == "raising":
        practitioner, holder, agency_id = (
            concern.raised_by,
            concern.raising_holder,
            concern.raising_agency_id,
        )
    else:
        practitioner, holder, agency_id = (
            concern.receiving_practitioner,
            concern.receiving_holder,
            concern.receiving_agency_id,
        )
    holder = present(holder)
    if holder is None and side == "raising":
        holder = present(concern.consulted_manager)
    return [practitioner, holder] if holder else [practitioner, *leads_of(agency_id)]


def holders(concern: Concern) -> list[User | None]:
    """Who holds the concern's current stage, by the stage configuration.

    At a managers' stage an agency with no named holder (or one who has left) falls back to its
    safeguarding leads;
    at the partnership stage the officer holds it and each agency's named holder stays on.
    """
    stage = concern.current_stage
    if stage is None:
        return []
    if stage.holder == Holder.PRACTITIONERS:
        if concern.receiving_practitioner is None:  # a contact without an account
            return [concern.raised_by, *leads_of(concern.receiving_agency_id)]
        return [concern.raised_by, concern.receiving_practitioner]
    named: list[User | None] = []
    for holder, agency_id in (
        (concern.raising_holder, concern.raising_agency_id),
        (concern.receiving_holder, concern.receiving_agency_id),
    ):
        named += [holder] if present(holder) else leads_of(agency_id)
    if stage.holder == Holder.PARTNERSHIP:
        named.insert(0, concern.partnership_holder)
    return named


def answerers(concern: Concern) -> list[User | None]:
    """Whoever the pending proposed outcome still awaits an answer from; if one has left (or
    nobody is named), their agency's safeguarding leads are told instead."""
    proposal = OutcomeProposal.objects.filter(
        concern=concern, status=ProposalStatus.PENDING
    ).first()
    if proposal is None:
        return []
    waiting = awaited_from(proposal, concern)
    people = {p.pk: p for p in User.objects.filter(pk__in=[p for p in waiting.values() if p])}
    found: list[User | None] = []
    for slot, person_id in waiting.items():
        person = present(people.get(person_id or 0))
        if person is not None:
            found.append(person)
        elif slot == "raiser" or proposal.side == "receiving":
            found += leads_of(concern.raising_agency_id)
        else:
            found += leads_of(concern.receiving_agency_id)
    return found


def action_owners(reminder: Reminder, concern: Concern) -> list[User | None]:
    """The action's named owner if they can still act; otherwise the owning agency's named
    people (its practitioner and holder, or its leads)."""
    action = (
        AgreedAction.objects.select_related("owner")
        .filter(pk=reminder.payload.get("action"))
        .first()
    )
    if action is None:
        return []
    owner = present(action.owner)
    if owner is not None:
        return [owner]
    side = "raising" if action.owner_agency_id == concern.raising_agency_id else "receiving"
    return side_people(concern, side)


def audience_people(
    audience: Audience, reminder: Reminder, concern: Concern | None
) -> list[User | None]:
    if audience == Audience.RECIPIENT:
        return [reminder.recipient]
    assert concern is not None, f"{audience} needs a concern"
    if audience == Audience.RAISER:
        return [concern.raised_by]
    if audience == Audience.RESPONDER:
        return [concern.receiving_practitioner]
    if audience == Audience.RECEIVING_LEADS:
        return list[User | None](leads_of(concern.receiving_agency_id))
    if audience == Audience.HOLDERS:
        return holders(concern)
    if audience == Audience.ANSWERERS:
        return answerers(concern)
    if audience == Audience.ACTION_OWNER:
        return action_owners(reminder, concern)
    if audience == Audience.BOTH_SIDES:
        return side_people(concern, "raising") + side_people(concern, "receiving")
    return side_people(concern, reminder.payload.get("side", ""))


def recipients(
    reminder: Reminder, concern: Concern | None, today: dt.date | None = None
) -> list[User]:
    """Each person once, in audience order, then whoever covers for them today; only those
    active and allowed to see the concern."""
    found: dict[int, User] = {}
    for audience in AUDIENCES[reminder.kind]:
        for person in audience_people(audience, reminder, concern):
            if person is not None:
                found.setdefault(person.pk, person)
    if concern is not None:
        for person in covers_of(list(found), today or timezone.localdate()):
            found.setdefault(person.pk, person)
    return [person for person in found.values() if may_be_told(person, concern)]


def covers_of(person_ids: list[int], today: dt.date) -> list[User]:
    """Whoever covers today for any of these people: they get their reminders."""
    covers = Cover.objects.filter(
        person_id__in=person_ids, starts__lte=today, ends__gte=today
    ).select_related("cover")
    return [c.cover for c in covers.order_by("pk")]


def may_be_told(person: User, concern: Concern | None) -> bool:
    if not person.is_active:
        return False
    return concern is None or access.can(person, concern, Action.VIEW)
