"""The concern page and its full audit history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concerns import access, selectors
from concerns.access import Action
from concerns.audit import verify_all
from concerns.models import Audit, Concern, Stage
from concerns.presentation import chronology, event_title, person_label, stages_by_number
from concerns.services.completion import close_reason

from .common import actor, concern_or_404, today


@dataclass
class Offer:
    """One thing this person may do now: a link to its form, or a one-click POST."""

    label: str
    url_name: str
    post: bool = False
    secondary: bool = False


def offers(
    concern: Concern,
    allowed: list[Action],
    stages: dict[int, Stage],
    confirmed: set[int],
    agency_id: int | None,
    today: dt.date,
) -> list[Offer]:
    found: list[Offer] = []
    if Action.SUBMIT in allowed:
        found.append(Offer("Edit and submit", "concern-edit"))
    if Action.RESOLVE in allowed:
        found.append(Offer("Resolve", "concern-resolve"))
    target = access.escalation_target(concern, stages.values())
    if Action.ESCALATE in allowed and target:
        found.append(Offer(f"Escalate to stage {target.number}", "concern-escalate"))
    urgent = access.urgent_target(concern, stages.values())
    if Action.URGENT_ESCALATE in allowed and urgent:
        label = f"Urgent escalation to stage {urgent.number}"
        found.append(Offer(label, "concern-escalate-urgently", secondary=True))
    if Action.CONFIRM in allowed and agency_id not in confirmed:
        found.append(Offer("Confirm the outcome is on our records", "concern-confirm", post=True))
    if Action.CLOSE in allowed and close_reason(concern, confirmed, today):
        found.append(Offer("Close", "concern-close", post=True))
    if Action.AUDIT in allowed:
        found.append(Offer("Audit", "concern-audit"))
    if Action.NOTE in allowed:
        found.append(Offer("Record a discussion", "concern-note", secondary=True))
    if Action.WITHDRAW in allowed:
        found.append(Offer("Withdraw", "concern-withdraw", secondary=True))
    return found


@require_GET
@login_required
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = concern_or_404(request, concern_id)
    return render(request, "concerns/detail.html", detail_context(request, concern))


def detail_context(request: HttpRequest, concern: Concern) -> dict[str, object]:
    user = actor(request)
    stages = stages_by_number()
    notes = list(selectors.note_list_for(user, concern))
    events = list(selectors.event_list_for(user, concern))
    confirmations = list(concern.confirmations.select_related("agency", "confirmed_by"))
    confirmed = {c.agency_id for c in confirmations}
    now = today()
    return {
        "concern": concern,
        "stage": stages.get(concern.stage_number or 0),
        "stages": stages,
        "overdue": concern.is_overdue(now),
        "chronology": chronology(events, notes, stages),
        "agreed_actions": list(concern.actions.select_related("owner_agency")),
        "confirmations": confirmations,
        "themes": list(concern.themes.all()),
        "audit": Audit.objects.filter(concern=concern).first(),
        "offers": offers(
            concern, access.allowed_actions(user, concern), stages, confirmed, user.agency_id, now
        ),
    }


@require_GET
@login_required
def concern_history(request: HttpRequest, concern_id: int) -> HttpResponse:
    user = actor(request)
    concern = concern_or_404(request, concern_id)
    stages = stages_by_number()
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
