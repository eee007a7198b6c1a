"""Celery tasks: thin wrappers that take the time now and call a service.

Retries are not Celery's: a failed delivery keeps its next attempt time in the database and a
later sweep makes it, so a worker or broker outage delays retries and loses none.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from notifications import planning, sending


@shared_task(ignore_result=True)
def sweep() -> int:
    """Beat runs this every minute; services kick it when a reminder is due at once."""
    return sending.sweep(now=timezone.now()).reminders_sent


@shared_task(ignore_result=True)
def plan_digests() -> int:
    """Each working morning: plan one digest per manager with overdue concerns; the sweep
    sends them."""
    return planning.plan_digests(now=timezone.now())
