"""The pickers list exactly the people the services accept: the queryset rules
(`selectors.holder_candidates`, `adviser_candidates`) agree with the services' own checks
(`stages.may_hold`, `drafting.may_advise`) for every person and stage."""

from __future__ import annotations

import pytest

from concerns.models import Agency, Stage, User
from concerns.selectors import adviser_candidates, holder_candidates
from concerns.services.drafting import may_advise
from concerns.services.stages import may_hold
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def everyone_in(agency: Agency) -> list[User]:
    return list(User.objects.filter(agency=agency))


@pytest.mark.parametrize("number", [1, 2, 3])
@pytest.mark.parametrize("agency", ["health", "social_care"])
def test_holder_pickers_list_exactly_who_may_hold_the_stage(
    people: Personas, number: int, agency: str
) -> None:
    stage = Stage.objects.get(number=number)
    org: Agency = getattr(people, agency)
    people.health_colleague.is_active = False  # someone who has left is never listed
    people.health_colleague.save(update_fields=["is_active"])
    listed = set(holder_candidates(org.pk, stage))
    accepted = {person for person in everyone_in(org) if may_hold(person, org, stage)}
    assert listed == accepted
    assert accepted, "each agency has someone who may hold each stage"


def test_stage_3_lists_only_senior_managers(people: Personas) -> None:
    stage = Stage.objects.get(number=3)
    assert set(holder_candidates(people.health.pk, stage)) == {people.health_senior}


@pytest.mark.parametrize("agency", ["health", "social_care"])
def test_the_consulted_manager_picker_lists_exactly_who_may_advise(
    people: Personas, agency: str
) -> None:
    org: Agency = getattr(people, agency)
    listed = set(adviser_candidates(org.pk))
    accepted = {person for person in everyone_in(org) if may_advise(person, org.pk)}
    assert listed == accepted
