"""The header's unread count: one COUNT query, and only on pages that show the header."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest

from notifications.selectors import unread_count_for


def unread(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable: the template calls it only where it is used.
    return {"unread_notifications": partial(unread_count_for, user)}
