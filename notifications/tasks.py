"""Celery tasks: thin wrappers that take the time now and call a service.

Retries are not Celery's: a failed delivery keeps its next attempt time in the database and a
later sweep makes it, so a worker or broker outage delays retries and loses none.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from concerns import services
from notifications import planning, sending

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sweep() -> int:
    """Beat runs this every minute; services kick it when a reminder is due at once. First it
    records, as deemed acceptance, any answer to a proposed outcome not given in time (so the
    resolution notices go out in the same sweep)."""
    now = timezone.now()
    try:
        services.deem_silent_answers(now=now)
    except Exception:  # one bad row must not stop the reminders: logged, retried next sweep
        logger.exception("Could not record deemed acceptances.")
    return sending.sweep(now=now).reminders_sent


@shared_task(ignore_result=True)
def plan_digests() -> int:
    """Each working morning: plan one digest per manager with overdue concerns; the sweep
    sends them."""
    return planning.plan_digests(now=timezone.now())
