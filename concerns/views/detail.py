"""The concern page and its full audit history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from concerns import access, process, selectors
from concerns.access import Action
from concerns.chain import verify_all
from concerns.forms.partnership import ReasonForm
from concerns.models import AgreedAction, Audit, Concern, OutcomeProposal, User
from concerns.models.access_log import Read
from concerns.models.concern import Decision
from concerns.models.records import ProposalStatus, Side
from concerns.presentation import actor_label, chronology, event_title
from concerns.process import Moment, Stages
from concerns.reads import reason_given_today, record_read
from concerns.records_out import HAS_OUTCOME
from concerns.services.actions import may_update

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
    Action.ACCEPT: Offer("Accept this outcome", "concern-accept", post=True),
    Action.DISPUTE: Offer("{dispute}", "concern-dispute", secondary=True),
    Action.PROPOSE: Offer("Propose an outcome", "concern-propose"),
    Action.ESCALATE: Offer("Escalate to stage {escalation}", "concern-escalate"),
    Action.URGENT_ESCALATE: Offer(
        "Urgent escalation to stage {urgent}", "concern-escalate-urgently", secondary=True
    ),
    Action.CONFIRM: Offer("Confirm the outcome is on our records", "concern-confirm"),
    Action.CLOSE: Offer("Close", "concern-close", post=True),
    Action.AUDIT: Offer("Audit", "concern-audit"),
    Action.REOPEN: Offer("Reopen", "concern-reopen", secondary=True),
    Action.HAND_OVER: Offer("Hand over", "concern-hand-over", secondary=True),
    Action.FOLLOW_ON: Offer(
        "Raise a follow-on concern", "concern-follow-on", post=True, secondary=True
    ),
    Action.RESUME: Offer("Resume", "concern-resume", post=True),
    Action.NOTE: Offer("Record a discussion", "concern-note", secondary=True),
    Action.PAUSE: Offer("Pause", "concern-pause", secondary=True),
    Action.WITHDRAW: Offer("Withdraw", "concern-withdraw", secondary=True),
}


def overdue_advice(allowed: set[Action], moment: Moment) -> str:
    """What to do about an overdue stage, in terms of what this person is offered (issue 11:
    it told someone who could only add a note to resolve or escalate)."""
    target = moment.stages.escalation_target(moment.concern)
    escalate = f"escalate it to stage {target.number}" if target else ""
    if Action.PROPOSE in allowed and Action.ESCALATE in allowed and escalate:
        return f"Propose an outcome, or {escalate}."
    if Action.PROPOSE in allowed:
        return "Propose an outcome below."
    if Action.ESCALATE in allowed and escalate:
        return f"You can {escalate}."
    return "The people holding this stage have been reminded. You can add a note."


def offers(user: User, moment: Moment, allowed: set[Action]) -> list[Offer]:
    """What the page offers: exactly what `process.actions_now` says the person may do."""
    raiser_only = process.answer_slot(user, moment) == "raiser"
    targets = {
        "escalation": getattr(moment.stages.escalation_target(moment.concern), "number", ""),
        "urgent": getattr(moment.stages.urgent_target(moment.concern), "number", ""),
        "dispute": "I do not accept it" if raiser_only else "Dispute it",
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
    if needs_reason(actor(request), concern):
        return redirect("concern-reason", concern_id=concern.pk)
    record_read(actor(request), Read.CONCERN, concern=concern, request=request)
    return render(request, "concerns/detail.html", detail_context(request, concern))


def needs_reason(user: User, concern: Concern) -> bool:
    """Partnership staff opening an open concern they do not hold give a reason, once per
    concern per day (need to know, recorded)."""
    staff = user.is_partnership_officer or user.is_partnership_auditor
    if not staff or not concern.is_open or concern.partnership_holder_id == user.pk:
        return False
    return not reason_given_today(user, concern, today())


@require_http_methods(["GET", "POST"])
@login_required
def concern_reason(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = concern_or_404(request, concern_id)
    user = actor(request)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record_read(
            user, Read.REASON, concern=concern, reason=form.cleaned_data["reason"], request=request
        )
        return redirect("concern-detail", concern_id=concern.pk)
    return render(request, "concerns/reason.html", {"concern": concern, "form": form})


def may_see_access(user: User, concern: Concern) -> bool:
    """Partnership staff and the two agencies' safeguarding leads see who has looked."""
    staff = user.is_partnership_officer or user.is_partnership_auditor
    leads = user.is_safeguarding_lead and user.agency_id in (
        concern.raising_agency_id,
        concern.receiving_agency_id,
    )
    return staff or leads


