"""Production settings refuse to start without their secrets (nothing secret is in the repo),
and never load the demo app (synthetic data, the benchmark)."""

from __future__ import annotations

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
