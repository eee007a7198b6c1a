"""Celery tasks of the domain: thin wrappers that take the time now and call a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from concerns import services


@shared_task(ignore_result=True)
def deem_silent_answers() -> int:
    """Beat runs this with the reminder sweep: each answer to a proposed outcome not given by
    the end of its answer window is recorded as deemed acceptance."""
    return services.deem_silent_answers(now=timezone.now())
