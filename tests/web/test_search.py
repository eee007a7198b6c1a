"""Finding a concern (issue 11): by reference (whole or short), either agency's case number,
the child's initials with a date of birth, and words from the summary and the discussions a
person may read; always within what they may see (an outsider finds nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from concerns import services
from concerns.models import Concern, Role, User
from tests.concerns.helpers import note_data
from tests.conftest import Personas, london, person
from tests.scenarios import Story, advance

pytestmark = pytest.mark.django_db
AT = london(2026, 11, 2, 10)


@pytest.fixture
def found(people: Personas) -> Concern:
    story = Story(initials="JB", birth_date=dt.date(2019, 3, 27), summary="Missed dental visits")
    concern = advance(people.cast, "stage_1", AT, story=story)
    Concern.objects.filter(pk=concern.pk).update(
        raising_agency_case_number="NHS-778812", receiving_agency_case_number="MOS 44120"
    )
    services.note_create(
        concern_id=concern.pk,
        actor=people.social_worker,
        data=note_data(AT, discussion="Talked about the trampoline accident."),
        now=AT + dt.timedelta(hours=2),
    )
    services.note_create(
        concern_id=concern.pk,
        actor=people.social_worker,
        data=note_data(AT, discussion="Our own view: the stepfather is evasive.", internal=True),
        now=AT + dt.timedelta(hours=3),
    )
    advance(people.cast, "stage_1", AT, story=Story(initials="KT", summary="Another child"))
    return concern


def search(user: User, **params: str) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("concern-list"), params)
    assert response.status_code == 200
    return [c.reference for c in response.context["page"].object_list]


SEARCHES = [
    {"q": "JB", "born_0": "27", "born_1": "3", "born_2": "2019"},
    {"q": "jb"},
    {"q": "NHS-778812"},
    {"q": "mos 44120"},
    {"q": "dental"},
    {"q": "trampoline"},
]


@pytest.mark.parametrize("params", SEARCHES, ids=lambda p: p["q"])
def test_the_people_in_it_find_it_and_an_outsider_does_not(
    found: Concern, people: Personas, params: dict[str, str]
) -> None:
    assert search(people.health_visitor, **params) == [found.reference]
    assert search(people.social_worker, **params) == [found.reference]
    assert search(people.police_officer, **params) == []


def test_a_short_reference_finds_it(found: Concern, people: Personas) -> None:
    year, number = found.reference.split("-")[1:]
    assert search(people.health_visitor, q=f"{year}-{int(number)}") == [found.reference]
    assert search(people.health_visitor, q=found.reference.lower()) == [found.reference]


def test_another_agencys_internal_note_is_not_searched(found: Concern, people: Personas) -> None:
    assert search(people.social_worker, q="stepfather") == [found.reference]
    assert search(people.health_visitor, q="stepfather") == []


def test_the_date_of_birth_narrows_and_a_wrong_one_finds_nothing(
    found: Concern, people: Personas
) -> None:
    assert search(people.health_visitor, born_0="27", born_1="3", born_2="2019") == [
        found.reference
    ]
    assert search(people.health_visitor, q="JB", born_0="1", born_1="3", born_2="2019") == []


def test_an_impossible_date_says_so(found: Concern, people: Personas) -> None:
    client = Client()
    client.force_login(people.health_visitor)
    response = client.get(
        reverse("concern-list"), {"born_0": "31", "born_1": "2", "born_2": "2019"}
    )
    assert "Enter a real date of birth" in response.content.decode()


def raise_about_jb(client: Client, people: Personas, token: str, **extra: str) -> object:
    from tests.web.test_forms_flow import details, start_raising

    start_raising(client)
    data = details(people, token=token, child_initials="jb", child_date_of_birth="2019-03-27")
    return client.post(reverse("concern-raise-details"), {**data, **extra})


def test_raising_again_about_the_same_child_warns_first(found: Concern, people: Personas) -> None:
    client = Client()
    client.force_login(people.health_visitor)
    before = Concern.objects.count()
    warned = raise_about_jb(client, people, "dup-1")
    page = warned.content.decode()  # type: ignore[attr-defined]
    assert "There may already be an open concern about this child" in page
    assert found.reference in page  # theirs: they may open it
    assert Concern.objects.count() == before  # nothing saved yet
    sent = raise_about_jb(client, people, "dup-1", duplicates_seen="yes")
    assert sent.status_code == 302  # type: ignore[attr-defined]
    assert Concern.objects.count() == before + 1


def test_the_warning_names_nothing_the_raiser_may_not_open(
    found: Concern, people: Personas
) -> None:
    colleague = person("Hal Nurse", people.health, Role.PRACTITIONER)  # no part in it
    client = Client()
    client.force_login(colleague)
    page = raise_about_jb(client, people, "dup-2").content.decode()  # type: ignore[attr-defined]
    assert "There may already be an open concern about this child" in page
    assert "You cannot open it" in page
    assert found.reference not in page


def test_words_are_found_through_the_text_indexes(found: Concern, people: Personas, postgres: None):
    """On PostgreSQL a search reads the GIN indexes of migration 0024 (their expressions must
    match the search's exactly, or every concern's text is computed again: ~0.5 s a query at
    20,000 concerns against ~35 ms through the index)."""
    from django.db import connection

    from concerns import selectors

    query = selectors.concern_list_for(people.partnership_officer, {"q": "dental"})
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table: ask whether it *can*
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "concern_text_search" in plan and "note_text_search" in plan, plan
