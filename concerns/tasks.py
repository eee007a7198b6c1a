"""Celery tasks of the domain: thin wrappers that call a service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from concerns.anchor import write_checkpoint
from concerns.services import retention

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def audit_checkpoint() -> int:
    """Beat runs this each night: anchor every audit chain outside the database."""
    return len(write_checkpoint().chains)


@shared_task(ignore_result=True)
def retention_review() -> int:
    """Beat runs this each night: list the concerns that have come up for retention review
    (the partnership officers see the same list on the retention page) in the worker's log."""
    due = retention.due_for_review(timezone.localdate())
    if due:
        listed = ", ".join(f"{concern.reference} (since {day})" for concern, day in due[:50])
        more = f" and {len(due) - 50} more" if len(due) > 50 else ""
        logger.info("%d concerns are due for retention review: %s%s", len(due), listed, more)
    return len(due)
