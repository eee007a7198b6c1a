"""Home: what needs this person's action now, what is overdue, what is due soon."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concerns import selectors
from concerns.access import may_audit
from concerns.calendar import add_working_days
from concerns.process import Stages

from .common import actor, today
from .listing import COUNT_CAP

SHOWN = 25


# When the statement's checks (axe-core on every page type, a keyboard-only journey) last ran
# against this version.
ACCESSIBILITY_TESTED_ON = "2 December 2026"


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user, now, stages = actor(request), today(), Stages.load()
    soon: dt.date = add_working_days(now, 2)
    lists = {
        "action": selectors.concern_action_list_for(user, stages),
        "overdue": selectors.concern_overdue_list_for(user, now).order_by("due_date"),
        "due_soon": selectors.concern_due_soon_list_for(user, now, soon).order_by("due_date"),
    }
    overdue_actions = selectors.overdue_actions_for(user, now)
    # Counted up to a cap, as the list is (issue 12): at a region's volume counting every
    # row a lead may see dominated the page.
    counts = {name: qs[: COUNT_CAP + 1].count() for name, qs in lists.items()}
    context = {
        "overdue_actions": list(overdue_actions[:SHOWN]),
        "left_behind": list(selectors.left_behind_for(user)[:SHOWN]),
        "counts": counts,
        "count_text": {
            name: f"more than {COUNT_CAP:,}" if n > COUNT_CAP else str(n)
            for name, n in counts.items()
        },
        "rows": {name: list(qs[:SHOWN]) for name, qs in lists.items()},
        "shown": SHOWN,
        "today": now,
        "soon": soon,
        "stages": stages,
        # An auditor's work is the audit queue: say how much waits there (issue 11).
        "awaiting_audit": selectors.audit_queue_for(user).count() if may_audit(user) else None,
    }
    return render(request, "concerns/home.html", context)


@require_GET
@login_required
def keep_alive(request: HttpRequest) -> HttpResponse:
    """'Stay signed in': the request itself renews the session (saved on every request)."""
    return HttpResponse(status=204)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement public-sector services publish (open to everyone)."""
    return render(
        request,
        "accessibility.html",
        {"contact": settings.ACCESSIBILITY_CONTACT, "tested_on": ACCESSIBILITY_TESTED_ON},
    )
