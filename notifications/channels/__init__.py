"""The channels, one module each. In-app comes first: a slow mail server never holds it up."""

from __future__ import annotations

from .base import Channel, DeliveryError
from .email import EmailChannel
from .inapp import InAppChannel

CHANNELS: dict[str, Channel] = {"inapp": InAppChannel(), "email": EmailChannel()}


__all__ = ["CHANNELS", "Channel", "DeliveryError"]
