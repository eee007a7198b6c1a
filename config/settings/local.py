"""Local development: safe defaults, SQLite and the filesystem broker unless told otherwise."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR, env_bool, mfa_required_for

# Demo data, the volume loader and the benchmark (manage.py seed_demo, seed_volume, bench).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
DEMO_DATA = True  # seed_demo may create its accounts (with their published password) here

# Off by default, so `make run` shows the product's own "Page not found" and error pages, as
# its users see them; DEBUG=1 make run for Django's debug pages while developing.
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "local-development-only-not-a-secret")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
# Password-reset and notification mail is written to files under var/mail, not sent.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"

# Serve static files straight from the build folder (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The audit trail's key: never a secret outside production (which requires AUDIT_KEYS).
AUDIT_KEYS = AUDIT_KEYS or {  # noqa: F405
    "local": "local-development-only-not-a-secret-0123456789"
}

# A second factor is required in production; here only when MFA_REQUIRED_FOR says so.
# Passkeys work on http://localhost (browsers treat it as secure), which allauth must be told.
MFA_REQUIRED_FOR = mfa_required_for(os.environ.get("MFA_REQUIRED_FOR", "none"))
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
