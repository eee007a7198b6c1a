"""Sign-ins, failures, lockouts, sign-outs and password changes, on the access records
(never a password: for a failure, only the name that was tried)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset
from axes.signals import user_locked_out  # type: ignore[import-untyped]
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from concerns.models import User
from concerns.models.access_log import Read
from concerns.reads import record_read


def signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_read(user, Read.SIGNED_IN, request=request)


def signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_read(user, Read.SIGNED_OUT, request=request)


def failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    tried = str(credentials.get("email") or credentials.get("username") or "")
    known = User.objects.filter(email__iexact=tried).first() if tried else None
    record_read(known, Read.SIGN_IN_FAILED, reason=tried[:200], request=request)


def locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    known = User.objects.filter(email__iexact=username).first() if username else None
    record_read(known, Read.LOCKED_OUT, reason=username[:200], request=request)


def reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_read(user, Read.PASSWORD_RESET, request=request)


def changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_read(user, Read.PASSWORD_CHANGED, request=request)


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="access-signed-in")
    user_logged_out.connect(signed_out, dispatch_uid="access-signed-out")
    user_login_failed.connect(failed, dispatch_uid="access-sign-in-failed")
    user_locked_out.connect(locked_out, dispatch_uid="access-locked-out")
    password_reset.connect(reset, dispatch_uid="access-password-reset")
    password_changed.connect(changed, dispatch_uid="access-password-changed")
