"""The partnership auditor's queue of closed concerns, random sampling, and the audit form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
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
from concerns.models import CaseEvent, Concern
from concerns.process import Stages

from .common import actor, attempt, concern_or_404, today


def queue_or_404(request: HttpRequest) -> QuerySet[Concern]:
    try:
        return selectors.audit_queue_for(actor(request))
    except NotVisible as refusal:
        raise Http404("No audit queue here.") from refusal


@dataclass(frozen=True)
class Sample:
    caption: str
    waiting: list[Concern]


def samples_of(user: Any, queue: QuerySet[Concern], shown: int = 5) -> list[Sample]:
    """This auditor's samples, newest first, as the partnership chain records them (each is
    kept; a new one does not replace the last), with the concerns still awaiting audit."""
    events = CaseEvent.objects.filter(concern=None, kind="audit.sampled", actor=user)
    latest = list(events.order_by("-sequence")[:shown])
    every = {pk for event in latest for pk in event.payload.get("concerns", [])}
    awaiting = list(queue.filter(pk__in=every))  # one read for all the samples shown
    found = []
    for event in latest:
        ids = event.payload.get("concerns", [])
        waiting = [concern for concern in awaiting if concern.pk in ids]
        when = timezone.localtime(event.created_at)
        caption = f"Your sample of {when:%-d %B %Y, %H:%M}: {len(waiting)} of {len(ids)} awaiting"
        found.append(Sample(caption, waiting))
    return found


def queue_page(request: HttpRequest, sample_form: SampleForm, status: int = 200) -> HttpResponse:
    queue = queue_or_404(request)
    source = request.POST if request.method == "POST" else request.GET
    form = AuditQueueFilterForm(source or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {k: source[k] for k in ("agency", "category", "stage") if source.get(k)}
    return render(
        request,
        "audits/queue.html",
        {
            "form": form,
            "filters": filters,
            "sample_form": sample_form,
            "waiting": queue.count(),
            "concerns": list(selectors.audit_queue_for(actor(request), data)[:200]),
            "samples": samples_of(actor(request), queue),
            "stages": Stages.load(),
            "today": today(),
        },
        status=status,
    )


@require_http_methods(["GET"])
@login_required
def audit_queue(request: HttpRequest) -> HttpResponse:
    return queue_page(request, SampleForm(initial={"size": 10}))


@require_POST
@login_required
def audit_sample(request: HttpRequest) -> HttpResponse:
    queue_or_404(request)
    form = SampleForm(request.POST)
    if not form.is_valid():
        return queue_page(request, form)
    picked = services.audit_sample(
        actor=actor(request), filters=form.cleaned_data, size=form.cleaned_data["size"]
    )
    messages.success(request, f"{len(picked)} closed concerns sampled for audit.")
    query = urlencode(
        {k: request.POST[k] for k in ("agency", "category", "stage") if request.POST.get(k)}
    )
    return redirect(f"{reverse('audit-queue')}?{query}" if query else reverse("audit-queue"))


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
