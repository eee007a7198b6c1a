"""allauth's sign-in, password-reset and second-factor forms, in GOV.UK Frontend classes."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as mfa_totp_forms
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.webauthn import forms as mfa_webauthn_forms

from .base import GovukFormMixin


class LoginForm(GovukFormMixin, allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page has its own "Forgotten your password?" link: not a second one, in other
        # words, inside the field's hint.
        self.fields["password"].help_text = ""


class ResetPasswordForm(GovukFormMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(GovukFormMixin, allauth_forms.ResetPasswordKeyForm):
    pass


# Second factors (allauth.mfa): the same forms, with GOV.UK classes and plain labels.
CODE_LABEL = "Code from your authenticator app, or a recovery code"


class CodeFormMixin(GovukFormMixin):
    """A code from the app or a recovery code, asked for at sign-in or to re-check."""

    required_messages = {"code": "Enter the 6-digit code from your authenticator app"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = CODE_LABEL
        one_time_code(self.fields["code"])


class AuthenticateForm(CodeFormMixin, mfa_base_forms.AuthenticateForm):
    pass


class ReauthenticateForm(CodeFormMixin, mfa_base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(GovukFormMixin, mfa_totp_forms.ActivateTOTPForm):
    required_messages = {"code": "Enter the 6-digit code your authenticator app shows"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app"
        one_time_code(self.fields["code"])

    def clean_code(self) -> str:
        """The code that turned the app on is used: it does not sign anyone in afterwards."""
        code: str = super().clean_code()
        marker = TOTP(Authenticator(user_id=self.user.pk))
        marker._mark_code_used(code)
        return code


class DeactivateTOTPForm(GovukFormMixin, mfa_totp_forms.DeactivateTOTPForm):
    pass


class AddWebAuthnForm(GovukFormMixin, mfa_webauthn_forms.AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "A name for it (optional)"
        self.fields["name"].help_text = "So you can tell it apart later, like “work laptop”."
        self.fields["name"].widget.attrs.pop("placeholder", None)
        self.fields["credential"].error_messages["required"] = (
            "Your browser did not create a passkey. Select 'Create a passkey' and follow "
            "your browser's steps"
        )


class EditWebAuthnForm(GovukFormMixin, mfa_webauthn_forms.EditWebAuthnForm):
    required_messages = {"name": "Enter a name for the passkey"}


def one_time_code(field: Any) -> None:
    attrs = field.widget.attrs
    attrs.pop("placeholder", None)
    attrs.update(inputmode="numeric", spellcheck="false")
    attrs["class"] = f"{attrs.get('class', '')} govuk-input--width-10".strip()


class ReauthenticateWithPasswordForm(GovukFormMixin, allauth_forms.ReauthenticateForm):
    required_messages = {"password": "Enter your password"}
