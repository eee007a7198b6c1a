"""The rules on a pinned clock, at their boundaries: weekends, bank holidays, closure days,
the end of the working day, and the clocks going forward."""

from __future__ import annotations

import datetime as dt

import pytest

from concerns.models import ClosureDay, Concern
from notifications import hours, rules
from notifications.models import Kind, Reminder
from tests.conftest import london

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at_stage(due: dt.date, started: dt.datetime, state: str = "stage_2") -> Concern:
    """An unsaved concern at a stage with a stored deadline: the rules need nothing else."""
    return Concern(pk=7, state=state, due_date=due, stage_started_at=started)


def planned(concern: Concern, kind: str, now: dt.datetime) -> list[rules.Planned]:
    return [p for p in rules.plan(concern, "", 0, now) if p.kind == kind]


# --- When a stage is due on a Friday.


def test_a_stage_due_on_a_friday_is_flagged_on_thursday_morning():
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    (soon,) = planned(concern, Kind.DUE_SOON, london(2026, 10, 30, 10))
    assert soon.due_at == london(2026, 11, 5, 9, 0)


def test_a_stage_due_on_a_friday_is_overdue_on_monday_morning_not_at_the_weekend():
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    (overdue,) = planned(concern, Kind.OVERDUE, london(2026, 10, 30, 10))
    assert overdue.due_at == london(2026, 11, 9, 9, 0)


def test_an_overdue_stage_is_prompted_again_every_two_working_days():
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    t = rules.Timings()
    after_first = rules.next_overdue(concern, london(2026, 11, 9, 9, 0, 30), t)
    assert after_first is not None and after_first.due_at == london(2026, 11, 11, 9)
    after_second = rules.next_overdue(concern, london(2026, 11, 11, 9, 0), t)
    assert after_second is not None and after_second.due_at == london(2026, 11, 13, 9)
    # Across the weekend: Friday's is followed by Tuesday's.
    after_third = rules.next_overdue(concern, london(2026, 11, 13, 9, 0), t)
    assert after_third is not None and after_third.due_at == london(2026, 11, 17, 9)


def test_a_late_sweep_keeps_the_overdue_schedule_instead_of_sending_a_backlog():
    """The worker was down from Monday to Thursday: the next prompt is Friday's, not
    Wednesday's (already past), so only one prompt goes out on Thursday."""
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    late = rules.next_overdue(concern, london(2026, 11, 12, 11), rules.Timings())
    assert late is not None and late.due_at == london(2026, 11, 13, 9)


def test_the_repeat_interval_is_configuration(settings):
    settings.NOTIFY_OVERDUE_REPEAT_WORKING_DAYS = 3
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    again = rules.next_overdue(concern, london(2026, 11, 9, 10), rules.timings())
    assert again is not None and again.due_at == london(2026, 11, 12, 9)


def test_a_stage_is_not_overdue_on_its_due_date_and_is_the_next_morning():
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    reminder = Reminder(kind=Kind.OVERDUE, state="stage_2", payload={})
    assert not rules.still_applies(reminder, concern, london(2026, 11, 6, 23, 59))
    assert rules.still_applies(reminder, concern, london(2026, 11, 7, 0, 0))
    assert rules.next_overdue(concern, london(2026, 11, 6, 23, 59), rules.Timings()) is None


# --- Over a bank holiday weekend (Spring bank holiday, Monday 25 May 2026).


def test_a_stage_due_before_a_bank_holiday_weekend_is_overdue_on_tuesday():
    concern = at_stage(dt.date(2026, 5, 22), london(2026, 5, 15, 10))
    (overdue,) = planned(concern, Kind.OVERDUE, london(2026, 5, 15, 10))
    assert overdue.due_at == london(2026, 5, 26, 9)
    again = rules.next_overdue(concern, london(2026, 5, 26, 9), rules.Timings())
    assert again is not None and again.due_at == london(2026, 5, 28, 9)


def test_a_stage_due_after_a_bank_holiday_weekend_is_flagged_on_the_friday_before():
    concern = at_stage(dt.date(2026, 5, 26), london(2026, 5, 18, 10))
    (soon,) = planned(concern, Kind.DUE_SOON, london(2026, 5, 18, 10))
    assert soon.due_at == london(2026, 5, 22, 9)


def test_christmas_and_the_substitute_boxing_day_are_skipped():
    concern = at_stage(dt.date(2026, 12, 24), london(2026, 12, 17, 10))
    (overdue,) = planned(concern, Kind.OVERDUE, london(2026, 12, 17, 10))
    assert overdue.due_at == london(2026, 12, 29, 9)


def test_a_closure_day_is_skipped_like_a_bank_holiday():
    ClosureDay.objects.create(date=dt.date(2026, 11, 9), description="Partnership training day")
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    (overdue,) = planned(concern, Kind.OVERDUE, london(2026, 10, 30, 10))
    assert overdue.due_at == london(2026, 11, 10, 9)


