"""Reminders through a real Celery worker and beat against Redis, on the real clock.

The worker (solo pool) and beat run in threads of this process (Celery's own test worker with
an embedded beat); beat sweeps every half second on a queue of the test's own. Concerns are
made to be overdue now: submitted five weeks ago, so the stage passed its due date weeks back.
These tests commit for real.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connections
from django.utils import timezone

from concerns.chain import verify_all
from concerns.models import CaseEvent, Concern
from notifications import sending
from notifications.models import Delivery, DeliveryStatus, Notification, Reminder, ReminderStatus
from notifications.tasks import sweep as sweep_task
from tests import scenarios
from tests.notifications.conftest import committing, submitted, wait_for, worker_and_beat

pytestmark = [committing, pytest.mark.usefixtures("any_hour")]

WEEKS_AGO = dt.timedelta(weeks=5)
# Per overdue concern: the submission notice (responder and the receiving lead) and the
# overdue prompt (raiser and responder): four people told, four emails, eight deliveries.
TOLD_PER_CONCERN = 4


def overdue_concerns(cast, count: int) -> list[Concern]:
    at = timezone.now() - WEEKS_AGO
    return [submitted(cast, at + dt.timedelta(minutes=n)) for n in range(count)]


def all_delivered(expected: int):
    def check() -> bool:
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        return sent >= expected * 2

    return check


def assert_each_told_once(concerns: list[Concern], mailoutbox) -> None:
    notifications = Notification.objects.filter(concern__in=concerns)
    assert notifications.count() == TOLD_PER_CONCERN * len(concerns)
    assert notifications.filter(in_app_at__isnull=True).count() == 0
    addressed = [(m.to[0], m.subject) for m in mailoutbox]
    assert len(addressed) == len(set(addressed)) == TOLD_PER_CONCERN * len(concerns)
    for concern in concerns:
        sent = Reminder.objects.filter(concern=concern, status=ReminderStatus.SENT)
        assert sent.count() == 2
        events = CaseEvent.objects.filter(concern=concern, kind="reminder.sent")
        assert events.count() == 2


def test_an_overdue_concern_is_emailed_and_shown_in_app_once(redis, cast, people, mailoutbox):
    (concern,) = overdue_concerns(cast, 1)
    with worker_and_beat():
        assert wait_for(all_delivered(TOLD_PER_CONCERN))
        time.sleep(2)  # several more sweeps: nothing goes out twice
    assert_each_told_once([concern], mailoutbox)
    overdue = [m for m in mailoutbox if "overdue" in m.subject]
    assert sorted(m.to[0] for m in overdue) == sorted(
        [people.health_visitor.email, people.social_worker.email]
    )


def test_reminders_that_fell_due_during_an_outage_are_each_delivered_once(redis, cast, mailoutbox):
    concerns = overdue_concerns(cast, 3)
    due = Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=timezone.now())
    assert due.count() >= 6  # fallen due, nobody to send them
    with worker_and_beat() as queue:
        # Sweeps a separate beat queued while the worker was down arrive all at once.
        for _ in range(5):
            sweep_task.apply_async(queue=queue)
        assert wait_for(all_delivered(TOLD_PER_CONCERN * 3))
        time.sleep(2)
    assert_each_told_once(concerns, mailoutbox)


def sweep_in_thread(barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        barrier.wait(timeout=10)
        sending.sweep(now=timezone.now())
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.parametrize("round_", range(3))
def test_two_workers_sweeping_at_once_send_nothing_twice(cast, mailoutbox, round_):
    concerns = overdue_concerns(cast, 2)
    barrier, errors = threading.Barrier(2), []
    workers = [threading.Thread(target=sweep_in_thread, args=(barrier, errors)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    assert_each_told_once(concerns, mailoutbox)
    attempts_per_delivery = {d.attempts for d in Delivery.objects.all()}
    assert attempts_per_delivery == {1}


def escalate_in_thread(cast, concern, barrier, errors) -> None:
    try:
        barrier.wait(timeout=10)
        scenarios.escalate(concern, cast, timezone.now())
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.parametrize("round_", range(3))
def test_a_sweep_and_an_escalation_at_once_neither_deadlock_nor_send_a_stale_prompt(
    postgres, cast, round_
):
    """The sweep locks reminder then concern; the escalation locks the concern, then cancels
    the old stage's reminders skipping any a sweep holds. Whoever goes first, both finish."""
    (concern,) = overdue_concerns(cast, 1)
    barrier, errors = threading.Barrier(2), []
    threads = [
        threading.Thread(target=sweep_in_thread, args=(barrier, errors)),
        threading.Thread(target=escalate_in_thread, args=(cast, concern, barrier, errors)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Concern.objects.get(pk=concern.pk).state == "stage_2"
    stage_1 = Reminder.objects.filter(concern=concern, state="stage_1")
    assert not stage_1.filter(status=ReminderStatus.PENDING).exists()
    sent = Reminder.objects.filter(concern=concern, status=ReminderStatus.SENT).count()
    assert CaseEvent.objects.filter(concern=concern, kind="reminder.sent").count() == sent
    assert list(verify_all([concern.pk])) == []
