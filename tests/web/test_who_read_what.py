"""Who read what (issue 10, item 11): every read of a concern page, its history or a report
download writes an access record (who, when, what), kept apart from the transition chain and
sealed the same way; partnership staff opening an open concern they do not hold give a reason
once per concern per day; the concern page offers "who has looked at this" to the partnership
and the agencies' safeguarding leads; sign-ins, failures and lockouts are recorded too."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from concerns.models import AccessRecord
from tests.concerns.test_audit_integrity import bypassing_the_guards
from tests.conftest import Personas, london
from tests.scenarios import Cast, advance

pytestmark = pytest.mark.django_db

MONDAY = london(2026, 11, 2, 10, 0)


def reads(**filters: object) -> list[str]:
    return list(
        AccessRecord.objects.filter(**filters).order_by("at", "pk").values_list("what", flat=True)
    )


def test_each_read_of_a_concern_page_history_and_download_is_recorded(
    client: Client, people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "stage_2", MONDAY)
    client.force_login(cast.raiser)
    client.get(reverse("concern-detail", args=[concern.pk]))
    client.get(reverse("concern-history", args=[concern.pk]))
    assert reads(user=cast.raiser, concern=concern) == ["concern", "history"]
    client.force_login(people.partnership_officer)
    query = {"start": "2026-01-01", "end": "2026-12-31"}
    client.get(reverse("report-dataset"), query)
    assert "dataset_csv" in reads(user=people.partnership_officer)


def test_partnership_staff_give_a_reason_once_a_day_to_open_an_open_concern(
    client: Client, people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "stage_2", MONDAY)
    auditor = people.partnership_auditor
    client.force_login(auditor)
    response = client.get(reverse("concern-detail", args=[concern.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("concern-reason", args=[concern.pk])
    history = client.get(reverse("concern-history", args=[concern.pk]))
    assert history["Location"] == reverse("concern-reason", args=[concern.pk])
    blank = client.post(reverse("concern-reason", args=[concern.pk]), {"reason": ""})
    assert "Say why you need to open this concern." in blank.content.decode()
    client.post(reverse("concern-reason", args=[concern.pk]), {"reason": "Thematic audit."})
    assert client.get(reverse("concern-detail", args=[concern.pk])).status_code == 200
    assert client.get(reverse("concern-detail", args=[concern.pk])).status_code == 200
    assert reads(user=auditor, concern=concern) == ["reason", "concern", "concern"]
    # A closed concern needs no reason.
    closed = advance(cast, "closed", MONDAY)
    assert client.get(reverse("concern-detail", args=[closed.pk])).status_code == 200


def test_leads_and_the_partnership_see_who_has_looked_and_nobody_else(
    client: Client, people: Personas, cast: Cast
) -> None:
    concern = advance(cast, "closed", MONDAY)
    client.force_login(cast.raiser)
    client.get(reverse("concern-detail", args=[concern.pk]))
    assert client.get(reverse("concern-access", args=[concern.pk])).status_code == 404
    client.force_login(people.social_care_lead)
    page = client.get(reverse("concern-access", args=[concern.pk])).content.decode()
    assert "Hana Visitor" in page and "Opened the concern" in page


def test_sign_ins_failures_and_lockouts_are_recorded_without_the_password(
    people: Personas,
) -> None:
    email = people.health_visitor.email
    for _ in range(5):
        Client().post(reverse("account_login"), {"login": email, "password": "guess-1234"})
    Client().post(
        reverse("account_login"),
        {"login": email, "password": "correct horse battery staple"},
        REMOTE_ADDR="198.51.100.7",
    )
    kinds = reads(user=people.health_visitor)
    assert kinds.count("sign_in_failed") == 5
    assert "locked_out" in kinds and "signed_in" in kinds
    assert not AccessRecord.objects.filter(reason__contains="guess").exists()


def test_an_altered_access_record_is_caught(client: Client, postgres: None, cast: Cast) -> None:
    concern = advance(cast, "closed", MONDAY)
    client.force_login(cast.raiser)
    client.get(reverse("concern-detail", args=[concern.pk]))
    client.get(reverse("concern-history", args=[concern.pk]))
    with bypassing_the_guards("concerns_accessrecord"):
        AccessRecord.objects.filter(user=cast.raiser, what="history").update(what="concern")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=out, stderr=out)
    assert f"access records of person {cast.raiser.pk}" in out.getvalue()
    assert "does not match its seal" in out.getvalue()
