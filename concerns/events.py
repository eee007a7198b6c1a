"""The domain's one announcement: "this concern moved, and here is the event on its chain".

The concerns domain knows nothing of who listens. Listeners (reminders today; an API or
webhooks later) subscribe from their own `AppConfig.ready`. Every write that saves the concern
(each transition, draft edits, confirmations) announces its event through
`services.base.record()`, once the event is chained; a new draft and a discussion note are
chained without being announced, as they change nothing a listener acts on.

Handlers run inside the writer's transaction, while it holds the concern's row lock: what a
handler writes commits or rolls back with the event itself, so a reminder can never outlive a
transition that did not happen. A handler that talks to anything outside the database (a
broker, a mail server) must defer that with `transaction.on_commit` and never wait on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concerns.models import CaseEvent, Concern

Handler = Callable[["Concern", "CaseEvent"], None]

_handlers: list[Handler] = []


def subscribe(handler: Handler) -> None:
    """Call `handler(concern, event)` for every announced event (once, however often a
    listener subscribes)."""
    if handler not in _handlers:
        _handlers.append(handler)


def unsubscribe(handler: Handler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def publish(concern: Concern, event: CaseEvent) -> None:
    """Tell every listener, in the order they subscribed. A listener's error propagates and
    rolls the write back: a transition whose reminders could not be planned does not happen."""
    for handler in list(_handlers):
        handler(concern, event)
