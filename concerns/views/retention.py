"""Retention for partnership officers: what is due for review, a concern's legal hold and
disposal, and the subject-access export of everything held about one concern."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from concerns import access
from concerns.errors import ActionRefused, InvalidInput
from concerns.forms.partnership import RetentionForm
from concerns.models import Concern
from concerns.models.access_log import Read
from concerns.reads import record_read
from concerns.services import retention
from concerns.services.subject_access import subject_access_export

from .common import actor, concern_or_404, today

STEPS = {
    "hold": retention.hold_place,
    "lift": retention.hold_lift,
    "dispose": retention.dispose,
}


def officer_or_404(request: HttpRequest) -> None:
    if not access.may_manage_retention(actor(request)):
        raise Http404("No page here.")


@require_GET
@login_required
def retention_list(request: HttpRequest) -> HttpResponse:
    officer_or_404(request)
    due = retention.due_for_review(today())
    held = Concern.objects.exclude(legal_hold_reason="").order_by("reference")
    return render(request, "reports/retention.html", {"due": due, "held": held})


@require_http_methods(["GET", "POST"])
@login_required
def concern_retention(request: HttpRequest, concern_id: int) -> HttpResponse:
    officer_or_404(request)
    concern = concern_or_404(request, concern_id)
    user = actor(request)
    posted = request.POST.get("step", "") if request.method == "POST" else ""
    if posted and posted not in STEPS:
        posted = ""
    forms = {
        step: RetentionForm(request.POST if step == posted else None, prefix=step) for step in STEPS
    }
    form = forms.get(posted)
    problem = ""
    if form is not None and form.is_valid():
        try:
            STEPS[posted](concern_id=concern.pk, actor=user, reason=form.cleaned_data["reason"])
        except InvalidInput as invalid:
            for field, message in invalid.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except ActionRefused as refused:
            problem = refused.message
        else:
            return redirect("concern-retention", concern_id=concern.pk)
        concern.refresh_from_db()
    context = {
        "concern": concern,
        "forms": forms,
        "form": form,
        "domain_error": problem,
        "review_date": retention.review_date(concern),
        "refusal": retention.disposal_refusal(concern, today()),
    }
    return render(request, "concerns/retention.html", context)


@require_GET
@login_required
def concern_subject_access(request: HttpRequest, concern_id: int) -> HttpResponse:
    """Everything held about one concern, as JSON, for the data protection officer to answer
    a subject access request (the download is recorded)."""
    officer_or_404(request)
    concern = concern_or_404(request, concern_id)
    record_read(actor(request), Read.SUBJECT_ACCESS, concern=concern, request=request)
    body = json.dumps(subject_access_export(concern), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    name = f"subject-access-{concern.reference or concern.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
