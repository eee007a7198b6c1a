"""The concern list: everything the person may see, filtered, searched and sorted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET

from concerns import selectors
from concerns.forms.filters import ConcernFilterForm
from concerns.process import Stages

from .common import actor, today

PAGE_SIZE = 25


@require_GET
@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    form = ConcernFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    concerns = selectors.concern_list_for(actor(request), data, today=today())
    page = Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "concerns/list.html",
        {
            "form": form,
            "page": page,
            "caption": f"{page.paginator.count} concern{pluralize(page.paginator.count)}",
            "query": query.urlencode(),
            "today": today(),
            "stages": Stages.load(),
        },
    )
