"""Issue 10, item 6: a temporary SMTP refusal (451) is retried; a permanent one (550) is not.
Against a real SMTP server (aiosmtpd) started by the test, answering as told."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from notifications import sending
from notifications.models import Delivery, DeliveryStatus
from tests.conftest import london
from tests.notifications.conftest import submitted
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

AT = london(2026, 11, 2, 10, 0)


class Answers:
    """Answers RCPT TO with the next code in `codes` (then 250), and keeps what it accepted."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        self.accepted: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.codes:
            return self.codes.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.accepted += envelope.rcpt_tos
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings) -> Iterator[Answers]:
    handler = Answers([])
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()


def emails() -> list[Delivery]:
    return list(Delivery.objects.filter(channel="email").order_by("pk"))


def test_a_451_is_tried_again_and_then_delivered(cast: Cast, smtp: Answers) -> None:
    submitted(cast, AT)
    smtp.codes = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]
    sending.sweep(now=AT + dt.timedelta(minutes=1))
    first = emails()
    assert [d.status for d in first] == [DeliveryStatus.PENDING, DeliveryStatus.PENDING]
    assert all(d.next_attempt_at is not None for d in first)
    sending.sweep(now=AT + dt.timedelta(hours=2))
    assert [d.status for d in emails()] == [DeliveryStatus.SENT, DeliveryStatus.SENT]
    assert len(smtp.accepted) == 2


def test_a_550_is_permanent(cast: Cast, smtp: Answers) -> None:
    submitted(cast, AT)
    smtp.codes = ["550 5.1.1 No such mailbox", "550 5.1.1 No such mailbox"]
    sending.sweep(now=AT + dt.timedelta(minutes=1))
    sending.sweep(now=AT + dt.timedelta(hours=2))
    assert [d.status for d in emails()] == [DeliveryStatus.FAILED, DeliveryStatus.FAILED]
    assert smtp.accepted == []
