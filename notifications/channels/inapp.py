"""In-app: the notification shows in the person's notifications list and the header count."""

from __future__ import annotations

from django.utils import timezone

from notifications.models import Notification


class InAppChannel:
    name = "inapp"

    def send(self, notification: Notification) -> None:
        # Conditional, so a repeated attempt never moves the time it first appeared.
        Notification.objects.filter(pk=notification.pk, in_app_at__isnull=True).update(
            in_app_at=timezone.now()
        )
