"""The concern page and its full audit history."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concerns import process, selectors
from concerns.access import Action
from concerns.chain import verify_all
from concerns.models import Audit, Concern, User
from concerns.presentation import chronology, event_title, person_label
from concerns.process import Moment, Stages

from .common import actor, concern_or_404, today


@dataclass(frozen=True)
class Offer:
    """One thing this person may do now: a link to its form, or a one-click POST."""

    label: str
    url_name: str
    post: bool = False
    secondary: bool = False


# How each action is offered on the page, in the order the page lists them.
OFFERS: dict[Action, Offer] = {
    Action.SUBMIT: Offer("Edit and submit", "concern-edit"),
    Action.RESOLVE: Offer("Resolve", "concern-resolve"),
    Action.ESCALATE: Offer("Escalate to stage {escalation}", "concern-escalate"),
    Action.URGENT_ESCALATE: Offer(
        "Urgent escalation to stage {urgent}", "concern-escalate-urgently", secondary=True
    ),
    Action.CONFIRM: Offer("Confirm the outcome is on our records", "concern-confirm", post=True),
    Action.CLOSE: Offer("Close", "concern-close", post=True),
    Action.AUDIT: Offer("Audit", "concern-audit"),
    Action.RESUME: Offer("Resume", "concern-resume", post=True),
    Action.NOTE: Offer("Record a discussion", "concern-note", secondary=True),
    Action.PAUSE: Offer("Pause", "concern-pause", secondary=True),
    Action.WITHDRAW: Offer("Withdraw", "concern-withdraw", secondary=True),
}


def offers(user: User, moment: Moment) -> list[Offer]:
    """What the page offers: exactly what `process.actions_now` says the person may do."""
    allowed = set(process.actions_now(user, moment))
    targets = {
        "escalation": getattr(moment.stages.escalation_target(moment.concern), "number", ""),
        "urgent": getattr(moment.stages.urgent_target(moment.concern), "number", ""),
    }
    return [
        replace(offer, label=offer.label.format(**targets))
        for action, offer in OFFERS.items()
        if action in allowed
    ]


@require_GET
@login_required
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = concern_or_404(request, concern_id)
    return render(request, "concerns/detail.html", detail_context(request, concern))


def detail_context(request: HttpRequest, concern: Concern) -> dict[str, object]:
    user = actor(request)
    moment = Moment(concern, today=today())
    stages = moment.stages
    notes = list(selectors.note_list_for(user, concern))
    events = list(selectors.event_list_for(user, concern))
    confirmations = list(concern.confirmations.select_related("agency", "confirmed_by"))
    moment.confirmed = {c.agency_id for c in confirmations}
    return {
        "concern": concern,
        "stage": stages.of(concern),
        "stages": stages,
        "overdue": concern.is_overdue(moment.today),
        "chronology": chronology(events, notes, stages),
        "agreed_actions": list(concern.actions.select_related("owner_agency")),
        "confirmations": confirmations,
        "themes": list(concern.themes.all()),
        "audit": Audit.objects.filter(concern=concern).first(),
        "offers": offers(user, moment),
    }


@require_GET
@login_required
def concern_history(request: HttpRequest, concern_id: int) -> HttpResponse:
    user = actor(request)
    concern = concern_or_404(request, concern_id)
    stages = Stages.load()
    events = list(selectors.event_list_for(user, concern))
    broken = next(iter(verify_all([concern.pk])), None)
    rows = [(e, event_title(e, stages), person_label(e.actor)) for e in events]
    return render(
        request,
        "concerns/history.html",
        {
            "concern": concern,
            "rows": rows,
            "broken": broken,
            "stages": stages,
        },
    )
