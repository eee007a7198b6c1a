"""Production settings refuse to start without their secrets (nothing secret is in the repo)."""

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


def start_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
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
