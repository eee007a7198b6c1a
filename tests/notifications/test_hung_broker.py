"""A hung Redis must not take the site down (issue 10, item 1).

Before: with Redis paused (SIGSTOP) a submit hung 59 s, because the request published the
sweep kick with no timeout. Now the kick goes from one background thread per process, with
short broker timeouts; the request never waits, and nothing is lost: the reminder is in the
database and goes out once the broker is back.

The test starts its own redis-server on a free port (so pausing it disturbs nothing else) and
points the product's own Celery configuration at it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis as redis_client
from celery import Celery
from django.utils import timezone

from notifications import planning, sending
from notifications.models import Notification
from tests.conftest import require_service
from tests.notifications.conftest import submitted
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def own_redis(tmp_path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    binary = shutil.which("redis-server")
    require_service(binary is not None, "this test needs the redis-server program")
    assert binary is not None
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis_client.Redis.from_url(url, socket_timeout=1)
    for _ in range(50):
        try:
            if client.ping():
                break
        except redis_client.RedisError:
            time.sleep(0.1)
    try:
        yield server, url
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGCONT)
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture
def kicks_to(own_redis, monkeypatch, settings, any_hour):
    """The product's Celery settings, with the broker at the test's own Redis; reminders due
    at once at any hour (so each submit kicks the sweep)."""
    server, url = own_redis
    app = Celery("kick-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = url
    # The product's Redis options (the test settings may be on the filesystem broker).
    app.conf.broker_transport_options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    app.conf.broker_connection_timeout = 2
    monkeypatch.setattr(planning, "current_app", app)
    settings.NOTIFY_KICK_WORKER = True
    yield server, redis_client.Redis.from_url(url, socket_timeout=5)
    app.close()


def wait_for_kick(timeout: float = 15) -> None:
    """Until the background kick (if any) has finished."""
    assert planning._kick_in_flight.acquire(timeout=timeout), "the kick thread never finished"
    planning._kick_in_flight.release()


def test_a_submit_never_waits_on_a_hung_broker_and_the_reminder_goes_out_after(
    cast: Cast,
    kicks_to,
    django_capture_on_commit_callbacks,
) -> None:
    server, broker = kicks_to
    wait_for_kick()
    os.kill(server.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            concern = submitted(cast, timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            submitted(cast, timezone.now())  # a second, while the first kick still hangs
        elapsed = time.monotonic() - started
    finally:
        os.kill(server.pid, signal.SIGCONT)
    assert elapsed < 2, f"two submits took {elapsed:.1f} s with the broker hung"
    wait_for_kick()
    # The kick got through once Redis came back (one in flight at a time: one message).
    assert broker.llen("celery") == 1
    # Whatever the broker did, the reminders are in the database: the sweep sends them.
    sending.sweep(now=timezone.now() + dt.timedelta(minutes=1))
    assert Notification.objects.filter(concern=concern, kind="submitted").exists()


def test_a_broker_that_is_down_is_logged_and_the_request_goes_on(
    cast: Cast,
    kicks_to,
    django_capture_on_commit_callbacks,
    caplog,
) -> None:
    server, _ = kicks_to
    server.terminate()
    server.wait(timeout=10)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        submitted(cast, timezone.now())
    assert time.monotonic() - started < 2
    wait_for_kick()
    assert "Could not reach the broker" in caplog.text
