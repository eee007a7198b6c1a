"""The partnership auditor's queue of closed concerns, random sampling, and the audit form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from concerns import access, selectors, services
from concerns.access import Action
from concerns.audit import append_partnership_event
from concerns.forms.partnership import (
    AuditActionFormSet,
    AuditForm,
    AuditQueueFilterForm,
    SampleForm,
)
from concerns.models import Concern, StagePeriod
from concerns.models.concern import State
from concerns.presentation import stages_by_number
from concerns.reports import highest_stage_q

from .common import actor, attempt, concern_or_404, today

SAMPLE_KEY = "audit_sample"


def queue_or_404(request: HttpRequest) -> QuerySet[Concern]:
    user = actor(request)
    if not access.may_audit(user):
        raise Http404("No audit queue here.")
    return (
        selectors.concern_list_for(user)
        .filter(state=State.CLOSED)
        .annotate(highest=highest_stage_q())
        .order_by("closed_at")
    )


def filtered(queue: QuerySet[Concern], data: dict[str, Any]) -> QuerySet[Concern]:
    if data.get("agency"):
        queue = queue.filter(Q(raising_agency=data["agency"]) | Q(receiving_agency=data["agency"]))
    if data.get("category"):
        queue = queue.filter(category=data["category"])
    if data.get("stage"):
        reached = StagePeriod.objects.filter(concern=OuterRef("pk"))
        queue = queue.filter(
            Exists(reached.filter(number=data["stage"])),
            ~Exists(reached.filter(number__gt=data["stage"])),
        )
    return queue


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
            "concerns": list(filtered(queue, data)[:200]),
            "sample": list(queue.filter(pk__in=sample_ids)),
            "stages": stages_by_number(),
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
                "stages": stages_by_number(),
                "today": today(),
            },
        )
    picked = list(
        filtered(queue, form.cleaned_data)
        .order_by("?")
        .values_list("pk", flat=True)[: form.cleaned_data["size"]]
    )
    request.session[SAMPLE_KEY] = picked
    append_partnership_event(
        actor=actor(request), kind="audit.sampled", at=timezone.now(), payload={"concerns": picked}
    )
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
