"""The concern list: everything the person may see, filtered, searched and sorted."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concerns import selectors
from concerns.forms.filters import ConcernFilterForm
from concerns.models import Concern
from concerns.models.concern import OPEN_STATES
from concerns.presentation import stages_by_number
from concerns.selectors import CLOCK_STATES

from .common import actor, today

PAGE_SIZE = 25
ORDERINGS = {
    "due": ["due_date", "-created_at"],
    "-due": ["-due_date", "-created_at"],
    "-created": ["-created_at"],
}


def filtered(concerns: QuerySet[Concern], data: dict[str, Any]) -> QuerySet[Concern]:
    if data.get("reference"):
        concerns = concerns.filter(reference__icontains=data["reference"].strip())
    if data.get("state") == "open":
        concerns = concerns.filter(state__in=OPEN_STATES)
    elif data.get("state"):
        concerns = concerns.filter(state=data["state"])
    if data.get("stage"):
        concerns = concerns.filter(state=f"stage_{data['stage']}")
    if data.get("agency"):
        agency = data["agency"]
        concerns = concerns.filter(Q(raising_agency=agency) | Q(receiving_agency=agency))
    if data.get("category"):
        concerns = concerns.filter(category=data["category"])
    if data.get("overdue"):
        concerns = concerns.filter(state__in=CLOCK_STATES, due_date__lt=today())
    return concerns.order_by(*ORDERINGS.get(data.get("sort") or "due", ORDERINGS["due"]))


@require_GET
@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    form = ConcernFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    concerns = filtered(selectors.concern_list_for(actor(request)), data)
    page = Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "concerns/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today(),
            "stages": stages_by_number(),
        },
    )
