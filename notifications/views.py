"""The person's own notifications: the list, and opening one (which marks it read).

Opening is a POST (GET never changes anything); it then goes to the concern, or for a
digest to the overdue list. Someone else's notification is a 404.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from concerns.models import User
from notifications import selectors, services
from notifications.messages import render_context
from notifications.models import Notification

PAGE_SIZE = 25


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    notifications = selectors.notification_list_for(user).select_related("recipient")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"notification": n, "context": render_context(n)} for n in page.object_list]
    context = {"page": page, "rows": rows, "unread": selectors.unread_count_for(user)}
    return render(request, "notifications/list.html", context)


@require_POST
@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notification = services.notification_open(
            user=actor(request), notification_id=notification_id, now=timezone.now()
        )
    except Notification.DoesNotExist as missing:
        raise Http404("No notification here.") from missing
    if notification.concern_id:
        return redirect("concern-detail", concern_id=notification.concern_id)
    return redirect(reverse("concern-list") + "?overdue=on")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_read_all(user=actor(request), now=timezone.now())
    return redirect("notifications:list")
