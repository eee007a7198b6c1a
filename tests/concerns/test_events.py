"""The domain announces every chained event to its listeners, inside the writer's transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from concerns import events
from concerns.models import CaseEvent, Concern
from notifications.models import Reminder
from tests.conftest import london
from tests.scenarios import draft, submit


@pytest.fixture
def heard() -> Iterator[list[tuple[int, str, str]]]:
    seen: list[tuple[int, str, str]] = []

    def listener(concern: Concern, event: CaseEvent) -> None:
        seen.append((concern.pk, event.kind, concern.state))

    events.subscribe(listener)
    yield seen
    events.unsubscribe(listener)


def test_each_transition_is_announced_once_with_the_state_it_reached(people, cast, heard):
    concern = draft(cast, london(2026, 11, 2, 10, 0))
    submit(concern, cast, london(2026, 11, 2, 11, 0))
    assert heard == [(concern.pk, "concern.submitted", "stage_1")]


def test_subscribing_twice_still_hears_once(people, cast, heard):
    listener = events._handlers[-1]
    events.subscribe(listener)
    submit(draft(cast, london(2026, 11, 2, 10, 0)), cast, london(2026, 11, 2, 11, 0))
    assert len(heard) == 1


def test_a_listener_that_fails_rolls_the_transition_back(people, cast):
    concern = draft(cast, london(2026, 11, 2, 10, 0))
    events_before = CaseEvent.objects.filter(concern=concern).count()

    def broken(concern: Concern, event: CaseEvent) -> None:
        raise RuntimeError("listener down")

    events.subscribe(broken)
    try:
        with pytest.raises(RuntimeError):
            submit(concern, cast, london(2026, 11, 2, 11, 0))
    finally:
        events.unsubscribe(broken)
    concern.refresh_from_db()
    assert concern.state == "draft"
    assert CaseEvent.objects.filter(concern=concern).count() == events_before
    assert not Reminder.objects.filter(concern=concern).exists()


def test_reminders_are_planned_through_the_hook_not_by_the_domain(people, cast):
    """notifications subscribes in its AppConfig.ready; a submitted concern gets reminders."""
    from notifications.planning import on_concern_event

    assert on_concern_event in events._handlers
    concern = submit(draft(cast, london(2026, 11, 2, 10, 0)), cast, london(2026, 11, 2, 11, 0))
    assert Reminder.objects.filter(concern=concern, state="stage_1").exists()
