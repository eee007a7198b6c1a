"""The child's voice is required to submit: what the child says or shows, or why it could not be
gathered. And the urgent routes are the partnership's to keep, in the admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from concerns import services
from concerns.errors import InvalidInput
from concerns.models import Concern, UrgentRoute
from tests.concerns import helpers
from tests.concerns.helpers import ACT_AT
from tests.conftest import Personas
from tests.scenarios import Cast

pytestmark = pytest.mark.django_db


def raise_with(cast: Cast, **voice: str) -> Concern:
    data = helpers.draft_data(cast, **voice)
    return services.concern_create_draft(actor=cast.raiser, data=data, now=ACT_AT)


def submit(concern: Concern, cast: Cast) -> Concern:
    return services.concern_submit(
        concern_id=concern.pk,
        actor=cast.raiser,
        data=helpers.submission(cast, ACT_AT),
        now=ACT_AT,
    )


def test_it_refuses_to_submit_without_the_childs_voice_or_a_reason(cast: Cast) -> None:
    concern = raise_with(cast)
    with pytest.raises(InvalidInput) as invalid:
        submit(concern, cast)
    assert invalid.value.errors == {
        "child_voice": "Record what the child has said or shown, or say why you could not."
    }
    assert Concern.objects.get(pk=concern.pk).state == "draft"


def test_another_reason_must_be_put_in_words(cast: Cast) -> None:
    concern = raise_with(cast, child_voice_missing="other")
    with pytest.raises(InvalidInput) as invalid:
        submit(concern, cast)
    assert invalid.value.errors == {
        "child_voice_missing_detail": "Say why the child's voice could not be gathered."
    }


@pytest.mark.parametrize(
    ("voice", "shown"),
    [
        ({"child_voice": "Says the house is cold."}, "Says the house is cold."),
        ({"child_voice_missing": "too_young"}, "Not gathered: the child is too young to say."),
        (
            {"child_voice_missing": "other", "child_voice_missing_detail": "Placed out of area."},
            "Not gathered: another reason: Placed out of area.",
        ),
    ],
    ids=["what-the-child-said", "too-young", "another-reason"],
)
def test_a_concern_submits_with_the_voice_or_a_reason_and_the_page_says_which(
    client: Client, people: Personas, cast: Cast, voice: dict[str, str], shown: str
) -> None:
    concern = submit(raise_with(cast, **voice), cast)
    assert concern.state == "stage_1"
    client.force_login(people.health_visitor)
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert shown in page


def test_the_raise_form_shows_the_missing_voice_with_every_other_error(
    client: Client, people: Personas
) -> None:
    client.force_login(people.health_visitor)
    session = client.session
    session["raise"] = {"immediate_risk": False}
    session.save()
    response = client.post(reverse("concern-raise-details"), {"action": "submit"})
    page = response.content.decode()
    assert "Record what the child has said or shown, or say why you could not." in page
    assert "Enter a summary of the disagreement." in page


def test_the_urgent_routes_are_the_ones_kept_in_the_admin(
    client: Client, admin_client: Client, people: Personas
) -> None:
    route = UrgentRoute.objects.order_by("position").first()
    assert route is not None
    response = admin_client.post(
        "/admin/concerns/urgentroute/add/",
        {"text": "Leeds out-of-hours line: 0113 000 0000", "position": 0, "is_active": "on"},
    )
    assert response.status_code == 302
    route.is_active = False
    route.save()
    client.force_login(people.health_visitor)
    session = client.session
    session["raise"] = {"immediate_risk": True}
    session.save()
    page = client.get(reverse("concern-raise-urgent")).content.decode()
    assert (
        'Leeds out-of-hours line: <a class="govuk-link" href="tel:01130000000">0113 000 0000</a>'
        in page
    )
    assert route.text not in page
