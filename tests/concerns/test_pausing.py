"""Pause with a reason: the clock stops, reminders wait, one comes on the expected resume date,
and on resume the deadline moves by exactly the paused working days, saying so.

Worked by hand: submitted Mon 2 Nov 2026, stage 1 due Mon 9 Nov (5 working days). Paused Wed
4 Nov for a strategy discussion, resumed Tue 10 Nov: paused 4 working days (5, 6, 9, 10 Nov),
so due Mon 9 Nov + 4 working days = Fri 13 Nov.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from concerns import services
from concerns.errors import ActionRefused, InvalidInput, NotVisible
from concerns.models import CaseEvent, Concern
from concerns.reporting.figures import Period, build_report
from concerns.selectors import concern_due_soon_list_for, concern_overdue_list_for
from notifications.models import Kind, Notification, Reminder
from tests.concerns import helpers
from tests.conftest import Personas, london
from tests.notifications.conftest import sweep
from tests.scenarios import Cast, draft, submit

pytestmark = pytest.mark.django_db

PAUSED = london(2026, 11, 4, 10, 0)
RESUMED = london(2026, 11, 10, 10, 0)


@pytest.fixture
def paused(cast: Cast) -> Concern:
    concern = submit(draft(cast, london(2026, 11, 2, 9)), cast, london(2026, 11, 2, 10))
    assert concern.due_date == dt.date(2026, 11, 9)
    data = helpers.pause_data(PAUSED, resume_expected=dt.date(2026, 11, 10))
    return services.concern_pause(concern_id=concern.pk, actor=cast.raiser, data=data, now=PAUSED)


def test_resuming_moves_the_deadline_by_exactly_the_paused_working_days(
    cast: Cast, paused: Concern
) -> None:
    resumed = services.concern_resume(concern_id=paused.pk, actor=cast.responder, now=RESUMED)
    assert resumed.due_date == dt.date(2026, 11, 13)
    assert resumed.due_explanation.endswith(
        "; paused 4 working days for a strategy discussion: due Fri 13 Nov 2026"
    )
    period = resumed.stage_periods.get()
    assert (period.due_date, period.paused_working_days) == (dt.date(2026, 11, 13), 4)
    assert resumed.paused_at is None and resumed.paused_working_days == 4
    kinds = list(resumed.events.order_by("sequence").values_list("kind", flat=True))
    assert kinds[-2:] == ["concern.paused", "concern.resumed"]


def test_a_paused_concern_is_never_overdue(cast: Cast, paused: Concern) -> None:
    assert not paused.is_overdue(dt.date(2026, 11, 20))


def test_while_paused_the_stage_waits_and_says_to_resume_first(cast: Cast, paused: Concern) -> None:
    data = helpers.escalation_data(cast)
    with pytest.raises(ActionRefused, match="and paused; resume it first"):
        services.concern_escalate(concern_id=paused.pk, actor=cast.raiser, data=data, now=RESUMED)
    with pytest.raises(ActionRefused, match="already paused"):
        services.concern_pause(
            concern_id=paused.pk, actor=cast.raiser, data=helpers.pause_data(RESUMED), now=RESUMED
        )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"reason": ""}, {"reason": "Choose what the concern is waiting for."}),
        ({"reason": "other"}, {"detail": "Say what the concern is waiting for."}),
        (
            {"resume_expected": dt.date(2026, 11, 4)},
            {"resume_expected": "Enter the date you expect to resume, after today."},
        ),
        (
            {"resume_expected": dt.date(2027, 6, 1)},
            {
                "resume_expected": (
                    "A pause may be expected to last 90 days at most; escalate it instead."
                )
            },
        ),
    ],
    ids=["no-reason", "other-without-words", "resume-today", "resume-too-far"],
)
def test_a_pause_needs_a_reason_and_a_resume_date(
    cast: Cast, changes: dict[str, object], errors: dict[str, str]
) -> None:
    concern = submit(draft(cast, london(2026, 11, 2, 9)), cast, london(2026, 11, 2, 10))
    with pytest.raises(InvalidInput) as invalid:
        services.concern_pause(
            concern_id=concern.pk,
            actor=cast.raiser,
            data=helpers.pause_data(PAUSED, **changes),
            now=PAUSED,
        )
    assert invalid.value.errors == errors
    assert Concern.objects.get(pk=concern.pk).paused_at is None


def test_only_the_stages_holders_pause_it(people: Personas, cast: Cast) -> None:
    concern = submit(draft(cast, london(2026, 11, 2, 9)), cast, london(2026, 11, 2, 10))
    data = helpers.pause_data(PAUSED)
    with pytest.raises(ActionRefused, match="only the practitioner who raised it"):
        services.concern_pause(
            concern_id=concern.pk, actor=people.health_manager, data=data, now=PAUSED
        )
    with pytest.raises(NotVisible):
        services.concern_pause(
            concern_id=concern.pk, actor=people.social_care_senior, data=data, now=PAUSED
        )


def test_reminders_wait_and_one_comes_on_the_resume_date(
    people: Personas, cast: Cast, paused: Concern
) -> None:
    sweep(london(2026, 11, 10, 9, 0))  # after the old due date, the expected resume date
    told = Notification.objects.filter(concern=paused)
    assert not told.filter(kind=Kind.OVERDUE).exists(), "a stopped clock is not overdue"
    asked = set(told.filter(kind=Kind.RESUME).values_list("recipient__full_name", flat=True))
    assert asked == {"Hana Visitor", "Sam Worker"}
    services.concern_resume(concern_id=paused.pk, actor=cast.raiser, now=RESUMED)
    overdue = Reminder.objects.filter(concern=paused, kind=Kind.OVERDUE, status="pending")
    assert [r.due_at for r in overdue] == [london(2026, 11, 16, 9, 0)]  # after Fri 13 Nov


def test_pause_and_resume_through_the_pages(client: Client, people: Personas, cast: Cast) -> None:
    concern = submit(draft(cast, london(2026, 11, 2, 9)), cast, london(2026, 11, 2, 10))
    client.force_login(people.social_worker)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert f'href="/concerns/{concern.pk}/pause/"' in page
    url = reverse("concern-pause", args=[concern.pk])
    refused = client.post(url, {"version": concern.version, "reason": "conference"})
    assert "Enter the date you expect to resume, after today." in refused.content.decode()
    expected = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    response = client.post(
        url,
        {"version": concern.version, "reason": "conference", "resume_expected": expected},
        follow=True,
    )
    page = response.content.decode()
    assert "paused: its clock has stopped" in page
    assert "awaiting a child protection conference" in page
    concern.refresh_from_db()
    resume = client.post(
        reverse("concern-resume", args=[concern.pk]), {"version": concern.version}, follow=True
    )
    assert "resumed: now due" in resume.content.decode()
    assert CaseEvent.objects.filter(concern=concern, kind="concern.resumed").exists()


def test_the_report_shows_paused_time_apart(people: Personas, cast: Cast, paused: Concern):
    services.concern_resume(concern_id=paused.pk, actor=cast.raiser, now=RESUMED)
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), None)
    report = build_report(people.partnership_officer, period, dt.date(2026, 11, 30))
    assert report.paused_days == {1: 4}


def test_a_paused_concern_is_in_neither_the_overdue_nor_the_due_soon_list(
    people: Personas, paused: Concern
) -> None:
    lead = people.social_care_lead
    day = dt.date(2026, 11, 6)  # the stage's old due date is 9 Nov
    assert not concern_due_soon_list_for(lead, day, dt.date(2026, 11, 10)).exists()
    assert not concern_overdue_list_for(lead, dt.date(2026, 11, 20)).exists()
