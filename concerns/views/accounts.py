"""Account pages the product keeps closed or changes from allauth's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
@login_required
def email_closed(request: HttpRequest) -> HttpResponse:
    """allauth's "manage your email addresses" page, closed: an address added and made primary
    here would receive the account's password resets. Changes are made by an administrator."""
    status = 403 if request.method == "POST" else 200
    return render(request, "account/email_closed.html", status=status)
