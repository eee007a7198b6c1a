"""Sign-in policy: people are added by administrators; nobody signs themselves up; second
factors are kept encrypted."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Changing how one signs in asks for the password (or a factor) again, except for
        setting up a first factor within minutes of signing in with the password: that is
        the journey everyone takes on their first sign-in, and asking twice helps nobody."""
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        request = context.request
        user = request.user
        records = get_authentication_records(request, user)
        latest = max((float(r.get("at", 0)) for r in records), default=0.0)
        if time.time() - latest >= account_settings.REAUTHENTICATION_TIMEOUT:
            return True
        # Signed in minutes ago with no factor yet: setting one up (and seeing the recovery
        # codes that come with it) needs nothing more. A factor from before then does.
        signed_in_at = dt.datetime.fromtimestamp(latest, tz=dt.UTC)
        return Authenticator.objects.filter(user_id=user.pk, created_at__lt=signed_in_at).exists()


def sign_in_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in attempt names, for django-axes: allauth passes the email as a
    credential; the form posts it as `login`."""
    named = (credentials or {}).get("email") or request.POST.get("login", "")
    return str(named).strip().lower()


class MFAAdapter(DefaultMFAAdapter):
    """Second factors: their secrets (the authenticator app's key, the recovery codes' seed)
    are encrypted with a key that is not in the database; and nobody who must have a second
    factor can remove their last one."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": "You cannot remove your only second factor: add "
        "another first (an authenticator app or a passkey).",
        "incorrect_code": "The code is not right, or it has been used already. Enter the "
        "newest code from your authenticator app.",
    }

    def encrypt(self, text: str) -> str:
        return secrets_box().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return secrets_box().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from concerns.middleware import SECOND_FACTORS, must_have_second_factor

        if authenticator.type not in SECOND_FACTORS:
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=SECOND_FACTORS
        ).exclude(pk=authenticator.pk)
        return others.exists() or not must_have_second_factor(authenticator.user)

    def generate_authenticator_name(self, user: Any, type: Authenticator.Type) -> str:
        n = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return "Passkey" if n == 0 else f"Passkey {n + 1}"

    def get_totp_label(self, user: Any) -> str:
        return str(user.email)


def secrets_box() -> MultiFernet:
    """Fernet keys made from SECRET_KEY and its fallbacks: rotating SECRET_KEY the Django way
    (the old one moved to SECRET_KEY_FALLBACKS) keeps every second factor working."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(fernet_key(key)) for key in keys])


def fernet_key(secret: str | bytes) -> bytes:
    text = secret.decode() if isinstance(secret, bytes) else secret
    digest = hashlib.sha256(f"concerns.mfa-secrets|{text}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


class ContextWordsValidator:
    """Refuse a password built on words anyone would guess here (the security checklist's
    A4): the service's own words and the name of the person's agency."""

    WORDS = ("safeguarding", "concerns", "escalation", "partnership", "leeds", "password")

    def validate(self, password: str, user: Any = None) -> None:
        text = "".join(ch for ch in password.lower() if ch.isalnum())
        words = list(self.WORDS)
        agency = getattr(user, "agency", None) if user is not None else None
        if agency is not None:
            words += [w for w in agency.name.lower().split() if len(w) >= 5]
        found = next((word for word in words if word in text), None)
        if found:
            raise ValidationError(
                f"Choose a password that does not contain “{found}”: it is easy to guess here.",
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return "Your password cannot contain words like “safeguarding” or your agency's name."
