"""Every scoped read. Lists, pages, exports and notifications all start here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from concerns import access
from concerns.access import Action
from concerns.errors import NotVisible
from concerns.models import (
    AgreedAction,
    CaseEvent,
    Concern,
    Confirmation,
    DiscussionNote,
    Holder,
    Stage,
    UrgentRoute,
    User,
)
from concerns.models.concern import OPEN_STATES, State, overdue_q, running_clock_q
from concerns.models.people import MANAGER_ROLES, PARTNERSHIP_ROLES, SENIORITY, Role
from concerns.models.records import ActionStatus, OutcomeProposal, ProposalStatus, StagePeriod
from concerns.process import Stages
from concerns.search import search_q

ORDERINGS: dict[str, list[Any]] = {
    # Concerns with no deadline (drafts, closed) after those with one, on any database.
    "due": [F("due_date").asc(nulls_last=True), "-created_at"],
    "-due": ["-due_date", "-created_at"],
    "-created": ["-created_at"],
}


def concern_list_for(
    user: User, filters: Mapping[str, Any] | None = None, *, today: dt.date | None = None
) -> QuerySet[Concern]:
    """Every concern `user` may see. Given `filters` (the concern list's: reference, state,
    stage, agency, category, overdue, sort), they narrow and sort it; "overdue" counts from
    `today`, which that filter then needs."""
    concerns = Concern.objects.filter(access.visible_concerns_q(user)).select_related(
        "raising_agency", "receiving_agency", "raised_by", "receiving_practitioner"
    )
    if filters is None:
        return concerns
    if filters.get("q") or filters.get("born"):
        concerns = concerns.filter(search_q(user, filters.get("q") or "", filters.get("born")))
    return filter_concerns(concerns, filters, today=today)


def filter_concerns(
    concerns: QuerySet[Concern], data: Mapping[str, Any], *, today: dt.date | None
) -> QuerySet[Concern]:
    if data.get("reference"):
        concerns = concerns.filter(reference__icontains=data["reference"].strip())
    if data.get("state") == "open":
        concerns = concerns.filter(state__in=OPEN_STATES)
    elif data.get("state"):
        concerns = concerns.filter(state=data["state"])
    if data.get("stage"):
        concerns = concerns.filter(state=f"stage_{data['stage']}")
    if data.get("agency"):
        concerns = concerns.filter(involving(data["agency"]))
    if data.get("category"):
        concerns = concerns.filter(category=data["category"])
    if data.get("overdue"):
        if today is None:
            raise ValueError("The overdue filter needs today's date.")
        concerns = concerns.filter(overdue_q(today))
    return concerns.order_by(*ORDERINGS.get(data.get("sort") or "due", ORDERINGS["due"]))


def involving(agency: object) -> Q:
    return Q(raising_agency=agency) | Q(receiving_agency=agency)


def highest_stage_q() -> Subquery:
    """The highest stage a concern reached, as a subquery to annotate a list with."""
    periods = StagePeriod.objects.filter(concern=OuterRef("pk")).order_by("-number")
    return Subquery(periods.values("number")[:1], output_field=IntegerField())


def audit_queue_for(user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Concern]:
    """The auditor's queue: closed concerns, longest closed first, each annotated with the
    highest stage it reached (`highest`), narrowed by `filters` (agency, category, highest
    stage) if given. Anyone but an auditor is refused with NotVisible (a 404 to the web)."""
    if not access.may_audit(user):
        raise NotVisible()
    queue = (
        concern_list_for(user)
        .filter(state=State.CLOSED)
        .annotate(highest=highest_stage_q())
        .order_by("closed_at")
    )
    data = filters or {}
    if data.get("agency"):
        queue = queue.filter(involving(data["agency"]))
    if data.get("category"):
        queue = queue.filter(category=data["category"])
    if data.get("stage"):
        reached = StagePeriod.objects.filter(concern=OuterRef("pk"))
        queue = queue.filter(
            Exists(reached.filter(number=data["stage"])),
            ~Exists(reached.filter(number__gt=data["stage"])),
        )
    return queue


def concern_get_for(user: User, concern_id: int) -> Concern:
    """The concern if `user` may see it; otherwise NotVisible (a 404 to the web)."""
    # The holders (and the manager consulted) come in the same row: the concern page names them.
    holders = ("raising_holder", "receiving_holder", "partnership_holder", "consulted_manager")
    concern = concern_list_for(user).select_related(*holders).filter(pk=concern_id).first()
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
    """The concern's events this person may see: another agency's internal notes are not
    even shown to exist (their author and time are theirs)."""
    if not access.can(user, concern, Action.VIEW):
        return CaseEvent.objects.none()
    events = concern.events.select_related("actor", "actor__agency").order_by("-sequence")
    if user.role in PARTNERSHIP_ROLES:
        return events
    theirs = Q(kind="note.recorded", payload__internal=True) & ~Q(
        actor__agency_id=user.agency_id or 0
    )
    return events.exclude(theirs)


# --- What needs a person's attention (the home page).


def action_needed_q(user: User, stages: Stages | None = None) -> Q:
    """Concerns waiting for this person: drafts, stages they hold (as a practitioner or a
    named holder), a proposed outcome awaiting the raiser's own answer, outcomes their agency
    has still to confirm."""
    held = (stages or Stages.load()).states_held_by
    q = Q(state=State.DRAFT, raised_by=user)
    mine = Q(raised_by=user) | Q(receiving_practitioner=user)
    q |= Q(state__in=held(Holder.PRACTITIONERS)) & mine
    named = Q(raising_holder=user) | Q(receiving_holder=user)
    q |= Q(state__in=held(Holder.MANAGERS)) & named
    mine |= named | Q(consulted_manager=user)
    if user.is_safeguarding_lead and user.agency_id:
        mine |= Q(raising_agency_id=user.agency_id) | Q(receiving_agency_id=user.agency_id)
    if user.role == Role.PARTNERSHIP_OFFICER:
        q |= Q(state__in=held(Holder.PARTNERSHIP))
    # The raiser's own answer to a proposed outcome, at a stage they do not hold.
    raisers_answer = OutcomeProposal.objects.filter(
        concern=OuterRef("pk"), status=ProposalStatus.PENDING, needs_raiser=True, raiser_answer=""
    )
    q |= Q(Exists(raisers_answer), raised_by=user)
    confirmed = Confirmation.objects.filter(concern=OuterRef("pk"), agency_id=user.agency_id or 0)
    awaiting_confirmation = Q(Q(state=State.RESOLVED) & mine, ~Exists(confirmed))
    return q | awaiting_confirmation


def concern_action_list_for(user: User, stages: Stages | None = None) -> QuerySet[Concern]:
    return concern_list_for(user).filter(action_needed_q(user, stages)).order_by("due_date", "pk")


def overdue_actions_for(user: User, today: dt.date) -> QuerySet[AgreedAction]:
    """Agreed actions past their due date and still open, of concerns this person may see,
    that they own or their agency owns (the business unit follows up every one). Closing a
    concern does not end its actions, so closed concerns count too."""
    actions = AgreedAction.objects.filter(
        status=ActionStatus.OPEN, due_date__lt=today, concern__in=concern_list_for(user)
    )
    if user.role != Role.PARTNERSHIP_OFFICER:
        actions = actions.filter(Q(owner=user) | Q(owner_agency_id=user.agency_id or 0))
    return actions.select_related("concern", "owner_agency", "owner").order_by("due_date", "pk")


def left_behind_q(agency_id: int) -> Q:
    """Open concerns where someone of the agency named in them has been deactivated (left):
    the raiser, the named practitioner, or a named holder."""
    raising = Q(raising_agency_id=agency_id) & (
        Q(raised_by__is_active=False) | Q(raising_holder__is_active=False)
    )
    receiving = Q(receiving_agency_id=agency_id) & (
        Q(receiving_practitioner__is_active=False) | Q(receiving_holder__is_active=False)
    )
    return Q(state__in=[*OPEN_STATES, State.RESOLVED]) & (raising | receiving)


def left_behind_for(user: User) -> QuerySet[Concern]:
    """For a safeguarding lead: their agency's open concerns whose named person has left, to
    hand over. Nobody else is shown these."""
    if not user.is_safeguarding_lead or not user.agency_id:
        return Concern.objects.none()
    return concern_list_for(user).filter(left_behind_q(user.agency_id)).order_by("due_date", "pk")


def concern_overdue_list_for(user: User, today: dt.date) -> QuerySet[Concern]:
    return concern_list_for(user).filter(overdue_q(today))


def concern_due_soon_list_for(user: User, today: dt.date, until: dt.date) -> QuerySet[Concern]:
    return concern_list_for(user).filter(
        running_clock_q(), due_date__gte=today, due_date__lte=until
    )


# --- Timescales, as the audit and the concern page show them (computed, never typed).


@dataclass(frozen=True)
class StageTimescale:
    number: int
    name: str
    started: dt.date
    due: dt.date
    ended: dt.date | None
    working_days: int | None

    @property
    def met(self) -> bool | None:
        return None if self.ended is None else self.ended <= self.due


def stage_timescales(concern: Concern) -> list[StageTimescale]:
    periods = concern.stage_periods.select_related("stage").order_by("number")
    return [
        StageTimescale(
            number=p.number,
            name=p.stage.name,
            started=timezone.localdate(p.started_at),
            due=p.due_date,
            ended=timezone.localdate(p.ended_at) if p.ended_at else None,
            working_days=p.working_days,
        )
        for p in periods
    ]


def both_agencies_recorded(concern: Concern) -> bool:
    agencies = set(concern.confirmations.values_list("agency_id", flat=True))
    return {concern.raising_agency_id, concern.receiving_agency_id} <= agencies


# --- People who may be named: the queryset form of the services' rules (tests check both agree).


def holder_candidates(agency_id: int, stage: Stage) -> QuerySet[User]:
    """Who may be named to hold `stage` for an agency (services.stages.may_hold)."""
    least = SENIORITY[Role(stage.holder_seniority)]
    ranks = [role for role, rank in SENIORITY.items() if rank >= least]
    eligible = Q(role__in=ranks)
    if stage.holder_seniority == Role.MANAGER:
        eligible |= Q(is_safeguarding_lead=True)
    return User.objects.filter(eligible, agency_id=agency_id, is_active=True).order_by("full_name")


def adviser_candidates(agency_id: int | None) -> QuerySet[User]:
    """The managers and safeguarding leads a raiser may have consulted (drafting.may_advise)."""
    senior = Q(role__in=MANAGER_ROLES) | Q(is_safeguarding_lead=True)
    return User.objects.filter(senior, agency_id=agency_id or 0, is_active=True)


def urgent_routes() -> list[str]:
    """The routes for a child at risk of significant harm now, as the partnership keeps them."""
    return list(UrgentRoute.objects.filter(is_active=True).values_list("text", flat=True))


@dataclass(frozen=True)
class PossibleDuplicates:
    """Open concerns between the same two agencies about a child with the same initials and
    date of birth: those this person may open, and how many more they may not."""

    visible: list[tuple[int, str]]
    hidden: int

    def __bool__(self) -> bool:
        return bool(self.visible or self.hidden)


def possible_duplicates(
    user: User, *, initials: str, born: dt.date | None, receiving_agency_id: int | None
) -> PossibleDuplicates:
    if not (initials and born and receiving_agency_id and user.agency_id):
        return PossibleDuplicates([], 0)
    same = Concern.objects.filter(
        state__in=OPEN_STATES,
        raising_agency_id=user.agency_id,
        receiving_agency_id=receiving_agency_id,
        child_initials__iexact=initials.strip(),
        child_date_of_birth=born,
    )
    visible = list(same.filter(access.visible_concerns_q(user)).values_list("pk", "reference"))
    return PossibleDuplicates(visible, same.count() - len(visible))