def test_nine_in_the_morning_is_nine_in_london_after_the_clocks_go_forward():
    concern = at_stage(dt.date(2026, 3, 27), london(2026, 3, 20, 10))
    (overdue,) = planned(concern, Kind.OVERDUE, london(2026, 3, 20, 10))
    assert overdue.due_at == dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 09:00 BST


# --- Working hours: a reminder falling due at 18:00 waits for 09:00 the next working day.


@pytest.mark.parametrize(
    ("due", "goes_out"),
    [
        (london(2026, 11, 5, 18, 0), london(2026, 11, 6, 9, 0)),  # Thursday evening
        (london(2026, 11, 6, 18, 0), london(2026, 11, 9, 9, 0)),  # Friday evening
        (london(2026, 11, 6, 17, 29, 59), london(2026, 11, 6, 17, 29, 59)),  # just inside
        (london(2026, 11, 6, 17, 30), london(2026, 11, 9, 9, 0)),  # the end is exclusive
        (london(2026, 11, 9, 8, 59), london(2026, 11, 9, 9, 0)),  # before the day starts
        (london(2026, 11, 9, 9, 0), london(2026, 11, 9, 9, 0)),  # the start is inclusive
        (london(2026, 11, 7, 12, 0), london(2026, 11, 9, 9, 0)),  # Saturday
        (london(2026, 5, 22, 18, 0), london(2026, 5, 26, 9, 0)),  # bank holiday weekend
    ],
)
def test_a_reminder_due_outside_working_hours_waits_for_the_next_working_morning(due, goes_out):
    assert hours.next_delivery_time(due) == goes_out


def test_working_hours_are_configuration(settings):
    settings.NOTIFY_WORKING_HOURS = "08:00-18:30"
    assert hours.next_delivery_time(london(2026, 11, 6, 18, 0)) == london(2026, 11, 6, 18, 0)
    assert hours.next_delivery_time(london(2026, 11, 6, 18, 30)) == london(2026, 11, 9, 8, 0)
    assert hours.is_delivery_time(london(2026, 11, 9, 8, 0))
    assert not hours.is_delivery_time(london(2026, 11, 9, 7, 59))


def test_working_hours_that_end_before_they_start_are_refused():
    with pytest.raises(ValueError, match="start before they end"):
        hours.parse_hours("17:30-09:00", "Europe/London")


# --- What each event calls for.


def test_a_stage_that_starts_after_its_reminder_morning_gets_no_due_soon_reminder():
    """A one-day stage started at 10:00: the morning before its due date is already past."""
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 11, 5, 10))
    assert planned(concern, Kind.DUE_SOON, london(2026, 11, 5, 10)) == []


def test_submission_escalation_and_resolution_each_call_for_a_notice_at_once():
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10), state="stage_1")
    for event, kind in [
        ("concern.submitted", Kind.SUBMITTED),
        ("concern.escalated", Kind.ESCALATED),
        ("concern.escalated_urgently", Kind.ESCALATED),
    ]:
        notice = rules.notice(concern, event, 4, london(2026, 10, 30, 10))
        assert notice is not None and notice.kind == kind
        assert notice.due_at == london(2026, 10, 30, 10)
    assert rules.notice(concern, "note.recorded", 5, london(2026, 10, 30, 10)) is None


def test_resolution_plans_a_confirmation_reminder_for_each_agency_before_the_window_closes():
    concern = Concern(
        pk=7, state="resolved", due_date=dt.date(2026, 11, 13), resolved_at=london(2026, 11, 6, 11)
    )
    confirm = planned(concern, Kind.CONFIRM, london(2026, 11, 6, 11))
    assert [c.payload["side"] for c in confirm] == ["raising", "receiving"]
    assert {c.due_at for c in confirm} == {london(2026, 11, 12, 9)}
    assert planned(concern, Kind.OVERDUE, london(2026, 11, 6, 11)) == []


def test_closed_and_withdrawn_concerns_call_for_nothing():
    for state in ("closed", "withdrawn", "audited", "draft"):
        concern = Concern(pk=7, state=state, due_date=None)
        assert rules.plan(concern, "concern.closed", 9, london(2026, 11, 6, 11)) == []


def test_a_due_soon_reminder_no_longer_applies_once_the_deadline_moved_or_passed():
    concern = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10))
    reminder = Reminder(kind=Kind.DUE_SOON, state="stage_2", payload={"due_date": "2026-11-06"})
    assert rules.still_applies(reminder, concern, london(2026, 11, 5, 9))
    assert not rules.still_applies(reminder, concern, london(2026, 11, 7, 9))
    concern.due_date = dt.date(2026, 11, 10)
    assert not rules.still_applies(reminder, concern, london(2026, 11, 5, 9))
    escalated = at_stage(dt.date(2026, 11, 6), london(2026, 10, 30, 10), state="stage_3")
    assert not rules.still_applies(reminder, escalated, london(2026, 11, 5, 9))
