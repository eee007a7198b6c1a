"""allauth's sign-in and password-reset forms, dressed in GOV.UK Frontend classes."""

from __future__ import annotations

from allauth.account import forms as allauth_forms

from .base import GovukFormMixin


class LoginForm(GovukFormMixin, allauth_forms.LoginForm):
    pass


class ResetPasswordForm(GovukFormMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(GovukFormMixin, allauth_forms.ResetPasswordKeyForm):
    pass
