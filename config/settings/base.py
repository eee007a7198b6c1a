"""Settings shared by every environment. Environment-specific files import this."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Local state (the SQLite database, the filesystem broker's queue): never committed.
# Made by the programs that use it (config/folders.py), not here.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
ALLOWED_HOSTS: list[str] = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "concerns",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files stay cacheable; every page and download does not.
    "concerns.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "concerns.middleware.SessionLifetimeMiddleware",
    "concerns.middleware.SecondFactorRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concerns.context_processors.service",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "concerns.User"

# --- Sign in: django-allauth, by email, no self sign-up (accounts are made by administrators).
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account from that address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "concerns.auth.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an address nobody has: the same answer on the page, and no email at all.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Concerns resolution: "  # not "[127.0.0.1:8000]"
# Sign-in throttling is django-axes's (in the database, shared by every worker), not
# allauth's per-process cache, which grew with workers and locked the real owner out.
# Its per-address sign-in limit (30 a minute) is off too: one council office behind one
# address signs in more than that at nine in the morning (and the browser tests did).
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": None}
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # per account and address
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "concerns.auth.sign_in_name"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_FORMS = {
    "login": "concerns.forms.auth.LoginForm",
    "reset_password": "concerns.forms.auth.ResetPasswordForm",
    "reset_password_from_key": "concerns.forms.auth.ResetPasswordKeyForm",
    "reauthenticate": "concerns.forms.auth.ReauthenticateWithPasswordForm",
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "concerns-resolution@localhost")
# Who to tell about an accessibility problem (the accessibility statement names them).
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "the partnership's business unit")

# --- A second factor (allauth.mfa): an authenticator app (TOTP) or a passkey or security key
# (WebAuthn), with single-use recovery codes. Whoever must have one (MFA_REQUIRED_FOR: "all",
# "none", or roles by name, with "staff" for administrators) reaches nothing but the page that
# sets one up until they have. Production requires it of everyone unless told otherwise.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False  # a passkey is a second factor here, after the password
MFA_TOTP_ISSUER = "Concerns Resolution"
MFA_ADAPTER = "concerns.auth.MFAAdapter"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {
    "authenticate": "concerns.forms.auth.AuthenticateForm",
    "reauthenticate": "concerns.forms.auth.ReauthenticateForm",
    "activate_totp": "concerns.forms.auth.ActivateTOTPForm",
    "deactivate_totp": "concerns.forms.auth.DeactivateTOTPForm",
    "add_webauthn": "concerns.forms.auth.AddWebAuthnForm",
    "edit_webauthn": "concerns.forms.auth.EditWebAuthnForm",
}
MFA_RECOVERY_CODES_SHOW_ONCE = True  # shown when made, to be kept safe; never again


# The roles by name (concerns.models.people.Role; a test keeps the two the same).
MFA_ROLES = (
    "practitioner",
    "manager",
    "senior_manager",
    "partnership_officer",
    "partnership_auditor",
    "staff",
)


def mfa_required_for(text: str) -> frozenset[str]:
    everyone = frozenset(MFA_ROLES)
    words = {word.strip() for word in text.split(",") if word.strip()}
    if words == {"all"}:
        return everyone
    if words <= {"none"}:
        return frozenset()
    unknown = words - everyone
    if unknown:
        raise ValueError(f"MFA_REQUIRED_FOR: unknown {sorted(unknown)}; use {sorted(everyone)}")
    return frozenset(words)


MFA_REQUIRED_FOR = mfa_required_for(os.environ.get("MFA_REQUIRED_FOR", "all"))
# Shared by every process (a one-time code used once is refused everywhere after): the
# database, never a side service the sign-in would wait on.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}
# Sessions: signed out after 30 minutes without activity (every request renews it; pages warn
# five minutes before), and after 10 hours whatever the activity (the security checklist's A5;
# issue 10 asked for at most 12). A password change, or the
# person being deactivated, ends every session they have (Django checks both each request).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(10 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "concerns.auth.ContextWordsValidator"},
]

LANGUAGE_CODE = "en-gb"
# Working days, deadlines and working hours are those of England.
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Closure days are kept per process; other processes see an admin's change within this time.
CLOSURE_DAYS_CACHE_SECONDS = float(os.environ.get("CLOSURE_DAYS_CACHE_SECONDS", "60"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Compiled by `npm run build` (make run and make test do it); never committed.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]

# --- Celery: Redis when REDIS_URL is set, else the filesystem broker (no server needed).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_DATA_DIR = VAR_DIR / "celery"
# Short timeouts: a hung or unreachable Redis fails fast (the kick is in a background thread
# anyway; the worker reconnects, and the database keeps every reminder).
REDIS_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = REDIS_BROKER_TRANSPORT_OPTIONS
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- Reminders and notifications (notifications/). The database is the source of truth: beat
# runs the sweep every NOTIFY_SWEEP_SECONDS and it sends whatever has fallen due.
# Working hours, "HH:MM-HH:MM" in NOTIFY_TIME_ZONE on working days (concerns.calendar);
# "always" delivers at any hour on any day (demos and smoke tests only).
NOTIFY_WORKING_HOURS = os.environ.get("NOTIFY_WORKING_HOURS", "09:00-17:30")
NOTIFY_TIME_ZONE = os.environ.get("NOTIFY_TIME_ZONE", "Europe/London")
NOTIFY_SWEEP_SECONDS = float(os.environ.get("NOTIFY_SWEEP_SECONDS", "60"))
# Ask a worker to sweep at once when a reminder is due now (else the next sweep sends it).
NOTIFY_KICK_WORKER = True
# Rule timings, in working days (notifications/rules.py).
NOTIFY_DUE_SOON_WORKING_DAYS = 1
NOTIFY_OVERDUE_REPEAT_WORKING_DAYS = 2
NOTIFY_CONFIRM_REMINDER_WORKING_DAYS = 1
# A failed delivery is retried after each of these delays (seconds, moved into working hours),
# then given up; a delivery left mid-send this long (its worker died) is tried again.
NOTIFY_RETRY_DELAYS = [60, 300, 900, 3600, 4 * 3600]
NOTIFY_STUCK_AFTER_SECONDS = 15 * 60
# Links in emails point here.
NOTIFY_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_TIMEOUT = 20

_digest_hour, _digest_minute = (
    NOTIFY_WORKING_HOURS.split("-")[0].split(":") if ":" in NOTIFY_WORKING_HOURS else ("9", "0")
)
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.sweep",
        "schedule": NOTIFY_SWEEP_SECONDS,
        # A sweep that waited longer than its interval is dropped: the next one does its work.
        "options": {"expires": NOTIFY_SWEEP_SECONDS},
    },
    "concerns-audit-checkpoint": {
        "task": "concerns.tasks.audit_checkpoint",
        "schedule": crontab(hour=1, minute=30),
    },
    "concerns-retention-review": {
        "task": "concerns.tasks.retention_review",
        "schedule": crontab(hour=2, minute=0),
    },
    "notifications-digest": {
        "task": "notifications.tasks.plan_digests",
        # Each weekday morning; the task itself skips bank holidays and closure days.
        "schedule": crontab(hour=_digest_hour, minute=_digest_minute, day_of_week="mon-fri"),
    },
}

SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # Sign-ins are on the access records; axes's own per-request INFO lines add nothing but
    # noise (lockouts it logs as warnings still show).
    "loggers": {"axes": {"level": "WARNING"}},
}


# --- The audit trail's keys and anchor.
# Each event is sealed with HMAC-SHA256 under a key held outside the database, named by id so
# keys can be rotated: AUDIT_KEYS="2026b:<secret>,2026a:<old secret>" (the first seals new
# events; the others still verify older ones). Checkpoints of every chain's length and head,
# signed with the same key, are appended to a file outside the event table.
def audit_keys(text: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key_id, _, secret = item.partition(":")
        if not key_id or len(secret) < 32:
            raise ValueError("AUDIT_KEYS: each key is id:secret, the secret 32 characters or more")
        keys[key_id] = secret
    return keys


AUDIT_KEYS = audit_keys(os.environ.get("AUDIT_KEYS", ""))
AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit" / "checkpoints.jsonl")
)


# --- Headers. No inline script or style anywhere in the product's pages: a strict policy.
# The admin (Django's own pages, for administrators) is left to Django's defaults.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "manifest-src": ["'self'"],
    },
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
