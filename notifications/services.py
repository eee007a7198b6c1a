"""Reading notifications: the person's own, marked read one at a time or all at once."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from concerns.models import User
from notifications.models import Notification


def notification_open(*, user: User, notification_id: int, now: dt.datetime) -> Notification:
    """Mark one of the person's own notifications read (DoesNotExist for anyone else's)."""
    notification = Notification.objects.get(
        pk=notification_id, recipient=user, in_app_at__isnull=False
    )
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    return notification


def notification_read_all(*, user: User, now: dt.datetime) -> int:
    unread = Q(recipient=user, read_at__isnull=True, in_app_at__isnull=False)
    return Notification.objects.filter(unread).update(read_at=now)
