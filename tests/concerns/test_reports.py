"""The learning report's figures, checked against answers worked out by hand below.

The calendar: Fri 25 and Mon 28 Dec 2026 and Fri 1 Jan 2027 are bank holidays.
- A: submitted Thu 24 Dec 2026, resolved at stage 1 on Tue 5 Jan 2027.
  Stage 1 working days: 29, 30, 31 Dec, 4, 5 Jan = 5 (due 5 Jan: met).
- B: submitted Mon 7 Dec 2026, escalated Mon 14 Dec (8, 9, 10, 11, 14 Dec = 5: met),
  resolved at stage 2 on Mon 4 Jan 2027: 15-18, 21-24, 29-31 Dec, 4 Jan = 12 working days,
  due 21 Dec: overdue. Overall 5 + 12 = 17.
- C: submitted Tue 1 Dec 2026, withdrawn Thu 3 Dec: 2 working days at stage 1.
So: 3 raised; highest stage 1 for A and C, 2 for B; stage 1 days [2, 5, 5]: median 5,
p90 5; stage 2 days [12]; overall [2, 5, 17]: median 5, p90 5 + 0.8 x 12 = 14.6;
stage 2 overdue 1 of 1, stage 1 overdue 0 of 3.
"""

from __future__ import annotations

import datetime as dt

import pytest

from concerns import services
from concerns.models.concern import Decision
from concerns.reporting.figures import Period, build_report
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import london

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def three(cast):
    a = scenarios.draft(cast, london(2026, 12, 23, 9))
    a = scenarios.submit(a, cast, london(2026, 12, 24, 10))
    a = scenarios.resolve(a, cast, london(2027, 1, 5, 11), decision=Decision.UPHELD)
    b = scenarios.draft(cast, london(2026, 12, 7, 9))
    b = scenarios.submit(b, cast, london(2026, 12, 7, 10))
    b = scenarios.escalate(b, cast, london(2026, 12, 14, 10))
    b = scenarios.resolve(b, cast, london(2027, 1, 4, 15))
    c = scenarios.draft(cast, london(2026, 12, 1, 9))
    c = scenarios.submit(c, cast, london(2026, 12, 1, 10))
    c = scenarios.withdraw(c, cast, london(2026, 12, 3, 16))
    return a, b, c


def report_for(people, agency=None):
    period = Period(dt.date(2026, 12, 1), dt.date(2027, 1, 31), agency)
    return build_report(people.partnership_officer, period, dt.date(2027, 1, 6))


def test_counts_and_highest_stage_match_the_hand_count(people, three):
    report = report_for(people)
    assert report.raised == 3
    assert report.highest_stage == {1: 2, 2: 1}
    assert report.agency_pairs == {("Community Health Trust", "Children's Social Work Service"): 3}
    assert report.categories == {"information_sharing": 3}


def test_working_days_per_stage_skip_the_christmas_bank_holidays(people, three):
    report = report_for(people)
    assert report.stage_days[1].count == 3
    assert report.stage_days[1].median == 5
    assert report.stage_days[1].p90 == pytest.approx(5)
    assert report.stage_days[2].median == 12
    assert report.overall_days is not None
    assert report.overall_days.median == 5
    assert report.overall_days.p90 == pytest.approx(14.6)


def test_overdue_share_and_outcomes_match_the_hand_count(people, three):
    report = report_for(people)
    assert report.overdue == {1: (3, 0), 2: (1, 1)}
    assert report.outcomes.resolved == 2
    assert report.outcomes.decisions == {"upheld": 1, "changed": 1}
    assert report.outcomes.raiser_accepted == 2
    assert report.outcomes.both_recorded == 0


def test_the_period_and_agency_filters_narrow_the_report(people, three):
    assert report_for(people, agency=people.police).raised == 0
    late = Period(dt.date(2026, 12, 5), dt.date(2026, 12, 31))
    assert build_report(people.partnership_officer, late, dt.date(2027, 1, 6)).raised == 2


def test_months_count_concerns_by_month_of_submission(people, three):
    assert report_for(people).months == {dt.date(2026, 12, 1): 3}


def test_urgent_escalations_and_immediate_risk_are_counted(people, cast, three):
    """Hand count: A, B and C were not urgent and nobody said the child was at risk now; D is
    escalated urgently and E was raised with the child at risk now: 1 and 1."""
    d = scenarios.submit(scenarios.draft(cast, london(2026, 12, 8, 9)), cast, london(2026, 12, 8))
    services.concern_escalate_urgently(
        concern_id=d.pk,
        actor=cast.raising_manager,
        data=helpers.urgent_escalation(cast),
        now=london(2026, 12, 9, 10),
    )
    e = scenarios.draft(cast, london(2026, 12, 10, 9))
    services.concern_submit(
        concern_id=e.pk,
        actor=cast.raiser,
        data=helpers.submission(
            cast,
            london(2026, 12, 10, 10),
            immediate_risk=True,
            safeguarding_action="Referred to the front door at once.",
        ),
        now=london(2026, 12, 10, 10),
    )
    report = report_for(people)
    assert (report.raised, report.urgent, report.immediate_risk) == (5, 1, 1)


def test_a_period_runs_from_london_midnight_to_london_midnight(people, cast):
    """Issue 12 filters on the timestamp (so the index serves it), not on a date cast; the
    days are still London's: 00:15 on 1 April (23:15 UTC on 31 March) is April's."""
    from concerns.models import Concern

    march = scenarios.advance(cast, "stage_1", london(2026, 3, 29, 10))
    april = scenarios.advance(cast, "stage_1", london(2026, 3, 30, 10))
    Concern.objects.filter(pk=march.pk).update(submitted_at=london(2026, 3, 31, 23, 45))
    Concern.objects.filter(pk=april.pk).update(submitted_at=london(2026, 4, 1, 0, 15))
    officer = people.partnership_officer
    in_march = build_report(officer, Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), TODAY)
    in_april = build_report(officer, Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)), TODAY)
    assert (in_march.raised, in_april.raised) == (1, 1)
