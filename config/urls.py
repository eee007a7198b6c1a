from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from concerns.views.accounts import email_closed, sign_in_security

urlpatterns = [
    # Administrators sign in through the same door as everyone (throttled by django-axes).
    path(
        "admin/login/",
        RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False),
    ),
    path("admin/", admin.site.urls),
    # A sign-in address is where password resets go: people do not change their own (their
    # agency's safeguarding lead or an administrator does, in the admin).
    path("accounts/email/", email_closed, name="account_email"),
    path("accounts/2fa/", sign_in_security, name="mfa_index"),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("concerns.urls")),
]

handler500 = "concerns.views.errors.server_error"
