"""Response headers the product adds to every page it renders."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from concerns.models import User


class NoStoreMiddleware:
    """Pages and downloads carry case data: no browser or proxy keeps a copy
    (`Cache-Control: no-store`). Static files are served before this, and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


SIGNED_IN_AT = "signed_in_at"


def note_sign_in(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


class SessionLifetimeMiddleware:
    """A session lives at most SESSION_ABSOLUTE_SECONDS from sign-in, however active: after
    that the person is signed out and asked to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
                messages.info(request, f"You were signed out after {hours} hours. Sign in again.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def must_have_second_factor(user: User) -> bool:
    """Whether this person's role (or admin rights) needs a second factor (MFA_REQUIRED_FOR)."""
    required = settings.MFA_REQUIRED_FOR
    return user.role in required or (user.is_staff and "staff" in required)


SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
HAS_SECOND_FACTOR = "has_second_factor"


def has_second_factor(user: User) -> bool:
    """An authenticator app or a passkey (recovery codes are a way back in, not a factor)."""
    return bool(is_mfa_enabled(user, SECOND_FACTORS))


class SecondFactorRequiredMiddleware:
    """Someone who must have a second factor and has none reaches only the pages that set one
    up (and sign out): never a concern, a report or the admin on a password alone.

    Once found, the answer is kept in the session: the last factor cannot be removed while
    one is required, and an administrator removing one ends every session of that person."""

    OPEN_PREFIXES = ("/accounts/", "/static/", "/accessibility/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # Pages show their menu only to someone who may use it (base.html).
        request.second_factor_missing = False  # type: ignore[attr-defined]
        if (
            user.is_authenticated
            and not request.path.startswith("/static/")
            and not request.session.get(HAS_SECOND_FACTOR)
            and must_have_second_factor(user)
        ):
            if not has_second_factor(user):
                if not request.path.startswith(self.OPEN_PREFIXES):
                    return redirect("mfa_index")
                request.second_factor_missing = True  # type: ignore[attr-defined]
            else:
                request.session[HAS_SECOND_FACTOR] = True
        return self.get_response(request)
