"""Sign-in policy: people are added by administrators; nobody signs themselves up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


def sign_in_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in attempt names, for django-axes: allauth passes the email as a
    credential; the form posts it as `login`."""
    named = (credentials or {}).get("email") or request.POST.get("login", "")
    return str(named).strip().lower()
