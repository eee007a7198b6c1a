"""What every concern view shares: the scoped lookup (404 outside scope) and error mapping."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django import forms
from django.http import Http404, HttpRequest
from django.utils import timezone

from concerns import process, selectors
from concerns.access import Action
from concerns.errors import ActionRefused, ConcernChanged, InvalidInput, NotVisible
from concerns.models import Concern, User
from concerns.process import Moment


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def concern_or_404(request: HttpRequest, concern_id: int) -> Concern:
    try:
        return selectors.concern_get_for(actor(request), concern_id)
    except NotVisible as refusal:
        raise Http404("No concern here.") from refusal


def apply_errors(form: forms.Form, error: InvalidInput) -> str:
    """Put service errors on their fields; return what belongs to no field."""
    leftover = []
    for field, message in error.errors.items():
        if field in form.fields:
            form.add_error(field, message)
        else:
            leftover.append(message)
    return " ".join(leftover)


def today() -> dt.date:
    return timezone.localdate()


def refusal_for(
    request: HttpRequest, concern: Concern, action: Action, moment: Moment | None = None
) -> str:
    """Why this person cannot do `action` now ('' if they can), by the services' own rule.

    A form posted from a page that is out of date is told so first: what it shows may no
    longer be true, whoever is acting.
    """
    posted = request.POST.get("version") if request.method == "POST" else None
    if posted and posted != str(concern.version):
        return ConcernChanged(concern.reference).message
    moment = moment or Moment(concern, today=today())
    return process.refusal(actor(request), moment, action) or ""


@dataclass(frozen=True)
class Attempt:
    """What came of a form that asks for one action: done, or why not and with what status."""

    done: bool = False
    refused: str = ""
    status: int = 200


def attempt(
    request: HttpRequest,
    concern: Concern,
    action: Action,
    form: forms.Form,
    is_valid: Callable[[], bool],
    run: Callable[[], object],
    moment: Moment | None = None,
) -> Attempt:
    """Run one action's service for a POST. Someone who may not act now is told why, whatever
    they typed (nothing is validated); a service's field errors land on the form."""
    refused = refusal_for(request, concern, action, moment)
    if request.method != "POST":
        return Attempt(refused=refused)
    if refused:
        log_refusal(request, concern, action, refused)
        return Attempt(refused=refused, status=409)
    if not is_valid():
        return Attempt()
    try:
        run()
    except InvalidInput as error:
        return Attempt(refused=apply_errors(form, error))
    except (ActionRefused, ConcernChanged) as refusal:
        log_refusal(request, concern, action, refusal.message)
        return Attempt(refused=refusal.message, status=409)
    return Attempt(done=True)


refusals = logging.getLogger("concerns.refusals")


def log_refusal(request: HttpRequest, concern: Concern, action: Action, why: str) -> None:
    """A refused attempt changes nothing and is logged (the security checklist's Z4): who,
    which concern, what, and why (never what they typed)."""
    refusals.warning(
        "Refused %s on %s for person %s: %s", action, concern.reference, request.user.pk, why
    )
