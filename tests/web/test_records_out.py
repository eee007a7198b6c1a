"""Documents for each agency's own file (issue 11): the outcome record as a page, plain text
and PDF, and the single-case chronology as PDF without agency-internal notes, marked
OFFICIAL-SENSITIVE; each download on the concern's chain and the reader's access records."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from concerns import services
from concerns.models import AccessRecord, CaseEvent, Concern
from concerns.models.access_log import Read
from tests.concerns.helpers import note_data
from tests.conftest import Personas, london
from tests.scenarios import advance

pytestmark = pytest.mark.django_db
AT = london(2026, 11, 2, 10)


def pdf_text(body: bytes) -> str:
    """The words in a PDF, as a reader would find them."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)


@pytest.fixture
def resolved(people: Personas) -> Concern:
    concern = advance(people.cast, "stage_2", AT)
    Concern.objects.filter(pk=concern.pk).update(
        raising_agency_case_number="NHS-778812", receiving_agency_case_number="MOS-44120"
    )
    services.note_create(
        concern_id=concern.pk,
        actor=people.social_worker,
        data=note_data(AT, discussion="Shared: agreed a joint visit on Friday."),
        now=AT + dt.timedelta(hours=2),
    )
    services.note_create(
        concern_id=concern.pk,
        actor=people.social_worker,
        data=note_data(AT, discussion="Internal: our manager doubts the referral.", internal=True),
        now=AT + dt.timedelta(hours=3),
    )
    from tests.scenarios import resolve

    return resolve(Concern.objects.get(pk=concern.pk), people.cast, AT + dt.timedelta(days=2))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_outcome_record_holds_what_the_agencys_file_needs(
    resolved: Concern, people: Personas
) -> None:
    client = signed_in(people.social_worker)
    page = client.get(reverse("outcome-record", args=[resolved.pk])).content.decode()
    for expected in (resolved.reference, "NHS-778812", "MOS-44120", "Agreed actions"):
        assert expected in page
    text = client.get(reverse("outcome-record-download", args=[resolved.pk, "txt"]))
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert body.startswith("OFFICIAL-SENSITIVE\n")
    assert f"Reference: {resolved.reference}" in body
    assert "Raised by: Community Health Trust, case number NHS-778812" in body
    assert resolved.outcome_statement in body


def test_the_outcome_record_pdf_reads_the_same(resolved: Concern, people: Personas) -> None:
    client = signed_in(people.health_visitor)
    response = client.get(reverse("outcome-record-download", args=[resolved.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    words = pdf_text(response.content)
    assert resolved.reference in words and "OFFICIAL-SENSITIVE" in words
    assert "MOS-44120" in words


def test_the_chronology_leaves_out_internal_notes_even_for_their_agency(
    resolved: Concern, people: Personas
) -> None:
    for reader in (people.social_worker, people.health_visitor, people.partnership_officer):
        response = signed_in(reader).get(reverse("chronology-pdf", args=[resolved.pk]))
        assert response.status_code == 200
        words = pdf_text(response.content)
        assert "OFFICIAL-SENSITIVE" in words
        assert "agreed a joint visit" in words
        assert "doubts the referral" not in words


def test_each_download_is_on_the_chain_and_the_access_records(
    resolved: Concern, people: Personas
) -> None:
    client = signed_in(people.social_worker)
    client.get(reverse("outcome-record-download", args=[resolved.pk, "txt"]))
    client.get(reverse("chronology-pdf", args=[resolved.pk]))
    downloads = CaseEvent.objects.filter(concern=resolved, kind="record.downloaded")
    assert [e.payload for e in downloads.order_by("sequence")] == [
        {"document": "outcome_record", "format": "txt"},
        {"document": "chronology", "format": "pdf"},
    ]
    assert {e.actor_id for e in downloads} == {people.social_worker.pk}
    reads = AccessRecord.objects.filter(user=people.social_worker, concern=resolved)
    assert {Read.OUTCOME_RECORD, Read.CHRONOLOGY} <= set(reads.values_list("what", flat=True))


def test_no_record_before_an_outcome_nor_for_an_outsider(
    resolved: Concern, people: Personas
) -> None:
    open_one = advance(people.cast, "stage_1", AT)
    client = signed_in(people.health_visitor)
    assert client.get(reverse("outcome-record", args=[open_one.pk])).status_code == 404
    assert (
        client.get(reverse("outcome-record-download", args=[resolved.pk, "exe"])).status_code == 404
    )
    outsider = signed_in(people.police_officer)
    for url in (
        reverse("outcome-record", args=[resolved.pk]),
        reverse("outcome-record-download", args=[resolved.pk, "pdf"]),
        reverse("chronology-pdf", args=[resolved.pk]),
    ):
        assert outsider.get(url).status_code == 404


def test_the_report_counts_where_outcomes_were_filed(resolved: Concern, people: Personas) -> None:
    from concerns.models import ProcessSettings

    ProcessSettings.objects.update_or_create(pk=1, defaults={"small_number_threshold": 1})
    for person, system in ((people.health_visitor, "SystmOne"), (people.social_worker, "Mosaic")):
        resolved.refresh_from_db()
        services.concern_confirm(
            concern_id=resolved.pk, actor=person, system=system, record_reference="R-1"
        )
    page = signed_in(people.partnership_officer).get(
        reverse("report"), {"start": "2026-11-01", "end": "2026-11-30"}
    )
    html = page.content.decode()
    assert "Where agencies filed the outcome on their records" in html
    section = html.split("Where agencies filed the outcome on their records")[1][:3000]
    assert "Mosaic" in section and "SystmOne" in section


def test_partnership_staff_give_their_reason_before_an_open_concerns_chronology(
    people: Personas,
) -> None:
    """The chronology is the whole story: partnership staff who do not hold an open concern
    give a reason first, as for its page and its history (need to know, recorded)."""
    open_one = advance(people.cast, "stage_1", AT)
    officer = signed_in(people.partnership_officer)
    response = officer.get(reverse("chronology-pdf", args=[open_one.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("concern-reason", args=[open_one.pk])
    assert not CaseEvent.objects.filter(concern=open_one, kind="record.downloaded").exists()