@require_GET
@login_required
def concern_access(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Who has looked at this concern: for partnership staff and the two agencies' leads."""
    concern = concern_or_404(request, concern_id)
    if not may_see_access(actor(request), concern):
        raise Http404("No page here.")
    rows = concern.access_records.select_related("user", "user__agency").order_by("-at")[:200]
    return render(request, "concerns/access.html", {"concern": concern, "rows": rows})


def detail_context(request: HttpRequest, concern: Concern) -> dict[str, object]:
    user = actor(request)
    moment = Moment(concern, today=today())
    stages = moment.stages
    notes = list(selectors.note_list_for(user, concern))
    events = list(selectors.event_list_for(user, concern))
    confirmations = list(concern.confirmations.select_related("agency", "confirmed_by"))
    moment.confirmed = {c.agency_id for c in confirmations}
    allowed = set(process.actions_now(user, moment))  # asked once: offers and advice share it
    overdue = concern.is_overdue(moment.today)
    return {
        "concern": concern,
        "stage": stages.of(concern),
        "stages": stages,
        "overdue": overdue,
        "overdue_advice": overdue_advice(allowed, moment) if overdue else "",
        "chronology": chronology(events, notes, stages),
        "agreed_actions": agreed_actions(user, moment),
        "confirmations": confirmations,
        "themes": list(concern.themes.all()),
        "audit": Audit.objects.filter(concern=concern).first()
        if access.may_see_audit_findings(user)
        else None,
        "offers": offers(user, moment, allowed),
        "proposal": proposal_view(moment),
        "last_dispute": last_dispute(moment),
        "reopen_until": moment.reopen_until,
        "may_see_access": may_see_access(user, concern),
        "may_manage_retention": access.may_manage_retention(user),
        "has_outcome": concern.state in HAS_OUTCOME,
        "can_go_higher": stages.escalation_target(concern) is not None,
        "follows": concern.follows
        if concern.follows_id and can_see(user, concern.follows)
        else None,
        "follow_ons": follow_ons(user, concern),
    }


@dataclass(frozen=True)
class ActionRow:
    action: AgreedAction
    overdue: bool
    may_record: bool


def agreed_actions(user: User, moment: Moment) -> list[ActionRow]:
    """The agreed actions, each with whether it is overdue and whether this person may record
    what became of it (the owning agency's people, its named owner, the business unit)."""
    rows = list(moment.concern.actions.select_related("owner_agency", "owner", "completed_by"))
    if not rows:
        return []
    allowed = process.refusal(user, moment, Action.UPDATE_ACTION, explain=False) is None
    return [
        ActionRow(
            action=a,
            overdue=a.is_overdue(moment.today),
            may_record=allowed and a.is_open and may_update(user, a),
        )
        for a in rows
    ]


@dataclass(frozen=True)
class ProposalView:
    """A pending proposal as the page shows it: what, by whom, and whose answers it awaits."""

    proposal: OutcomeProposal
    actions: list[dict[str, object]]
    waiting_for: list[str]

    @property
    def decision_label(self) -> str:
        return Decision(self.proposal.decision).label


def proposal_view(moment: Moment) -> ProposalView | None:
    proposal = moment.proposal
    if proposal is None:
        return None
    concern = moment.concern
    agencies = {concern.raising_agency_id: concern.raising_agency.name}
    agencies[concern.receiving_agency_id] = concern.receiving_agency.name
    waiting = process.awaited_from(proposal, concern)
    # Everyone the box names (action owners, whoever must answer), in one read.
    named = [a["owner"] for a in proposal.actions if a.get("owner")]
    named += [person for person in waiting.values() if person]
    names = dict(User.objects.filter(pk__in=named).values_list("pk", "full_name"))
    actions: list[dict[str, object]] = [
        {
            "agency": agencies.get(row["owner_agency"], ""),
            "owner": names.get(row.get("owner") or 0, ""),
            "description": row["description"],
            "due_date": dt.date.fromisoformat(row["due_date"]),
        }
        for row in proposal.actions
    ]
    other = concern.raising_agency if proposal.side == Side.RECEIVING else concern.receiving_agency
    words = {
        "other": f"the other side's answer ({{}}, for {other.name})",
        "raiser": "the raiser's own answer ({}, for themselves)",
    }
    waiting_for = [
        words[slot].format(names.get(person or 0, "nobody named"))
        for slot, person in waiting.items()
    ]
    return ProposalView(proposal, actions, waiting_for)


def follow_ons(user: User, concern: Concern) -> list[tuple[int, str]]:
    """The follow-on concerns this person may see (only a closed concern has any)."""
    if concern.state not in ("closed", "audited"):
        return []
    found = selectors.concern_list_for(user).filter(follows=concern)
    return list(found.values_list("pk", "reference"))


def can_see(user: User, concern: Concern | None) -> bool:
    return concern is not None and access.can(user, concern, Action.VIEW)


def last_dispute(moment: Moment) -> OutcomeProposal | None:
    """The proposal the other side disputed at the concern's present stage, if it was the
    last one proposed there."""
    latest = moment.latest_proposal
    return latest if latest is not None and latest.status == ProposalStatus.DISPUTED else None


@require_GET
@login_required
def concern_history(request: HttpRequest, concern_id: int) -> HttpResponse:
    user = actor(request)
    concern = concern_or_404(request, concern_id)
    if needs_reason(user, concern):  # the history opens the concern as much as its page
        return redirect("concern-reason", concern_id=concern.pk)
    record_read(user, Read.HISTORY, concern=concern, request=request)
    stages = Stages.load()
    events = list(selectors.event_list_for(user, concern))
    broken = next(iter(verify_all([concern.pk])), None)
    rows = [(e, event_title(e, stages), actor_label(e)) for e in events]
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
