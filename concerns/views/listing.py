"""The concern list: everything the person may see, filtered, searched and sorted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from concerns import selectors
from concerns.forms.filters import ConcernFilterForm
from concerns.models import Concern
from concerns.process import Stages

from .common import actor, today

PAGE_SIZE = 25
# Counting every concern a person may see cost most of the list's time at a region's volume
# (issue 12): count up to this many, and say "more than" past it.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (`LIMIT` inside the `COUNT`): past the cap, the
    pages go as far as the cap and the caption says there are more."""

    @cached_property
    def count(self) -> int:
        rows: QuerySet[Concern] = self.object_list  # type: ignore[assignment]
        return rows[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def caption_for(paginator: CappedPaginator) -> str:
    if paginator.capped:
        return f"More than {COUNT_CAP:,} concerns: narrow the filters or search to find one"
    return f"{paginator.count} concern{pluralize(paginator.count)}"


@require_GET
@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    form = ConcernFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    concerns = selectors.concern_list_for(actor(request), data, today=today())
    paginator = CappedPaginator(concerns, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "concerns/list.html",
        {
            "form": form,
            "page": page,
            "caption": caption_for(paginator),
            "query": query.urlencode(),
            "today": today(),
            "stages": Stages.load(),
        },
    )
