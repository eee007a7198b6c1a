"""`celery -A config worker -B`, started the way `make run` starts it, delivers a reminder.

A separate process with the local settings, the filesystem broker in a temporary VAR_DIR, and
this test's database (the SQLite file, or the PostgreSQL test database), sweeping every second.
The test stops it by its pid.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, Notification
from tests.notifications.conftest import committing, submitted, wait_for

pytestmark = committing

CELERY = Path(sys.executable).with_name("celery")


def database_url() -> str:
    """The database this test is using, as DATABASE_URL spells it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


def worker_environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_CURRENT_TEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url(),
        VAR_DIR=str(var_dir),
        NOTIFY_WORKING_HOURS="always",
        NOTIFY_SWEEP_SECONDS="1",
    )
    return env


def stop(worker: subprocess.Popen[bytes]) -> int | None:
    """Ctrl-C's polite cousin: SIGTERM to the pid, then wait for a warm shutdown."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)  # its own group: only what it started
            worker.wait(timeout=10)
    return worker.returncode


def test_make_runs_worker_and_beat_deliver_a_reminder(cast, people, tmp_path):
    concern = submitted(cast, timezone.now() - dt.timedelta(weeks=5))
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            "config",
            "worker",
            "-B",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "-s",
            str(tmp_path / "celerybeat-schedule"),
        ],
        cwd=settings.BASE_DIR,
        env=worker_environment(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # The submission notice (responder, receiving lead) and the overdue prompt (raiser,
        # responder): four notifications, two channels each.
        delivered = wait_for(
            lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() >= 8,
            timeout=60,
        )
    finally:
        returncode = stop(worker)
        log.close()
    output = (tmp_path / "worker.log").read_text(errors="replace")
    assert delivered, f"nothing delivered; the worker said:\n{output[-3000:]}"
    assert returncode is not None
    overdue = Notification.objects.get(
        concern=concern, kind="overdue", recipient=people.health_visitor
    )
    assert overdue.in_app_at is not None
    mail = "".join(p.read_text() for p in (tmp_path / "mail").glob("*.log"))
    assert f"{concern.reference}: Stage overdue" in mail
