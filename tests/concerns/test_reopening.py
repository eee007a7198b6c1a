"""Reopen (issue 9, item 2), written from the issue and the process reference:

- a party may reopen a closed, not yet audited concern within a configurable window (20
  working days by default), giving the new information; it returns to its last stage;
- after the window (or once audited), a linked follow-on concern instead;
- both are on the chain and counted in the report.

`advance(cast, "closed", MONDAY)` resolves at stage 1 on Wednesday 4 November 2026 and closes
on Thursday 5 November; 20 working days from then is Thursday 3 December.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from concerns import services
from concerns.chain import verify_all
from concerns.errors import ActionRefused, InvalidInput
from concerns.models import CaseEvent, Concern, Confirmation, ProcessSettings, StagePeriod
from concerns.reporting.figures import Period, build_report
from notifications.models import Kind, Notification
from tests import scenarios
from tests.conftest import Personas, london
from tests.notifications.conftest import sweep
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 11, 2, 10, 0)
LAST_DAY = london(2026, 12, 3, 16, 0)
NEW = "The school reports the child has not attended for two weeks."


def closed(cast: Cast, state: str = "closed") -> Concern:
    concern = scenarios.advance(cast, state, MONDAY)
    assert concern.closed_at is not None
    assert concern.closed_at.date() == dt.date(2026, 11, 5)
    return concern


def reopen(concern: Concern, actor, at: dt.datetime = LAST_DAY) -> Concern:
    return services.concern_reopen(concern_id=concern.pk, actor=actor, new_information=NEW, now=at)


def test_a_party_reopens_it_to_its_last_stage_with_a_new_clock(cast: Cast) -> None:
    concern = reopen(closed(cast), cast.responder)
    assert concern.state == "stage_1"
    assert concern.closed_at is None and concern.outcome_statement == ""
    # Five working days from Thursday 3 December.
    assert concern.due_date == dt.date(2026, 12, 10)
    assert list(StagePeriod.objects.filter(concern=concern).values_list("number", flat=True)) == [
        1,
        1,
    ]
    event = concern.events.order_by("sequence").last()
    assert event is not None and event.kind == "concern.reopened"
    assert (event.from_state, event.to_state) == ("closed", "stage_1")
    assert event.payload["new_information"] == NEW
    assert list(verify_all([concern.pk])) == []


def test_the_set_aside_outcome_must_be_agreed_and_confirmed_again(cast: Cast) -> None:
    concern = reopen(closed(cast), cast.raiser)
    assert not Confirmation.objects.filter(concern=concern).exists()
    assert Confirmation.every.filter(concern=concern, superseded_at__isnull=False).count() == 2
    later = london(2026, 12, 4, 10, 0)
    concern = scenarios.resolve(concern, cast, later)
    assert concern.state == "resolved"
    scenarios.confirm(concern, cast.raiser, later)
    concern = scenarios.confirm(concern, cast.responder, later)
    assert concern.state == "closed"


def test_a_new_information_statement_is_required_and_nothing_changes_without_it(
    cast: Cast,
) -> None:
    concern = closed(cast)
    with pytest.raises(InvalidInput) as error:
        services.concern_reopen(
            concern_id=concern.pk, actor=cast.raiser, new_information=" ", now=LAST_DAY
        )
    assert error.value.errors == {
        "new_information": "Say what new information means it must be reopened."
    }
    assert Concern.objects.get(pk=concern.pk).state == "closed"


def test_after_the_window_it_cannot_be_reopened_but_a_follow_on_can_be_raised(
    cast: Cast,
) -> None:
    concern = closed(cast)
    with pytest.raises(ActionRefused, match="could be reopened until Thu 3 Dec 2026"):
        reopen(concern, cast.raiser, london(2026, 12, 4, 9, 0))
    with pytest.raises(ActionRefused, match="can still be reopened"):
        services.concern_follow_on(concern_id=concern.pk, actor=cast.raiser, now=LAST_DAY)

    draft = services.concern_follow_on(
        concern_id=concern.pk, actor=cast.responder, now=london(2026, 12, 4, 9, 0)
    )
    assert draft.state == "draft" and draft.follows == concern
    # Raised by the responder's agency, about the same child, with the raiser's agency.
    assert (draft.raising_agency, draft.receiving_agency) == (
        concern.receiving_agency,
        concern.raising_agency,
    )
    assert draft.receiving_practitioner == cast.raiser
    assert draft.child_initials == concern.child_initials
    assert draft.events.get().payload["follows"] == concern.pk
    followed = concern.events.order_by("sequence").last()
    assert followed is not None and followed.kind == "concern.followed_on"
    assert followed.payload["follow_on_reference"] == draft.reference


def test_the_window_is_the_partnerships_setting(cast: Cast) -> None:
    settings = ProcessSettings.current()
    settings.reopen_working_days = 0
    settings.save()
    with pytest.raises(ActionRefused, match="Raise a follow-on concern"):
        reopen(closed(cast), cast.raiser, london(2026, 11, 5, 16, 0))


def test_an_audited_concern_is_never_reopened_only_followed_on(cast: Cast) -> None:
    concern = closed(cast, "audited")
    with pytest.raises(ActionRefused, match="nobody can reopen it now"):
        reopen(concern, cast.raiser)
    draft = services.concern_follow_on(concern_id=concern.pk, actor=cast.raiser, now=LAST_DAY)
    assert draft.follows == concern


def test_the_holders_are_told_it_is_back(people: Personas, cast: Cast) -> None:
    concern = reopen(closed(cast), cast.raiser)
    sweep(LAST_DAY + dt.timedelta(minutes=1))
    told = Notification.objects.filter(concern=concern, kind=Kind.REOPENED)
    assert set(told.values_list("recipient__full_name", flat=True)) == {
        "Hana Visitor",
        "Sam Worker",
    }


def test_the_report_counts_reopened_and_follow_on_concerns(people: Personas, cast: Cast) -> None:
    reopen(closed(cast), cast.raiser)
    old = closed(cast)
    services.concern_follow_on(concern_id=old.pk, actor=cast.raiser, now=london(2026, 12, 7, 9))
    closed(cast)
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    report = build_report(people.partnership_officer, period, dt.date(2026, 12, 31))
    # The follow-on is a draft: the report counts submitted concerns only.
    assert (report.reopened, report.follow_ons) == (1, 0)
    follow_on = Concern.objects.get(follows=old)
    scenarios.submit(follow_on, cast, london(2026, 12, 7, 10))
    report = build_report(people.partnership_officer, period, dt.date(2026, 12, 31))
    assert (report.reopened, report.follow_ons) == (1, 1)


def test_the_pages_offer_reopening_then_a_follow_on(client, cast: Cast) -> None:
    concern = closed(cast)
    client.force_login(cast.raiser)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    # The real today (2 December 2026) is within the window (until 3 December).
    assert "may reopen it with new information until Thursday 3 December 2026" in page
    assert reverse("concern-reopen", args=[concern.pk]) in page
    response = client.post(
        reverse("concern-reopen", args=[concern.pk]),
        {"version": concern.version, "new_information": ""},
    )
    assert "Say what new information means it must be reopened." in response.content.decode()
    response = client.post(
        reverse("concern-reopen", args=[concern.pk]),
        {"version": concern.version, "new_information": NEW},
    )
    assert response.status_code == 302
    assert CaseEvent.objects.filter(concern=concern, kind="concern.reopened").exists()
