"""Raising a concern: the immediate-risk question first, then the details; and editing drafts.

The risk answer travels in the session between steps, so every step works without JavaScript.
A one-time token per form stops a resubmitted form from raising the concern twice.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from concerns import selectors, services
from concerns.errors import ActionRefused, InvalidInput
from concerns.forms.raising import ConcernForm, DraftEditForm, RiskForm, SafeguardingActionForm
from concerns.models import Concern

from .common import actor, apply_errors, concern_or_404

SESSION_KEY = "raise"


@require_http_methods(["GET", "POST"])
@login_required
def raise_start(request: HttpRequest) -> HttpResponse:
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        at_risk = form.cleaned_data["immediate_risk"]
        request.session[SESSION_KEY] = {"immediate_risk": at_risk, "safeguarding_action": ""}
        return redirect("concern-raise-urgent" if at_risk else "concern-raise-details")
    return render(request, "concerns/raise_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def raise_urgent(request: HttpRequest) -> HttpResponse:
    answers = request.session.get(SESSION_KEY)
    if not answers or not answers.get("immediate_risk"):
        return redirect("concern-raise")
    form = SafeguardingActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers["safeguarding_action"] = form.cleaned_data["safeguarding_action"]
        request.session[SESSION_KEY] = answers
        return redirect("concern-raise-details")
    context = {"form": form, "urgent_routes": selectors.urgent_routes()}
    return render(request, "concerns/raise_urgent.html", context)


def draft_data(data: dict[str, Any], answers: dict[str, Any]) -> services.DraftData:
    return services.DraftData(
        child_initials=data["child_initials"],
        child_date_of_birth=data["child_date_of_birth"],
        child_unborn=data["child_unborn"],
        raising_agency_case_number=data["raising_agency_case_number"],
        receiving_agency=data["receiving_agency"],
        receiving_practitioner=data["receiving_practitioner"],
        receiving_contact_name=data["receiving_contact_name"],
        receiving_contact_role=data["receiving_contact_role"],
        receiving_contact_team=data["receiving_contact_team"],
        receiving_contact_phone=data["receiving_contact_phone"],
        receiving_contact_email=data["receiving_contact_email"],
        receiving_agency_case_number=data["receiving_agency_case_number"],
        category=data["category"],
        level_of_need=data["level_of_need"],
        summary=data["summary"],
        outcome_sought=data["outcome_sought"],
        child_voice=data["child_voice"],
        child_voice_missing=data["child_voice_missing"] or "",
        child_voice_missing_detail=data["child_voice_missing_detail"],
        other_procedure=data["other_procedure"] or "",
        themes=list(data["themes"]),
        immediate_risk=answers.get("immediate_risk"),
        safeguarding_action=answers.get("safeguarding_action", ""),
    )


def submit_data(data: dict[str, Any], answers: dict[str, Any]) -> services.SubmitData:
    return services.SubmitData(
        immediate_risk=answers.get("immediate_risk"),
        safeguarding_action=answers.get("safeguarding_action", ""),
        consulted_manager=data["consulted_manager"],
        other_practitioner_contacted_at=data["other_practitioner_contacted_at"],
        lead_professional_told=data["lead_professional_told"],
    )


@require_http_methods(["GET", "POST"])
@login_required
def raise_details(request: HttpRequest) -> HttpResponse:
    used = request.session.get("raised_tokens", {})
    token = request.POST.get("token", "")
    if token in used:  # the same form sent twice: show what the first one made
        return redirect("concern-detail", concern_id=used[token])
    answers = request.session.get(SESSION_KEY)
    if not answers:
        return redirect("concern-raise")
    submitting = request.POST.get("action") == "submit"
    form = ConcernForm(request.POST or None, actor=actor(request), submitting=submitting)
    domain_error = ""
    duplicates = None
    if request.method == "POST" and form.is_valid() and not request.POST.get("duplicates_seen"):
        data = form.cleaned_data
        receiving = data.get("receiving_agency")
        duplicates = selectors.possible_duplicates(
            actor(request),
            initials=data.get("child_initials") or "",
            born=data.get("child_date_of_birth"),
            receiving_agency_id=receiving.pk if receiving else None,
        )
    if request.method == "POST" and form.is_valid() and not duplicates:
        try:
            concern = create(request, form.cleaned_data, answers, submitting, token)
        except InvalidInput as error:
            domain_error = apply_errors(form, error)
        except ActionRefused as refusal:
            domain_error = refusal.message
        else:
            request.session["raised_tokens"] = {**used, token: concern.pk}
            request.session.pop(SESSION_KEY, None)
            done = "submitted: stage 1 has started" if submitting else "saved as a draft"
            messages.success(request, f"Concern {concern.reference} {done}.")
            return redirect("concern-detail", concern_id=concern.pk)
    return render(
        request,
        "concerns/raise_details.html",
        {
            "form": form,
            "answers": answers,
            "urgent_routes": selectors.urgent_routes(),
            "domain_error": domain_error,
            "token": token or secrets.token_urlsafe(16),
            "duplicates": duplicates,
        },
    )


def create(
    request: HttpRequest,
    data: dict[str, Any],
    answers: dict[str, Any],
    submitting: bool,
    token: str,
) -> Concern:
    """The form's one-time token is the database's claim: the same form posted again, even
    at the same moment from another tab, shows the concern the first post raised."""
    return services.concern_raise(
        actor=actor(request),
        draft=draft_data(data, answers),
        submission=submit_data(data, answers) if submitting else None,
        submission_key=token,
    )


EDITABLE = [
    "child_initials",
    "child_date_of_birth",
    "child_unborn",
    "raising_agency_case_number",
    "receiving_agency",
    "receiving_practitioner",
    "receiving_contact_name",
    "receiving_contact_role",
    "receiving_contact_team",
    "receiving_contact_phone",
    "receiving_contact_email",
    "receiving_agency_case_number",
    "other_procedure",
    "category",
    "level_of_need",
    "summary",
    "outcome_sought",
    "child_voice",
    "child_voice_missing",
    "child_voice_missing_detail",
    "immediate_risk",
    "safeguarding_action",
    "consulted_manager",
    "other_practitioner_contacted_at",
    "lead_professional_told",
]


def initial_for(concern: Concern) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(concern, name) for name in EDITABLE}
    risk = concern.immediate_risk
    initial["immediate_risk"] = None if risk is None else ("yes" if risk else "no")
    initial["themes"] = list(concern.themes.all())
    initial["version"] = concern.version
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def edit_draft(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = concern_or_404(request, concern_id)
    submitting = request.POST.get("action") == "submit"
    form = DraftEditForm(
        request.POST or None,
        initial=initial_for(concern),
        actor=actor(request),
        submitting=submitting,
    )
    domain_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            save_draft(request, concern, form.cleaned_data, submitting)
        except InvalidInput as error:
            domain_error = apply_errors(form, error)
        except ActionRefused as refusal:
            domain_error = refusal.message
        else:
            done = "submitted: stage 1 has started" if submitting else "saved"
            messages.success(request, f"Concern {concern.reference} {done}.")
            return redirect("concern-detail", concern_id=concern.pk)
    return render(
        request,
        "concerns/edit_draft.html",
        {
            "form": form,
            "concern": concern,
            "domain_error": domain_error,
        },
    )


def save_draft(
    request: HttpRequest, concern: Concern, data: dict[str, Any], submitting: bool
) -> None:
    answers = {
        "immediate_risk": data["immediate_risk"],
        "safeguarding_action": data["safeguarding_action"],
    }
    draft = draft_data(data, answers)
    common = {"concern_id": concern.pk, "actor": actor(request), "seen_version": data["version"]}
    if submitting:
        services.concern_submit_draft(draft=draft, submission=submit_data(data, answers), **common)
    else:
        services.concern_update_draft(data=draft, **common)
