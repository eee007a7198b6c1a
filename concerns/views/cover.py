"""Cover: who covers for whom, and when. A person arranges their own; a safeguarding lead
arranges it for anyone in their agency."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from concerns import services
from concerns.errors import ActionRefused, InvalidInput
from concerns.forms.actions import CoverForm
from concerns.models import Cover

from .common import actor, apply_errors, today


@require_http_methods(["GET", "POST"])
@login_required
def cover_page(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = CoverForm(request.POST or None, user=user)
    refused = ""
    if request.method == "POST" and form.is_valid():
        data = services.CoverData(
            person=form.cleaned_data.get("person") or user,
            cover=form.cleaned_data["cover"],
            starts=form.cleaned_data["starts"],
            ends=form.cleaned_data["ends"],
        )
        try:
            made = services.cover_create(actor=user, data=data)
        except InvalidInput as error:
            refused = apply_errors(form, error)
        except ActionRefused as error:
            refused = error.message
        else:
            messages.success(
                request,
                f"{made.cover.full_name} covers for {made.person.full_name} from "
                f"{made.starts:%-d %B} to {made.ends:%-d %B %Y}.",
            )
            return redirect("cover")
    current = Q(ends__gte=today() - dt.timedelta(days=0))
    mine = Q(person=user) | Q(cover=user)
    if user.is_safeguarding_lead and user.agency_id:
        mine |= Q(person__agency_id=user.agency_id)
    covers = Cover.objects.filter(current & mine).select_related("person", "cover")
    return render(
        request,
        "concerns/cover.html",
        {"form": form, "covers": covers, "domain_error": refused, "today": today()},
        status=200 if not refused else 400,
    )


@require_POST
@login_required
def cover_end(request: HttpRequest, cover_id: int) -> HttpResponse:
    cover = get_object_or_404(Cover, pk=cover_id)
    try:
        services.cover_end(actor=actor(request), cover_id=cover.pk)
    except ActionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Cover for {cover.person.full_name} ended.")
    return redirect("cover")
