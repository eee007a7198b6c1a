"""On PostgreSQL, `make run` creates its database when it is not there yet (issue 11: the
README never said to, and a new user's first `make run` failed)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_it_creates_the_database_once(postgres: None) -> None:
    params = connection.get_connection_params()
    name = f"concerns_new_{uuid.uuid4().hex[:8]}"
    user, port = params.get("user") or "postgres", params.get("port") or 5432
    url = f"postgres://{user}@{params['host']}:{port}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    admin = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    try:
        first = subprocess.run(
            [sys.executable, "manage.py", "create_database"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert f"Created the PostgreSQL database {name}." in first.stdout
        again = subprocess.run(
            [sys.executable, "manage.py", "create_database"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert again.stdout == ""
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


pytestmark = pytest.mark.django_db
