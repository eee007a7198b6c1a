"""Account pages the product keeps closed or changes from allauth's."""

from __future__ import annotations

from typing import Any

from allauth.mfa.base import views as mfa_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from concerns.middleware import must_have_second_factor


@require_http_methods(["GET", "POST"])
@login_required
def email_closed(request: HttpRequest) -> HttpResponse:
    """allauth's "manage your email addresses" page, closed: an address added and made primary
    here would receive the account's password resets. Changes are made by an administrator."""
    status = 403 if request.method == "POST" else 200
    return render(request, "account/email_closed.html", status=status)


class SignInSecurityView(mfa_views.IndexView):
    """allauth's second-factor overview, saying whether this person must have one."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        user = self.request.user
        context["second_factor_required"] = must_have_second_factor(user)
        found = context["authenticators"]
        context["has_second_factor"] = bool(found.get("totp") or found.get("webauthn"))
        return context


sign_in_security = SignInSecurityView.as_view()
