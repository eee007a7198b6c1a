"""Sign-ins, failures, lockouts, sign-outs, password changes and second factors added, removed
or refused, on the access records (never a password or a code: for a failure, only the name
that was tried). A second factor added or removed ends the person's other sessions."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa import signals as mfa
from allauth.mfa.models import Authenticator
from axes.signals import user_locked_out  # type: ignore[import-untyped]
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.db.models.signals import post_delete, post_save
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


def factor_added(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_read(user, Read.FACTOR_ADDED, request=request)
    stay_signed_in(request, user)


def factor_removed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_read(user, Read.FACTOR_REMOVED, request=request)
    stay_signed_in(request, user)


def codes_made(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_read(user, Read.RECOVERY_CODES_MADE, request=request)
    stay_signed_in(request, user)


def factor_failed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_read(user, Read.FACTOR_FAILED, request=request)


def end_other_sessions(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    """A factor added or removed (here, in the admin, anywhere) ends every session the person
    has: one stolen before the change does not outlive it. (Recovery codes made alongside a
    first factor are part of that change; new codes replacing old ones remove the old.)"""
    made_codes = kwargs.get("created") and instance.type == Authenticator.Type.RECOVERY_CODES
    if kwargs.get("created", True) and not made_codes:
        User.objects.filter(pk=instance.user_id).update(session_epoch=F("session_epoch") + 1)


def stay_signed_in(request: HttpRequest, user: User) -> None:
    """The person who made the change keeps the session they made it in."""
    user.refresh_from_db(fields=["session_epoch"])
    if request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="access-signed-in")
    user_logged_out.connect(signed_out, dispatch_uid="access-signed-out")
    user_login_failed.connect(failed, dispatch_uid="access-sign-in-failed")
    user_locked_out.connect(locked_out, dispatch_uid="access-locked-out")
    password_reset.connect(reset, dispatch_uid="access-password-reset")
    password_changed.connect(changed, dispatch_uid="access-password-changed")
    mfa.authenticator_added.connect(factor_added, dispatch_uid="access-factor-added")
    mfa.authenticator_removed.connect(factor_removed, dispatch_uid="access-factor-removed")
    mfa.authenticator_reset.connect(codes_made, dispatch_uid="access-codes-made")
    mfa.authentication_failed.connect(factor_failed, dispatch_uid="access-factor-failed")
    post_save.connect(end_other_sessions, sender=Authenticator, dispatch_uid="factor-saved")
    post_delete.connect(end_other_sessions, sender=Authenticator, dispatch_uid="factor-gone")
