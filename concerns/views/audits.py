"""The partnership auditor's queue of closed concerns, random sampling, and the audit form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from concerns import selectors, services
from concerns.access import Action
from concerns.errors import NotVisible
from concerns.forms.partnership import (
    AuditActionFormSet,
    AuditForm,
    AuditQueueFilterForm,
    SampleForm,
)
from concerns.models import Concern
from concerns.process import Stages

from .common import actor, attempt, concern_or_404, today

SAMPLE_KEY = "audit_sample"


def queue_or_404(request: HttpRequest) -> QuerySet[Concern]:
    try:
        return selectors.audit_queue_for(actor(request))
    except NotVisible as refusal:
        raise Http404("No audit queue here.") from refusal


@require_http_methods(["GET"])
@login_required
def audit_queue(request: HttpRequest) -> HttpResponse:
    queue = queue_or_404(request)
    form = AuditQueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sample_ids = request.session.get(SAMPLE_KEY, [])
    return render(
        request,
        "audits/queue.html",
        {
            "form": form,
            "sample_form": SampleForm(initial={"size": 10}),
            "concerns": list(selectors.audit_queue_for(actor(request), data)[:200]),
            "sample": list(queue.filter(pk__in=sample_ids)),
            "stages": Stages.load(),
            "today": today(),
        },
    )


@require_POST
@login_required
def audit_sample(request: HttpRequest) -> HttpResponse:
    queue = queue_or_404(request)
    form = SampleForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "audits/queue.html",
            {
                "form": AuditQueueFilterForm(),
                "sample_form": form,
                "concerns": list(queue[:200]),
                "sample": [],
                "stages": Stages.load(),
                "today": today(),
            },
        )
    picked = services.audit_sample(
        actor=actor(request), filters=form.cleaned_data, size=form.cleaned_data["size"]
    )
    request.session[SAMPLE_KEY] = picked
    messages.success(request, f"{len(picked)} closed concerns sampled for audit.")
    return redirect("audit-queue")


@require_http_methods(["GET", "POST"])
@login_required
def audit_concern(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = concern_or_404(request, concern_id)
    user = actor(request)
    data = request.POST if request.method == "POST" else None
    form = AuditForm(data, initial={"version": concern.version})
    formset = AuditActionFormSet(data, prefix="actions")
    result = attempt(
        request,
        concern,
        Action.AUDIT,
        form,
        is_valid=lambda: form.is_valid() and formset.is_valid(),
        run=lambda: run_audit(concern, user, form.cleaned_data, formset.cleaned_data),
    )
    if result.done:
        messages.success(request, f"Concern {concern.reference} audited.")
        return redirect("concern-detail", concern_id=concern.pk)
    return render(
        request,
        "audits/audit_form.html",
        {
            "concern": concern,
            "form": form,
            "formset": formset,
            "domain_error": result.refused,
            "timescales": selectors.stage_timescales(concern),
            "confirmations": list(concern.confirmations.select_related("agency")),
            "both_recorded": selectors.both_agencies_recorded(concern),
        },
        status=result.status,
    )


def run_audit(concern: Concern, user: Any, data: dict[str, Any], rows: list[dict]) -> None:
    actions = [
        services.AuditActionData(agency=r["agency"], description=r["description"])
        for r in rows
        if r.get("agency")
    ]
    payload = services.AuditData(
        process_followed=data["process_followed"],
        child_central=data["child_central"],
        voice_recorded=data["voice_recorded"],
        rating=data["rating"],
        findings=data["findings"],
        themes=list(data["themes"]),
        actions=actions,
    )
    services.concern_audit(
        concern_id=concern.pk, actor=user, data=payload, seen_version=data["version"]
    )
