"""Scoped reads of notifications: a person only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet

from concerns.models import User
from notifications.models import Notification


def notification_list_for(user: User) -> QuerySet[Notification]:
    """What the in-app channel has delivered to this person, newest first."""
    return Notification.objects.filter(recipient=user, in_app_at__isnull=False).order_by(
        "-created_at", "-pk"
    )


def unread_count_for(user: User) -> int:
    return notification_list_for(user).filter(read_at__isnull=True).count()
