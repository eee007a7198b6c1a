"""Shared pieces for the notifications tests: concerns at a pinned time, sweeping at a pinned
time, Redis, and a real Celery worker with beat embedded in this process."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import redis as redis_client
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from concerns.models import Concern
from config.celery import app as celery_app
from notifications import sending
from notifications.models import Notification, Reminder
from tests import scenarios
from tests.conftest import require_service
from tests.scenarios import Cast

# Tests that commit (a worker thread or process must see the rows) restore the
# migration-seeded stages afterwards: the flush after a transactional test empties every table.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def submitted(cast: Cast, at: dt.datetime) -> Concern:
    """A concern drafted an hour before `at` and submitted at `at` (stage 1 starts)."""
    concern = scenarios.draft(cast, at - dt.timedelta(hours=1))
    return scenarios.submit(concern, cast, at)


def sweep(at: dt.datetime) -> sending.SweepResult:
    return sending.sweep(now=at)


def told(kind: str | None = None) -> set[tuple[str, str, str]]:
    """(kind, reference, email) of every notification made so far."""
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return {(n.kind, n.reference, n.recipient.email) for n in rows.select_related("recipient")}


def reminders(concern: Concern, **filters: object) -> list[Reminder]:
    return list(Reminder.objects.filter(concern=concern, **filters).order_by("due_at", "pk"))


@pytest.fixture
def redis(settings) -> str:
    """Redis, as REDIS_URL says (db 15 in tests): skipped without it, failed in CI."""
    url = settings.REDIS_URL
    answers = False
    if url:
        try:
            answers = bool(redis_client.Redis.from_url(url, socket_connect_timeout=1).ping())
        except redis_client.RedisError:
            answers = False
    require_service(answers, "this test needs Redis (set REDIS_URL=redis://127.0.0.1:6379/15)")
    return url


@pytest.fixture
def any_hour(settings) -> None:
    """Tests on the real clock (worker threads, a subprocess) deliver at any hour and day;
    the working-hours rules have pinned-clock tests of their own."""
    settings.NOTIFY_WORKING_HOURS = "always"


def close_thread_connections(**_: object) -> None:
    """A worker thread's database connections end with each task, as a process's would."""
    connections.close_all()


def forget_queue(queue: str) -> None:
    """Remove the test queue's list and bindings from Redis: its name is unique to this test."""
    client = redis_client.Redis.from_url(celery_app.conf.broker_url)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)


@contextmanager
def worker_and_beat(sweep_every: float = 0.5) -> Iterator[str]:
    """A Celery worker thread (solo pool) and beat in a thread, on a queue of their own so
    nothing else on the broker (another test run) takes their tasks. Yields the queue."""
    import notifications.tasks  # noqa: F401  (registers the tasks with the app)

    queue = f"notifications-test-{uuid.uuid4().hex[:12]}"
    saved = celery_app.conf.beat_schedule
    celery_app.conf.beat_schedule = {
        "sweep": {
            "task": "notifications.tasks.sweep",
            "schedule": sweep_every,
            "options": {"queue": queue},
        }
    }
    task_postrun.connect(close_thread_connections)
    beat = EmbeddedService(celery_app, thread=True, scheduler_cls="celery.beat:Scheduler")
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING"
        ):
            beat.start()
            try:
                yield queue
            finally:
                beat.stop()
                beat.join(10)
    finally:
        task_postrun.disconnect(close_thread_connections)
        celery_app.conf.beat_schedule = saved
        forget_queue(queue)


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()
