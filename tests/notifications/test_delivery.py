"""Channels failing: every attempt recorded, retried with backoff, and never blocking the other
channel. The mail server is real SMTP on this machine: a port nobody listens on (refused
connections: try again later) or a server that answers 554 (refused for good)."""

from __future__ import annotations

import datetime as dt
import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

from notifications.models import Attempt, Delivery, DeliveryStatus, Notification
from tests.conftest import london
from tests.notifications.conftest import submitted, sweep

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 11, 2, 10, 0)
FIRST = london(2026, 11, 2, 10, 0, 30)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Refuser(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.sendall(b"554 5.7.1 No mail is accepted here\r\n")


@pytest.fixture
def refusing_server() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Refuser)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5


def email_attempts() -> list[Attempt]:
    return list(Attempt.objects.filter(channel="email").order_by("at", "pk"))


def test_a_mail_server_that_is_down_is_retried_with_backoff_while_in_app_arrives(
    cast, settings, mailoutbox
):
    use_smtp(settings, closed_port())
    submitted(cast, MONDAY)
    sweep(FIRST)
    # In-app arrived for both people (the responder, the receiving lead) at once; each email
    # failed once and waits.
    assert Notification.objects.filter(in_app_at__isnull=False).count() == 2
    assert len(email_attempts()) == 2
    assert all("could not be reached" in a.error and not a.permanent for a in email_attempts())
    waiting = Delivery.objects.filter(channel="email")
    assert {d.status for d in waiting} == {DeliveryStatus.PENDING}
    assert {d.next_attempt_at for d in waiting} == {FIRST + dt.timedelta(seconds=60)}

    sweep(FIRST + dt.timedelta(seconds=30))  # too soon: nothing tried
    assert len(email_attempts()) == 2
    sweep(FIRST + dt.timedelta(seconds=60))  # second try, still down: five minutes next
    assert len(email_attempts()) == 4
    assert {d.next_attempt_at for d in Delivery.objects.filter(channel="email")} == {
        FIRST + dt.timedelta(seconds=60 + 300)
    }

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # it is back
    sweep(FIRST + dt.timedelta(seconds=360))
    sweep(FIRST + dt.timedelta(seconds=3600))
    assert len(mailoutbox) == 2
    assert [a.error == "" for a in email_attempts()] == [False] * 4 + [True] * 2
    assert {d.status for d in Delivery.objects.all()} == {DeliveryStatus.SENT}
    assert Attempt.objects.filter(channel="inapp").count() == 2  # one each, never repeated


def test_a_mail_server_that_refuses_for_good_is_not_retried(cast, settings, refusing_server):
    use_smtp(settings, refusing_server)
    submitted(cast, MONDAY)
    sweep(FIRST)
    sweep(FIRST + dt.timedelta(hours=2))
    attempts = email_attempts()
    assert len(attempts) == 2
    assert all(a.permanent and "554" in a.error for a in attempts)
    assert {d.status for d in Delivery.objects.filter(channel="email")} == {DeliveryStatus.FAILED}
    assert {d.status for d in Delivery.objects.filter(channel="inapp")} == {DeliveryStatus.SENT}


def test_retries_stop_after_the_last_backoff_step(cast, settings):
    settings.NOTIFY_RETRY_DELAYS = [60, 120]
    use_smtp(settings, closed_port())
    submitted(cast, MONDAY)
    for minutes in (0, 1, 3, 10, 60):
        sweep(FIRST + dt.timedelta(minutes=minutes))
    assert len(email_attempts()) == 6  # two people, three tries each
    assert {d.status for d in Delivery.objects.filter(channel="email")} == {DeliveryStatus.FAILED}


def test_a_retry_due_after_hours_waits_for_the_next_working_morning(cast, settings):
    use_smtp(settings, closed_port())
    submitted(cast, london(2026, 11, 6, 17, 29))  # Friday, a minute before the day ends
    sweep(london(2026, 11, 6, 17, 29, 30))
    assert {d.next_attempt_at for d in Delivery.objects.filter(channel="email")} == {
        london(2026, 11, 9, 9, 0)
    }


def test_a_delivery_whose_worker_died_mid_send_is_tried_again(cast, settings, mailoutbox):
    submitted(cast, MONDAY)
    sweep(FIRST)
    stuck = Delivery.objects.filter(channel="email").first()
    Delivery.objects.filter(pk=stuck.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=FIRST, sent_at=None
    )
    sweep(FIRST + dt.timedelta(minutes=5))
    assert Delivery.objects.get(pk=stuck.pk).status == DeliveryStatus.SENDING
    sweep(FIRST + dt.timedelta(minutes=16))
    assert Delivery.objects.get(pk=stuck.pk).status == DeliveryStatus.SENT
