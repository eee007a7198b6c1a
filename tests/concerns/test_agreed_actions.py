"""Agreed actions followed through (issue 9, item 9), written from the issue:

- an action has an owning agency (a party to the concern), optionally a named person, a due
  date within a year and a status: open, done, or not done with a reason;
- reminders when due and when overdue, to the named owner (else the owning agency's people);
- overdue actions on the home page and in the lead's morning digest;
- closing the concern does not end them;
- the report shows actions done on time.

The cast: Hana Visitor (health) raises it with Sam Worker (social care); the outcome agreed at
stage 1 gives social care an action owned by Sam Worker, due in a week.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from concerns import services
from concerns.errors import ActionRefused, InvalidInput
from concerns.models import AgreedAction, CaseEvent, Concern
from concerns.reporting.figures import Period, build_report
from notifications import planning
from notifications.models import Kind, Notification
from tests import scenarios
from tests.concerns import helpers
from tests.conftest import Personas, london
from tests.notifications.conftest import sweep
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 11, 2, 10, 0)
AGREED_AT = london(2026, 11, 5, 11, 0)  # Thursday
DUE = dt.date(2026, 11, 12)  # the Thursday after


def agreed(cast: Cast, *, owner: bool = True, close: bool = False) -> AgreedAction:
    """Resolved at stage 1 with one action for social care (named: Sam Worker)."""
    concern = scenarios.advance(cast, "stage_1", MONDAY)
    data = helpers.resolution(concern, AGREED_AT)
    data.actions = [
        services.ActionData(
            owner_agency=concern.receiving_agency,
            description="Start a child and family assessment.",
            due_date=DUE,
            owner=cast.responder if owner else None,
        )
    ]
    services.concern_propose(concern_id=concern.pk, actor=cast.raiser, data=data, now=AGREED_AT)
    services.concern_accept(concern_id=concern.pk, actor=cast.responder, now=AGREED_AT)
    if close:
        scenarios.confirm(concern, cast.raiser, AGREED_AT + dt.timedelta(hours=1))
        scenarios.confirm(concern, cast.responder, AGREED_AT + dt.timedelta(hours=2))
    return AgreedAction.objects.get(concern=concern)


def update(action: AgreedAction, actor, status: str, reason: str = "", at=None):
    return services.action_update(
        action_id=action.pk,
        actor=actor,
        data=services.ActionUpdateData(status=status, reason=reason),
        now=at or london(2026, 11, 11, 15, 0),
    )


def test_the_agreed_action_keeps_its_named_owner_and_starts_open(cast: Cast) -> None:
    action = agreed(cast)
    assert (action.owner, action.status, action.due_date) == (cast.responder, "open", DUE)


def test_closing_the_concern_does_not_end_its_actions_and_they_are_recorded_after(
    cast: Cast,
) -> None:
    action = agreed(cast, close=True)
    assert Concern.objects.get(pk=action.concern_id).state == "closed"
    done = update(action, cast.responder, "done")
    assert done.status == "done" and done.done_on_time
    event = CaseEvent.objects.filter(concern_id=action.concern_id).order_by("sequence").last()
    assert event is not None and event.kind == "action.updated"
    assert event.payload == {"action": action.pk, "status": "done", "reason": "", "on_time": True}
    with pytest.raises(ActionRefused, match="already recorded as done"):
        update(done, cast.responder, "not_done", "Changed my mind.")


def test_not_done_needs_a_reason_and_saves_nothing_without_one(cast: Cast) -> None:
    action = agreed(cast)
    with pytest.raises(InvalidInput) as error:
        update(action, cast.responder, "not_done", "  ")
    assert error.value.errors == {"reason": "Say why the action was not done."}
    action.refresh_from_db()
    assert action.status == "open"
    late = update(action, cast.responder, "not_done", "The family moved out of area.")
    assert late.status_reason == "The family moved out of area."


def test_only_the_owning_agencys_people_record_an_action(people: Personas, cast: Cast) -> None:
    action = agreed(cast)
    with pytest.raises(ActionRefused, match="only its people can say"):
        update(action, cast.raiser, "done")
    update(action, people.social_care_lead, "done")


def test_reminders_go_to_the_named_owner_when_due_and_when_overdue_even_after_closing(
    people: Personas, cast: Cast
) -> None:
    action = agreed(cast, close=True)
    sweep(london(2026, 11, 12, 9, 5))
    sweep(london(2026, 11, 13, 9, 5))
    owners = Notification.objects.filter(concern_id=action.concern_id)
    due = set(owners.filter(kind=Kind.ACTION_DUE).values_list("recipient__full_name", flat=True))
    late = owners.filter(kind=Kind.ACTION_OVERDUE).values_list("recipient__full_name", flat=True)
    assert due == {"Sam Worker"} and set(late) == {"Sam Worker"}


def test_without_a_named_owner_the_owning_agencys_people_are_reminded(
    people: Personas, cast: Cast
) -> None:
    action = agreed(cast, owner=False)
    sweep(london(2026, 11, 12, 9, 5))
    due = Notification.objects.filter(concern_id=action.concern_id, kind=Kind.ACTION_DUE)
    assert set(due.values_list("recipient__full_name", flat=True)) == {
        "Sam Worker",
        "Sasha Lead",
    }


def test_a_done_action_is_not_reminded_as_overdue(cast: Cast) -> None:
    action = agreed(cast)
    update(action, cast.responder, "done", at=london(2026, 11, 12, 8, 0))
    sweep(london(2026, 11, 13, 9, 5))
    assert not Notification.objects.filter(kind__in=[Kind.ACTION_DUE, Kind.ACTION_OVERDUE]).exists()


def test_overdue_actions_show_on_home_and_in_the_leads_digest(
    client,
    people: Personas,
    cast: Cast,
) -> None:
    action = agreed(cast, close=True)
    client.force_login(people.social_care_lead)
    # (The test client's today is the real date, long after the action was due.)
    page = client.get(reverse("home")).content.decode()
    assert "Agreed actions overdue" in page and "Start a child and family assessment." in page
    client.force_login(people.health_visitor)  # not her agency's action
    assert "Agreed actions overdue" not in client.get(reverse("home")).content.decode()

    morning = london(2026, 11, 13, 8, 0)
    planning.plan_digests(now=morning)
    sweep(london(2026, 11, 13, 9, 5))
    digest = Notification.objects.get(kind=Kind.DIGEST, recipient=people.social_care_lead)
    assert [a["reference"] for a in digest.context["actions"]] == [action.concern.reference]
    assert not Notification.objects.filter(kind=Kind.DIGEST, recipient=people.health_lead)


def test_the_report_counts_actions_done_on_time_late_not_done_and_overdue(
    people: Personas, cast: Cast
) -> None:
    on_time = agreed(cast)
    update(on_time, cast.responder, "done", at=london(2026, 11, 11, 15, 0))
    late = agreed(cast)
    update(late, cast.responder, "done", at=london(2026, 11, 16, 15, 0))
    not_done = agreed(cast)
    update(not_done, cast.responder, "not_done", "Moved away.")
    agreed(cast)  # still open

    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    report = build_report(people.partnership_officer, period, dt.date(2026, 11, 20))
    results = report.actions
    assert (results.agreed, results.done_on_time, results.done_late) == (4, 1, 1)
    assert (results.not_done, results.overdue, results.open) == (1, 1, 0)


def test_the_concern_page_offers_recording_an_action_to_its_owner_only(
    client,
    cast: Cast,
) -> None:
    action = agreed(cast)
    url = reverse("concern-action-update", args=[action.concern_id, action.pk])
    client.force_login(cast.responder)
    page = client.get(reverse("concern-detail", args=[action.concern_id])).content.decode()
    assert url in page
    response = client.post(url, {"version": action.concern.version, "status": "not_done"})
    assert "Say why the action was not done." in response.content.decode()
    response = client.post(url, {"version": action.concern.version, "status": "done", "reason": ""})
    assert response.status_code == 302
    client.force_login(cast.raiser)
    page = client.get(reverse("concern-detail", args=[action.concern_id])).content.decode()
    assert url not in page and "Done" in page
