"""Production settings refuse to start without their secrets (nothing secret is in the repo),
and never load the demo app (synthetic data, the benchmark)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "a-long-random-value-only-for-this-test-0123456789abcdefghijkl",
    "ALLOWED_HOSTS": "concerns.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "SITE_URL": "https://concerns.example.org",
    "AUDIT_KEYS": "prod-test:a-key-only-for-this-test-0123456789abcdef",
}


def start_production(
    env: dict[str, str], code: str = "import django; django.setup(); print('started')"
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_starts_with_its_secrets():
    result = start_production(REQUIRED)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without_each_secret(missing):
    result = start_production({k: v for k, v in REQUIRED.items() if k != missing})
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set in production." in result.stderr


# Everything production loads: the apps and their models, the URLconf with every view it
# reaches, the Celery app, and every module of the project's own apps (commands, tasks...).
LOAD_EVERYTHING = """
import importlib, importlib.util, pkgutil, sys
from pathlib import Path
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.urls import get_resolver

root = Path.cwd().resolve()
importlib.import_module(settings.ROOT_URLCONF)
get_resolver().url_patterns
importlib.import_module("config.celery")
for app in apps.get_app_configs():
    if importlib.util.find_spec(f"{app.name}.models"):
        importlib.import_module(f"{app.name}.models")
    if Path(app.path).resolve().parent == root:  # the project's own apps, not the .venv's
        for module in pkgutil.walk_packages([app.path], f"{app.name}."):
            importlib.import_module(module.name)
print("installed:", "demo" in settings.INSTALLED_APPS)
print("loaded:", sorted(m for m in sys.modules if m == "demo" or m.startswith("demo.")))
"""


def test_production_never_installs_or_loads_the_demo_app():
    result = start_production(REQUIRED, LOAD_EVERYTHING)
    assert result.returncode == 0, result.stderr
    assert "installed: False" in result.stdout, result.stdout
    assert "loaded: []" in result.stdout, result.stdout


# Under production settings, after collectstatic into a fresh folder: a database migrated,
# a concern raised through the services, and every kind of page asked for over HTTPS.
SERVE_EVERY_PAGE = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
from tests.conftest import person
from tests.factories import AgencyFactory
from concerns.models import Agency, AgencyKind, Role
from tests import scenarios
from tests.scenarios import Cast
import datetime as dt
from django.utils import timezone

health = Agency.objects.create(name="Health", kind=AgencyKind.HEALTH)
care = Agency.objects.create(name="Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
unit = Agency.objects.create(name="Unit", kind=AgencyKind.PARTNERSHIP)
cast = Cast(
    raiser=person("Hana Visitor", health, Role.PRACTITIONER),
    responder=person("Sam Worker", care, Role.PRACTITIONER),
    raising_manager=person("Harriet Manager", health, Role.MANAGER),
    receiving_manager=person("Sian Manager", care, Role.MANAGER),
    officer=person("Olu Officer", unit, Role.PARTNERSHIP_OFFICER),
    auditor=person("Ada Auditor", unit, Role.PARTNERSHIP_AUDITOR),
)
concern = scenarios.advance(cast, "closed", timezone.now() - dt.timedelta(days=3))
from allauth.mfa.totp.internal.auth import TOTP
for who in (cast.raiser, cast.officer, cast.auditor):
    TOTP.activate(who, "JBSWY3DPEHPK3PXPJBSWY3DP")  # production asks everyone for a factor
    who.refresh_from_db()  # a factor added ends earlier sessions: sign in after it
pages = {
    "sign-in security": (cast.responder, "/accounts/2fa/"),
    "sign-in": (None, "/accounts/login/"),
    "home": (cast.raiser, "/"),
    "list": (cast.raiser, "/concerns/"),
    "concern": (cast.raiser, f"/concerns/{concern.pk}/"),
    "history": (cast.raiser, f"/concerns/{concern.pk}/history/"),
    "raise": (cast.raiser, "/concerns/new/"),
    "note form": (cast.raiser, f"/concerns/{concern.pk}/note/"),
    "notifications": (cast.raiser, "/notifications/"),
    "cover": (cast.raiser, "/cover/"),
    "report": (cast.officer, "/reports/"),
    "audit queue": (cast.auditor, "/audits/"),
    "audit form": (cast.auditor, f"/concerns/{concern.pk}/audit/"),
}
found = {}
for name, (who, path) in pages.items():
    client = Client(HTTP_HOST="concerns.example.org")
    if who is not None:
        client.force_login(who)
    found[name] = client.get(path, secure=True).status_code
missing = Client(HTTP_HOST="concerns.example.org").get("/no-such-page/", secure=True)
found["not found"] = missing.status_code
no_factor = Client(HTTP_HOST="concerns.example.org")
no_factor.force_login(cast.responder)
found["no factor"] = no_factor.get(f"/concerns/{concern.pk}/", secure=True)["Location"]
print(json.dumps(found))
"""


def test_production_serves_every_kind_of_page_after_collectstatic(tmp_path):
    """Issue 10, item 2: the production image served a 500 on every page (no static
    manifest). With the assets built and collectstatic run, every page type answers 200."""
    assert (ROOT / "build" / "static" / "css" / "app.css").exists(), "run `make assets` first"
    env = {
        **REQUIRED,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = start_production(env, SERVE_EVERY_PAGE)
    assert result.returncode == 0, result.stderr[-3000:]
    statuses = json.loads(result.stdout.strip().splitlines()[-1])
    assert statuses.pop("not found") == 404
    # A password alone reaches no case page in production: only where to set up a factor.
    assert statuses.pop("no factor") == "/accounts/2fa/"
    assert statuses == dict.fromkeys(statuses, 200), statuses


def test_gunicorn_serves_the_production_site_with_its_static_files(tmp_path):
    """The pinned server the image runs, under production settings, after migrate and
    collectstatic: the sign-in page and the stylesheet it links to both answer 200."""
    import re
    import signal
    import socket
    import time
    import urllib.request

    env = {
        **REQUIRED,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }
    prepare = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); "
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    result = start_production(env, prepare)
    assert result.returncode == 0, result.stderr[-3000:]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def get(path: str) -> tuple[int, str]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            headers={"Host": "concerns.example.org", "X-Forwarded-Proto": "https"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode(errors="replace")

    try:
        for _ in range(100):
            try:
                status, page = get("/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not answer")
        assert status == 200
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', page)
        assert stylesheet, "the page links a hashed stylesheet from the manifest"
        assert get(stylesheet.group(1))[0] == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
