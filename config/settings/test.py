"""Tests: whatever DATABASE_URL says (PostgreSQL in CI), SQLite in a file otherwise."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, VAR_DIR, mfa_required_for

# Demo data, the volume loader and the benchmark, which tests exercise too.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
DEMO_DATA = True  # seed_demo may create its accounts (with their published password) here

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# One test database per test run, so runs side by side (a developer's and a helper's, or
# a subprocess started by a test with TEST_DB_SUFFIX passed on) never clobber each other.
SUFFIX = os.environ.setdefault("TEST_DB_SUFFIX", str(os.getpid()))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: threads in tests share it without "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{SUFFIX}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{SUFFIX}"}
    # The audit trigger refuses TRUNCATE, which is how the test runner empties tables
    # between transactional tests; test connections carry the one setting that allows it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c concerns.allow_truncate=on"

# Serve static files straight from the build folder (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests drive the sweep themselves (or run a real worker and beat); queueing a sweep after
# every transition would only fill the broker with messages nothing reads.
NOTIFY_KICK_WORKER = False

# The audit trail's key: never a secret outside production (which requires AUDIT_KEYS).
AUDIT_KEYS = {"test": "test-only-not-a-secret-0123456789abcdef"}

# A second factor is required in production; here only when MFA_REQUIRED_FOR says so
# (the tests that check it set it).
# Passkeys work on http://localhost (browsers treat it as secure), which allauth must be told.
MFA_REQUIRED_FOR = mfa_required_for(os.environ.get("MFA_REQUIRED_FOR", "none"))
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
