"""One view per thing a person can do to a concern: validate a form, call one service, redirect.

A refused action (wrong person, wrong state, or someone else got there first) re-renders with
the reason in the error summary; nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from concerns import process, services
from concerns.access import Action
from concerns.calendar import deadline, format_day
from concerns.errors import ActionRefused, ConcernChanged
from concerns.forms import actions as action_forms
from concerns.models import AgreedAction, Concern, User
from concerns.process import Moment
from concerns.services.actions import may_update

from .common import actor, attempt, concern_or_404, refusals, today
from .detail import detail_context, proposal_view

Run = Callable[[Concern, User, dict[str, Any]], object]


@dataclass
class Step:
    """What one action needs: who may, its form, the service call and what to say after."""

    action: Action
    title: str
    form: Callable[..., forms.Form]
    run: Run
    done: str | Callable[[Concern], str]


def escalation(data: dict[str, Any], cls: type = services.EscalationData, **extra: Any) -> Any:
    return cls(
        reason=data["reason"],
        raising_position=data["raising_position"],
        receiving_position=data["receiving_position"],
        raising_holder=data.get("raising_holder"),
        receiving_holder=data.get("receiving_holder"),
        partnership_holder=data.get("partnership_holder"),
        **extra,
    )


def run_escalate(concern: Concern, user: User, data: dict[str, Any]) -> object:
    return services.concern_escalate(
        concern_id=concern.pk, actor=user, data=escalation(data), seen_version=data["version"]
    )


def run_urgent(concern: Concern, user: User, data: dict[str, Any]) -> object:
    payload = escalation(
        data,
        services.UrgentEscalationData,
        urgency=data["urgency"],
        within_24_hours=data["within_24_hours"],
    )
    return services.concern_escalate_urgently(
        concern_id=concern.pk, actor=user, data=payload, seen_version=data["version"]
    )


def run_propose(concern: Concern, user: User, data: dict[str, Any]) -> object:
    actions = [
        services.ActionData(
            owner_agency=row["owner_agency"],
            owner=row.get("owner"),
            description=row["description"],
            due_date=row["due_date"],
        )
        for row in data["actions"]
        if row.get("description")
    ]
    payload = services.ProposalData(
        outcome_statement=data["outcome_statement"], decision=data["decision"], actions=actions
    )
    return services.concern_propose(
        concern_id=concern.pk, actor=user, data=payload, seen_version=data["version"]
    )


def run_dispute(concern: Concern, user: User, data: dict[str, Any]) -> object:
    return services.concern_dispute(
        concern_id=concern.pk, actor=user, reason=data["reason"], seen_version=data["version"]
    )


def run_reopen(concern: Concern, user: User, data: dict[str, Any]) -> object:
    return services.concern_reopen(
        concern_id=concern.pk,
        actor=user,
        new_information=data["new_information"],
        seen_version=data["version"],
    )


def run_hand_over(concern: Concern, user: User, data: dict[str, Any]) -> object:
    payload = services.HandoverData(
        role=data["role"], to_person=data["to_person"], reason=data["reason"]
    )
    return services.concern_hand_over(
        concern_id=concern.pk, actor=user, data=payload, seen_version=data["version"]
    )


def run_confirm(concern: Concern, user: User, data: dict[str, Any]) -> object:
    return services.concern_confirm(
        concern_id=concern.pk,
        actor=user,
        seen_version=data["version"],
        system=data["system"],
        record_reference=data["record_reference"],
    )


def run_withdraw(concern: Concern, user: User, data: dict[str, Any]) -> object:
    payload = services.WithdrawalData(reason=data["reason"], agreed_by=data.get("agreed_by"))
    return services.concern_withdraw(
        concern_id=concern.pk, actor=user, data=payload, seen_version=data["version"]
    )


def run_note(concern: Concern, user: User, data: dict[str, Any]) -> object:
    payload = services.NoteData(
        occurred_at=data["occurred_at"],
        with_whom=data["with_whom"],
        method=data["method"],
        discussion=data["discussion"],
        agreed=data["agreed"],
        internal=data["internal"],
        submission_key=data["submission_key"],
    )
    return services.note_create(concern_id=concern.pk, actor=user, data=payload)


def run_pause(concern: Concern, user: User, data: dict[str, Any]) -> object:
    payload = services.PauseData(
        reason=data["reason"], resume_expected=data["resume_expected"], detail=data["detail"]
    )
    return services.concern_pause(
        concern_id=concern.pk, actor=user, data=payload, seen_version=data["version"]
    )


STEPS: dict[str, Step] = {
    "confirm": Step(
        Action.CONFIRM,
        "Confirm the outcome is on your records",
        lambda m, u, *a, **k: action_forms.ConfirmForm(*a, **k),
        run_confirm,
        lambda concern: (
            "closed: both agencies have confirmed the outcome is on their records"
            if concern.state == "closed"
            else "confirmed as recorded on your agency's records"
        ),
    ),
    "escalate": Step(
        Action.ESCALATE,
        "Escalate",
        lambda m, u, *a, **k: action_forms.EscalateForm(
            *a, concern=m.concern, target=m.stages.escalation_target(m.concern), **k
        ),
        run_escalate,
        "escalated",
    ),
    "escalate-urgently": Step(
        Action.URGENT_ESCALATE,
        "Urgent escalation",
        lambda m, u, *a, **k: action_forms.UrgentEscalateForm(
            *a, concern=m.concern, target=m.stages.urgent_target(m.concern), **k
        ),
        run_urgent,
        "escalated urgently",
    ),
    "propose": Step(
        Action.PROPOSE,
        "Propose an outcome",
        lambda m, u, *a, **k: action_forms.ProposeForm(*a, **k),
        run_propose,
        "has a proposed outcome: the other side is asked to accept or dispute it",
    ),
    "dispute": Step(
        Action.DISPUTE,
        "Dispute the proposed outcome",
        lambda m, u, *a, **k: action_forms.DisputeForm(
            *a, raiser_only=process.answer_slot(u, m) == "raiser", **k
        ),
        run_dispute,
        "has your answer to the proposed outcome on its record",
    ),
    "hand-over": Step(
        Action.HAND_OVER,
        "Hand over",
        lambda m, u, *a, **k: action_forms.HandOverForm(*a, concern=m.concern, user=u, **k),
        run_hand_over,
        "handed over: the new person is told",
    ),
    "reopen": Step(
        Action.REOPEN,
        "Reopen",
        lambda m, u, *a, **k: action_forms.ReopenForm(*a, **k),
        run_reopen,
        "reopened: it is back at its stage with a new deadline",
    ),
    "withdraw": Step(
        Action.WITHDRAW,
        "Withdraw",
        lambda m, u, *a, **k: action_forms.WithdrawForm(*a, concern=m.concern, **k),
        run_withdraw,
        "withdrawn",
    ),
    "pause": Step(
        Action.PAUSE,
        "Pause",
        lambda m, u, *a, **k: action_forms.PauseForm(*a, **k),
        run_pause,
        "paused: its clock has stopped",
    ),
    "note": Step(
        Action.NOTE,
        "Record a discussion",
        lambda m, u, *a, **k: action_forms.NoteForm(*a, **k),
        run_note,
        "now has the discussion on its record",
    ),
}


def bound_forms(step_name: str, moment: Moment, request: HttpRequest) -> tuple[Any, Any]:
    step = STEPS[step_name]
    data = request.POST if request.method == "POST" else None
    # The raiser answering for themselves is asked why they do not accept, not why they dispute.
    form = step.form(moment, actor(request), data, initial={"version": moment.concern.version})
    formset = None
    if step_name == "propose":
        formset = action_forms.ActionFormSet(
            data, prefix="actions", form_kwargs={"concern": moment.concern}
        )
    return form, formset


def step_heading(step_name: str, step: Step, moment: Moment) -> tuple[str, str]:
    """The page's heading, and for an escalation where it goes and when that stage is due
    if it is escalated today (issue 11: it said only "Escalate")."""
    stages = moment.stages
    target = {
        "escalate": stages.escalation_target,
        "escalate-urgently": stages.urgent_target,
    }.get(step_name, lambda concern: None)(moment.concern)
    if target is None:
        return step.title, ""
    heading = f"{step.title} to stage {target.number}: {target.name}"
    if not target.working_days:
        return heading, ""
    due = deadline(moment.today, target.working_days)
    return heading, f"Escalated today, stage {target.number} is due on {format_day(due.due)}."


def valid(form: forms.Form, formset: Any) -> bool:
    ok = form.is_valid()
    if formset is not None:
        ok = formset.is_valid() and ok
        if ok:
            form.cleaned_data["actions"] = formset.cleaned_data
    return ok


@require_http_methods(["GET", "POST"])
@login_required
def concern_step(request: HttpRequest, concern_id: int, step_name: str) -> HttpResponse:
    concern = concern_or_404(request, concern_id)
    step, user = STEPS[step_name], actor(request)
    moment = Moment(concern, today=today())
    form, formset = bound_forms(step_name, moment, request)
    result = attempt(
        request,
        concern,
        step.action,
        form,
        is_valid=lambda: valid(form, formset),
        run=lambda: step.run(concern, user, form.cleaned_data),
        moment=moment,
    )
    if result.done:
        concern.refresh_from_db(fields=["state"])
        done = step.done(concern) if callable(step.done) else step.done
        messages.success(request, f"Concern {concern.reference} {done}.")
        return redirect("concern-detail", concern_id=concern.pk)
    heading, lead = step_heading(step_name, step, moment)
    return render(
        request,
        "concerns/step.html",
        {
            "concern": concern,
            "form": form,
            "formset": formset,
            "step": step,
            "heading": heading,
            "lead": lead,
            "step_name": step_name,
            "domain_error": result.refused,
            "proposal": proposal_view(moment) if step_name == "dispute" else None,
        },
        status=result.status,
    )


def one_click(
    run: Callable[..., Concern], done: Callable[[Concern], str]
) -> Callable[..., HttpResponse]:
    @require_POST
    @login_required
    def view(request: HttpRequest, concern_id: int) -> HttpResponse:
        concern = concern_or_404(request, concern_id)
        version = request.POST.get("version") or ""
        try:
            if version and not version.isdigit():
                raise ActionRefused(
                    "This form did not come from the page as it was: reload the page and try again."
                )
            concern = run(
                concern_id=concern.pk,
                actor=actor(request),
                seen_version=int(version) if version else None,
            )
        except (ActionRefused, ConcernChanged) as refusal:
            refusals.warning(
                "Refused %s on %s for person %s: %s",
                run.__name__,
                concern.reference,
                request.user.pk,
                refusal.message,
            )
            context = detail_context(request, concern)
            context["domain_error"] = refusal.message
            return render(request, "concerns/detail.html", context, status=409)
        messages.success(request, f"Concern {concern.reference} {done(concern)}.")
        return redirect("concern-detail", concern_id=concern.pk)

    return view


concern_close = one_click(services.concern_close, lambda concern: "closed")
concern_resume = one_click(
    services.concern_resume, lambda concern: f"resumed: now due {concern.due_date:%-d %B %Y}"
)


def accepted_message(concern: Concern) -> str:
    if concern.state == "resolved":
        return "resolved: each agency now confirms the outcome is on its records"
    return "has your acceptance on its record"


concern_accept = one_click(services.concern_accept, accepted_message)


@require_http_methods(["GET", "POST"])
@login_required
def action_update(request: HttpRequest, concern_id: int, action_id: int) -> HttpResponse:
    """Record an agreed action done, or not done with a reason (after the outcome is agreed,
    and after the concern closes)."""
    concern = concern_or_404(request, concern_id)
    agreed = get_object_or_404(AgreedAction, pk=action_id, concern=concern)
    user = actor(request)
    data = request.POST if request.method == "POST" else None
    form = action_forms.ActionUpdateForm(data, initial={"version": concern.version})

    def run() -> object:
        payload = services.ActionUpdateData(
            status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
        return services.action_update(
            action_id=agreed.pk, actor=user, data=payload, seen_version=form.cleaned_data["version"]
        )

    result = attempt(request, concern, Action.UPDATE_ACTION, form, is_valid=form.is_valid, run=run)
    refused = result.refused
    if not refused and not may_update(user, agreed):
        refused = (
            f"This action belongs to {agreed.owner_agency}; only its people can say whether "
            "it was done."
        )
    if result.done:
        messages.success(request, f"Concern {concern.reference}: the action is recorded.")
        return redirect("concern-detail", concern_id=concern.pk)
    return render(
        request,
        "concerns/action_update.html",
        {"concern": concern, "agreed": agreed, "form": form, "domain_error": refused},
        status=result.status,
    )


@require_POST
@login_required
def concern_follow_on(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Raise a follow-on concern: a draft linked to this one, opened for editing."""
    concern = concern_or_404(request, concern_id)
    try:
        draft = services.concern_follow_on(concern_id=concern.pk, actor=actor(request))
    except ActionRefused as refusal:
        context = detail_context(request, concern)
        context["domain_error"] = refusal.message
        return render(request, "concerns/detail.html", context, status=409)
    messages.success(
        request,
        f"Draft {draft.reference} follows {concern.reference}: complete it and submit it.",
    )
    return redirect("concern-edit", concern_id=draft.pk)
