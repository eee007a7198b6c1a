"""The one interface every channel follows: send(notification), or raise DeliveryError."""

from __future__ import annotations

from typing import Protocol

from notifications.models import Notification


class DeliveryError(Exception):
    """A delivery that did not happen. Permanent errors are not retried (no address, a
    recipient the mail server refuses); anything else is tried again with backoff."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel(Protocol):
    name: str

    def send(self, notification: Notification) -> None:
        """Deliver the notification, or raise DeliveryError saying whether to retry."""
