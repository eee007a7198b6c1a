"""Every scoped read. Lists, pages, exports and notifications all start here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from concerns import access
from concerns.access import Action
from concerns.errors import NotVisible
from concerns.models import CaseEvent, Concern, DiscussionNote, User
from concerns.models.people import PARTNERSHIP_ROLES


def concern_list_for(user: User) -> QuerySet[Concern]:
    return Concern.objects.filter(access.visible_concerns_q(user)).select_related(
        "raising_agency", "receiving_agency", "raised_by", "receiving_practitioner"
    )


def concern_get_for(user: User, concern_id: int) -> Concern:
    """The concern if `user` may see it; otherwise NotVisible (a 404 to the web)."""
    concern = concern_list_for(user).filter(pk=concern_id).first()
    if concern is None or not access.can(user, concern, Action.VIEW):
        raise NotVisible()
    return concern


def note_list_for(user: User, concern: Concern) -> QuerySet[DiscussionNote]:
    """Notes of a concern the user can see; agency-internal notes stay within the agency."""
    if not access.can(user, concern, Action.VIEW):
        return DiscussionNote.objects.none()
    notes = concern.notes.select_related("author", "author__agency")
    if user.role in PARTNERSHIP_ROLES:
        return notes
    return notes.filter(Q(internal=False) | Q(author__agency_id=user.agency_id))


def event_list_for(user: User, concern: Concern) -> QuerySet[CaseEvent]:
    if not access.can(user, concern, Action.VIEW):
        return CaseEvent.objects.none()
    return concern.events.select_related("actor", "actor__agency").order_by("-sequence")
