"""Working-day deadlines across bank holidays and closure days, worked out by hand here.

Working days exclude weekends, the bank holidays of England and Wales and the partnership's
closure days; the start day itself never counts. Each holiday is tried from just before, on,
and just after it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from concerns import services
from concerns.calendar import deadline, working_days_between
from concerns.models import ClosureDay, Concern, StagePeriod
from tests.concerns import helpers
from tests.conftest import london
from tests.scenarios import Cast, draft, escalate, submit

pytestmark = pytest.mark.django_db

D = dt.date

# Christmas 2026: Fri 25 Dec, Sat 26 Dec (Boxing Day, observed Mon 28 Dec), Fri 1 Jan 2027.
CHRISTMAS = [
    pytest.param(
        D(2026, 12, 23),
        5,
        D(2027, 1, 4),
        "5 working days from Wed 23 Dec 2026, skipping 25, 28 Dec and 1 Jan: due Mon 4 Jan 2027",
        id="the-day-before-christmas-eve",
    ),
    pytest.param(
        D(2026, 12, 24),
        5,
        D(2027, 1, 5),
        "5 working days from Thu 24 Dec 2026, skipping 25, 28 Dec and 1 Jan: due Tue 5 Jan 2027",
        id="christmas-eve",
    ),
    pytest.param(
        D(2026, 12, 25),
        5,
        D(2027, 1, 5),
        "5 working days from Fri 25 Dec 2026, skipping 28 Dec and 1 Jan: due Tue 5 Jan 2027",
        id="christmas-day",
    ),
    pytest.param(
        D(2026, 12, 28),
        5,
        D(2027, 1, 5),
        "5 working days from Mon 28 Dec 2026, skipping 1 Jan: due Tue 5 Jan 2027",
        id="boxing-day-observed",
    ),
    pytest.param(
        D(2026, 12, 29),
        5,
        D(2027, 1, 6),
        "5 working days from Tue 29 Dec 2026, skipping 1 Jan: due Wed 6 Jan 2027",
        id="the-first-working-day-after",
    ),
    pytest.param(
        D(2026, 12, 31),
        1,
        D(2027, 1, 4),
        "1 working day from Thu 31 Dec 2026, skipping 1 Jan: due Mon 4 Jan 2027",
        id="new-years-eve-one-day",
    ),
    pytest.param(
        D(2026, 12, 24),
        2,
        D(2026, 12, 30),
        "2 working days from Thu 24 Dec 2026, skipping 25, 28 Dec: due Wed 30 Dec 2026",
        id="stage-1-response-from-christmas-eve",
    ),
    pytest.param(
        D(2026, 12, 24),
        14,
        D(2027, 1, 18),
        "14 working days from Thu 24 Dec 2026, skipping 25, 28 Dec and 1 Jan: due Mon 18 Jan 2027",
        id="partnership-stage-from-christmas-eve",
    ),
]

# Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar.
EASTER = [
    pytest.param(
        D(2027, 3, 24),
        5,
        D(2027, 4, 2),
        "5 working days from Wed 24 Mar 2027, skipping 26, 29 Mar: due Fri 2 Apr 2027",
        id="two-days-before-good-friday",
    ),
    pytest.param(
        D(2027, 3, 25),
        5,
        D(2027, 4, 5),
        "5 working days from Thu 25 Mar 2027, skipping 26, 29 Mar: due Mon 5 Apr 2027",
        id="the-day-before-good-friday",
    ),
    pytest.param(
        D(2027, 3, 25),
        1,
        D(2027, 3, 30),
        "1 working day from Thu 25 Mar 2027, skipping 26, 29 Mar: due Tue 30 Mar 2027",
        id="one-day-over-the-whole-weekend",
    ),
    pytest.param(
        D(2027, 3, 26),
        5,
        D(2027, 4, 5),
        "5 working days from Fri 26 Mar 2027, skipping 29 Mar: due Mon 5 Apr 2027",
        id="good-friday",
    ),
    pytest.param(
        D(2027, 3, 29),
        5,
        D(2027, 4, 5),
        "5 working days from Mon 29 Mar 2027: due Mon 5 Apr 2027",
        id="easter-monday",
    ),
    pytest.param(
        D(2027, 3, 30),
        5,
        D(2027, 4, 6),
        "5 working days from Tue 30 Mar 2027: due Tue 6 Apr 2027",
        id="the-day-after-easter-monday",
    ),
]


@pytest.mark.parametrize(("start", "days", "due", "explanation"), CHRISTMAS + EASTER)
def test_deadlines_skip_weekends_and_bank_holidays_and_say_so(
    start: dt.date, days: int, due: dt.date, explanation: str
) -> None:
    found = deadline(start, days)
    assert (found.due, found.explanation) == (due, explanation)


# A partnership training day on Wed 15 Jul 2026 (an ordinary week otherwise).
TRAINING_DAY = D(2026, 7, 15)


@pytest.fixture
def training_day() -> ClosureDay:
    return ClosureDay.objects.create(date=TRAINING_DAY, description="Partnership training day")


@pytest.mark.parametrize(
    ("start", "due", "explanation"),
    [
        pytest.param(
            D(2026, 7, 14),
            D(2026, 7, 22),
            "5 working days from Tue 14 Jul 2026, skipping 15 Jul: due Wed 22 Jul 2026",
            id="the-day-before",
        ),
        pytest.param(
            D(2026, 7, 15),
            D(2026, 7, 22),
            "5 working days from Wed 15 Jul 2026: due Wed 22 Jul 2026",
            id="on-the-day",
        ),
        pytest.param(
            D(2026, 7, 16),
            D(2026, 7, 23),
            "5 working days from Thu 16 Jul 2026: due Thu 23 Jul 2026",
            id="the-day-after",
        ),
    ],
)
def test_deadlines_skip_a_configured_closure_day(
    training_day: ClosureDay, start: dt.date, due: dt.date, explanation: str
) -> None:
    found = deadline(start, 5)
    assert (found.due, found.explanation) == (due, explanation)


def test_without_the_closure_day_the_same_week_has_one_more_working_day() -> None:
    assert deadline(D(2026, 7, 14), 5).due == D(2026, 7, 21)


def test_a_closure_day_next_to_christmas_is_skipped_with_the_bank_holidays() -> None:
    ClosureDay.objects.create(date=D(2026, 12, 24), description="Christmas Eve closure")
    found = deadline(D(2026, 12, 23), 5)
    assert found.explanation == (
        "5 working days from Wed 23 Dec 2026, skipping 24, 25, 28 Dec and 1 Jan: due Tue 5 Jan 2027"
    )


def test_working_days_between_count_only_working_days_after_the_start() -> None:
    assert working_days_between(D(2026, 12, 24), D(2027, 1, 5)) == 5
    assert working_days_between(D(2027, 3, 25), D(2027, 4, 5)) == 5
    assert working_days_between(D(2027, 1, 5), D(2027, 1, 5)) == 0


# --- Deadlines stored when a stage starts.

CHRISTMAS_EVE = london(2026, 12, 24, 10, 0)
CHRISTMAS_EXPLANATION = (
    "5 working days from Thu 24 Dec 2026, skipping 25, 28 Dec and 1 Jan: due Tue 5 Jan 2027"
)


def submitted_at(cast: Cast, at: dt.datetime) -> Concern:
    concern = draft(cast, at - dt.timedelta(days=1))
    submit(concern, cast, at)
    return Concern.objects.get(pk=concern.pk)


def test_submitting_stores_stage_1_deadlines_and_how_they_were_worked_out(cast: Cast) -> None:
    concern = submitted_at(cast, CHRISTMAS_EVE)
    assert concern.response_due_date == D(2026, 12, 30)
    assert concern.due_date == D(2027, 1, 5)
    assert concern.due_explanation == CHRISTMAS_EXPLANATION
    period = StagePeriod.objects.get(concern=concern, number=1)
    assert (period.due_date, period.response_due_date, period.due_explanation) == (
        D(2027, 1, 5),
        D(2026, 12, 30),
        CHRISTMAS_EXPLANATION,
    )
    event = concern.events.get(kind="concern.submitted")
    assert (event.payload["due_date"], event.payload["due_explanation"]) == (
        "2027-01-05",
        CHRISTMAS_EXPLANATION,
    )


def test_the_clock_starts_on_the_london_date_not_the_utc_date(cast: Cast) -> None:
    # 00:30 in London on Wed 15 Jul 2026 is still Tue 14 Jul in UTC.
    concern = submitted_at(cast, london(2026, 7, 15, 0, 30))
    assert concern.due_explanation == "5 working days from Wed 15 Jul 2026: due Wed 22 Jul 2026"


def test_submitting_without_a_given_time_uses_the_clock(cast: Cast) -> None:
    concern = draft(cast, CHRISTMAS_EVE - dt.timedelta(days=1))
    data = helpers.submission(cast, CHRISTMAS_EVE)
    with time_machine.travel(CHRISTMAS_EVE, tick=False):
        services.concern_submit(concern_id=concern.pk, actor=cast.raiser, data=data)
    concern.refresh_from_db()
    assert concern.submitted_at == CHRISTMAS_EVE
    assert concern.due_date == D(2027, 1, 5)


def test_a_stage_is_overdue_only_after_its_due_date(cast: Cast) -> None:
    concern = submitted_at(cast, CHRISTMAS_EVE)
    assert not concern.is_overdue(D(2027, 1, 4))
    assert not concern.is_overdue(D(2027, 1, 5))
    assert concern.is_overdue(D(2027, 1, 6))


@pytest.mark.parametrize(("day", "overdue"), [(D(2027, 1, 5), False), (D(2027, 1, 6), True)])
def test_an_escalation_records_whether_the_stage_was_overdue(
    cast: Cast, day: dt.date, overdue: bool
) -> None:
    concern = submitted_at(cast, CHRISTMAS_EVE)
    escalate(concern, cast, dt.datetime.combine(day, dt.time(16), tzinfo=CHRISTMAS_EVE.tzinfo))
    event = concern.events.get(kind="concern.escalated")
    assert event.payload["was_overdue"] is overdue


def test_a_closure_day_added_later_does_not_move_a_running_clock(cast: Cast) -> None:
    concern = submitted_at(cast, CHRISTMAS_EVE)
    ClosureDay.objects.create(date=D(2026, 12, 30), description="Emergency closure")
    # The same start computed now would fall a day later...
    assert deadline(D(2026, 12, 24), 5).due == D(2027, 1, 6)
    # ...but the stage keeps the deadline it was given when it started.
    concern.refresh_from_db()
    assert (concern.due_date, concern.due_explanation) == (D(2027, 1, 5), CHRISTMAS_EXPLANATION)
    assert StagePeriod.objects.get(concern=concern, number=1).due_date == D(2027, 1, 5)


# --- Closure days are read once per process, and a change is seen at once.


def test_a_deadline_reads_closure_days_at_most_once(django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(1):
        deadline(D(2026, 12, 23), 5)
    with django_assert_max_num_queries(0):
        deadline(D(2026, 12, 23), 5)
        working_days_between(D(2026, 12, 1), D(2027, 1, 29))


def test_a_closure_day_saved_or_deleted_is_counted_by_the_next_deadline() -> None:
    assert deadline(D(2026, 7, 14), 5).due == D(2026, 7, 21)
    closure = ClosureDay.objects.create(date=TRAINING_DAY, description="Partnership training day")
    assert deadline(D(2026, 7, 14), 5).due == D(2026, 7, 22)
    closure.date = D(2026, 7, 16)
    closure.save()
    assert deadline(D(2026, 7, 14), 5).explanation.startswith(
        "5 working days from Tue 14 Jul 2026, skipping 16 Jul"
    )
    closure.delete()
    assert deadline(D(2026, 7, 14), 5).due == D(2026, 7, 21)
