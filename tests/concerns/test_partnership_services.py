"""The partnership's own writes: an audit sample and a report export each check who is asking
and chain exactly one event on the partnership's chain, whichever page (or script) calls them."""

from __future__ import annotations

import datetime as dt

import pytest

from concerns import services
from concerns.chain import verify_all
from concerns.errors import NotVisible
from concerns.models import CaseEvent
from concerns.models.concern import Category
from concerns.reporting.figures import Period
from tests.conftest import london
from tests.scenarios import Story, advance, confirm, resolve

NOW = london(2026, 12, 1, 9, 30)


def closed_at_stage_2(cast, start: dt.datetime, story: Story | None = None):
    concern = advance(cast, "stage_2", start, story=story)
    at = start + dt.timedelta(days=3)
    concern = resolve(concern, cast, at)
    confirm(concern, cast.raiser, at + dt.timedelta(days=1))
    return confirm(concern, cast.responder, at + dt.timedelta(days=1))


@pytest.fixture
def closed(cast):
    """Two concerns closed at stage 1 and one (about referral thresholds) at stage 2."""
    ones = [advance(cast, "closed", london(2026, 11, 2 + n, 10)) for n in range(2)]
    two = closed_at_stage_2(
        cast, london(2026, 11, 9, 10), Story(category=Category.REFERRAL_THRESHOLD)
    )
    return ones, two


def partnership_events(kind: str):
    return CaseEvent.objects.filter(concern=None, kind=kind)


@pytest.mark.parametrize(
    "persona",
    ["health_visitor", "social_care_manager", "social_care_senior", "partnership_officer"],
)
def test_only_an_auditor_may_sample_and_a_refusal_chains_nothing(people, closed, persona):
    with pytest.raises(NotVisible):
        services.audit_sample(actor=getattr(people, persona), filters={}, size=5, now=NOW)
    assert not partnership_events("audit.sampled").exists()


def test_an_inactive_auditor_may_not_sample(people, closed):
    people.partnership_auditor.is_active = False
    with pytest.raises(NotVisible):
        services.audit_sample(actor=people.partnership_auditor, size=5, now=NOW)
    assert not partnership_events("audit.sampled").exists()


@pytest.mark.parametrize(
    "persona", ["health_visitor", "social_care_manager", "social_care_senior", "police_manager"]
)
def test_only_partnership_staff_may_record_an_export_and_a_refusal_chains_nothing(people, persona):
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    with pytest.raises(NotVisible):
        services.report_export_record(
            actor=getattr(people, persona), kind="dataset", period=period, now=NOW
        )
    assert not partnership_events("report.exported").exists()


def test_a_sample_chains_exactly_one_event_naming_the_concerns_it_picked(people, closed):
    ones, two = closed
    picked = services.audit_sample(actor=people.partnership_auditor, filters={}, size=2, now=NOW)
    assert len(picked) == len(set(picked)) == 2
    assert set(picked) <= {c.pk for c in [*ones, two]}
    event = partnership_events("audit.sampled").get()
    assert event.actor == people.partnership_auditor
    assert event.payload == {"concerns": picked}
    assert event.created_at == NOW
    assert list(verify_all()) == []


def test_a_sample_is_drawn_only_from_the_filtered_queue(people, closed):
    ones, two = closed
    auditor = people.partnership_auditor
    assert services.audit_sample(actor=auditor, filters={"stage": 2}, size=10) == [two.pk]
    by_category = {"category": Category.INFORMATION_SHARING}
    assert set(services.audit_sample(actor=auditor, filters=by_category, size=10)) == {
        c.pk for c in ones
    }
    assert services.audit_sample(actor=auditor, filters={"agency": people.police}, size=10) == []
    assert partnership_events("audit.sampled").count() == 3


def test_an_export_record_names_the_export_and_its_period(people):
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 12, 31), people.health)
    services.report_export_record(
        actor=people.partnership_officer, kind="figures", period=period, now=NOW
    )
    services.report_export_record(
        actor=people.partnership_auditor,
        kind="dataset",
        period=Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        now=NOW,
    )
    first, second = partnership_events("report.exported").order_by("sequence")
    assert first.actor == people.partnership_officer
    assert first.payload == {
        "export": "figures",
        "start": "2026-11-01",
        "end": "2026-12-31",
        "agency": people.health.pk,
    }
    assert second.actor == people.partnership_auditor
    assert second.payload["agency"] is None
    assert list(verify_all()) == []
