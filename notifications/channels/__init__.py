"""The channels, one module each. In-app comes first: a slow mail server never holds it up."""

from __future__ import annotations

from concerns.models import User

from .base import Channel, DeliveryError
from .email import EmailChannel
from .inapp import InAppChannel

CHANNELS: dict[str, Channel] = {"inapp": InAppChannel(), "email": EmailChannel()}


def channels_for(person: User) -> list[str]:
    """Everyone gets both; someone with no address gets a recorded, permanent email failure."""
    return list(CHANNELS)


__all__ = ["CHANNELS", "Channel", "DeliveryError", "channels_for"]
