"""What tripped a new user (issue 11), each checked as they would notice it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from tests.web.test_forms_flow import start_raising

pytestmark = pytest.mark.django_db


def test_urgent_route_phone_numbers_dial_in_one_tap(client: Client, people: Personas) -> None:
    client.force_login(people.health_visitor)
    response = start_raising(client, "yes")
    page = client.get(response.url).content.decode()
    assert '<a class="govuk-link" href="tel:01133760336">0113 376 0336</a>' in page
    assert 'href="tel:999"' in page


def test_staff_have_a_link_to_the_admin_and_others_do_not(client: Client, people: Personas) -> None:
    client.force_login(people.health_visitor)
    assert 'href="/admin/"' not in client.get(reverse("home")).content.decode()
    people.health_visitor.is_staff = True
    people.health_visitor.save()
    assert 'href="/admin/"' in client.get(reverse("home")).content.decode()


def test_the_overdue_advice_matches_what_the_person_may_do(people: Personas) -> None:
    from tests.conftest import london
    from tests.scenarios import advance

    at_one = advance(people.cast, "stage_1", london(2026, 10, 5, 10))
    at_two = advance(people.cast, "stage_2", london(2026, 10, 5, 10))
    raiser = Client()
    raiser.force_login(people.health_visitor)
    page = raiser.get(reverse("concern-detail", args=[at_one.pk])).content.decode()
    assert "Propose an outcome, or escalate it to stage 2." in page
    page = raiser.get(reverse("concern-detail", args=[at_two.pk])).content.decode()
    assert "The people holding this stage have been reminded. You can add a note." in page
    assert "escalate it to" not in page


def test_what_was_recorded_when_raising_is_on_the_concern_page(people: Personas) -> None:
    from tests.conftest import london
    from tests.scenarios import advance

    concern = advance(people.cast, "stage_1", london(2026, 10, 5, 10))
    client = Client()
    client.force_login(people.social_worker)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert "Manager or safeguarding lead consulted" in page
    assert people.health_manager.full_name in page
    assert "Other practitioner contacted" in page
    assert "Lead professional or IRO told" in page
    assert page.count('<dt class="govuk-summary-list__key">State</dt>') == 0  # the stage says it


def test_the_escalate_page_says_to_which_stage_and_the_new_deadline(people: Personas) -> None:
    from tests.conftest import london
    from tests.scenarios import advance

    concern = advance(people.cast, "stage_1", london(2026, 10, 5, 10))
    client = Client()
    client.force_login(people.health_visitor)
    page = client.get(reverse("concern-escalate", args=[concern.pk])).content.decode()
    assert "Escalate to stage 2:" in page
    assert 'id="new-deadline">Escalated today, stage 2 is due on' in page


def test_withdrawing_at_stage_1_asks_for_no_manager(people: Personas) -> None:
    from tests.conftest import london
    from tests.scenarios import advance

    at_one = advance(people.cast, "stage_1", london(2026, 10, 5, 10))
    at_two = advance(people.cast, "stage_2", london(2026, 10, 5, 10))
    client = Client()
    client.force_login(people.health_visitor)
    assert (
        "agreed_by"
        not in client.get(reverse("concern-withdraw", args=[at_one.pk])).content.decode()
    )
    page = client.get(reverse("concern-withdraw", args=[at_two.pk])).content.decode()
    assert 'name="agreed_by"' in page
    refused = client.post(
        reverse("concern-withdraw", args=[at_two.pk]),
        {"reason": "Resolved between us", "version": at_two.version},
    ).content.decode()
    assert "From stage 2 a manager in" in refused


def test_a_past_action_date_is_marked_on_its_field_at_the_first_submit(people: Personas) -> None:
    from django.utils import timezone

    from tests.conftest import london
    from tests.scenarios import advance

    concern = advance(people.cast, "stage_1", london(2026, 10, 5, 10))
    client = Client()
    client.force_login(people.health_visitor)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = client.post(
        reverse("concern-propose", args=[concern.pk]),
        {
            "version": concern.version,
            "outcome_statement": "A joint visit.",
            "decision": "changed",
            "reason": "Agreed on the phone.",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-owner_agency": people.social_care.pk,
            "actions-0-description": "Visit together.",
            "actions-0-due_date": yesterday.isoformat(),
        },
    ).content.decode()
    message = "Action 1: The due date must be today or in the future."
    assert f'<a href="#id_actions-0-due_date_0">{message}</a>' in page  # its Day box
    assert "Give each action an agency, a description and a date" not in page  # one error
    assert 'id="id_actions-0-due_date-error"' in page


def test_due_date_soonest_first_puts_concerns_without_a_date_last(people: Personas) -> None:
    from tests.conftest import london
    from tests.scenarios import advance

    closed = advance(people.cast, "closed", london(2026, 10, 5, 10))
    draft = advance(people.cast, "draft", london(2026, 10, 6, 10))
    open_one = advance(people.cast, "stage_1", london(2026, 10, 7, 10))
    client = Client()
    client.force_login(people.health_visitor)
    response = client.get(reverse("concern-list"), {"sort": "due"})
    order = [c.pk for c in response.context["page"].object_list]
    assert order[0] == open_one.pk
    assert set(order[1:]) == {closed.pk, draft.pk}


def test_a_discussion_written_up_later_says_so(people: Personas) -> None:
    from concerns import services
    from tests.concerns.helpers import note_data
    from tests.conftest import london
    from tests.scenarios import advance

    concern = advance(people.cast, "stage_1", london(2026, 10, 5, 10))
    services.note_create(
        concern_id=concern.pk,
        actor=people.health_visitor,
        data=note_data(london(2026, 10, 6, 15)),
        now=london(2026, 10, 9, 11),
    )
    client = Client()
    client.force_login(people.health_visitor)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert "Recorded later, on 9 October 2026: it sits here by when it happened." in page
