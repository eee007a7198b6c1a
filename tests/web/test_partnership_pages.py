"""The partnership's pages: who may open them, auditing, suppression and the exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from concerns.chain import verify_all
from concerns.models import Agency, Audit, CaseEvent, Concern, ProcessSettings
from tests.conftest import london
from tests.scenarios import advance
from tests.web.test_query_counts import bulk_concerns

PERIOD = {"start": "2026-11-01", "end": "2026-12-31"}


def closed_concerns(cast, count: int) -> list[Concern]:
    return [advance(cast, "closed", london(2026, 11, 2 + n, 10)) for n in range(count)]


@pytest.mark.parametrize(
    "persona", ["health_visitor", "social_care_manager", "police_manager", "social_care_senior"]
)
def test_practitioners_and_managers_get_404_on_reports_and_the_audit_queue(
    client, people, cast, persona
):
    concern = closed_concerns(cast, 1)[0]
    client.force_login(getattr(people, persona))
    for url in [
        reverse("report"),
        reverse("audit-queue"),
        reverse("report-dataset"),
        reverse("report-figures"),
    ]:
        assert client.get(url, PERIOD).status_code == 404, url
    assert client.post(reverse("audit-sample"), {"size": 1}).status_code == 404
    response = client.post(reverse("concern-audit", args=[concern.pk]), {"version": 1})
    assert response.status_code in (404, 409)
    assert Concern.objects.get(pk=concern.pk).state == "closed"


def test_an_auditor_cannot_audit_an_open_concern(client, people, cast):
    concern = advance(cast, "stage_2", london(2026, 11, 2, 10))
    client.force_login(people.partnership_auditor)
    response = client.post(reverse("concern-audit", args=[concern.pk]), audit_form(concern))
    assert response.status_code == 409
    assert "only" in response.content.decode() or "nobody" in response.content.decode()
    assert not Audit.objects.exists()
    assert Concern.objects.get(pk=concern.pk).state == "stage_2"


def audit_form(concern, **extra):
    data = {
        "version": concern.version,
        "process_followed": "partly",
        "child_central": "yes",
        "voice_recorded": "no",
        "rating": "amber",
        "findings": "Stage 2 ran late.",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-0-agency": concern.receiving_agency_id,
        "actions-0-description": "Review stage 2 timescales.",
    }
    data.update(extra)
    return data


def test_an_auditor_samples_audits_and_the_agencies_can_read_the_audit(client, people, cast):
    concern = closed_concerns(cast, 1)[0]
    client.force_login(people.partnership_auditor)
    client.post(reverse("audit-sample"), {"size": 1})
    queue = client.get(reverse("audit-queue")).content.decode()
    assert "Your sample" in queue and concern.reference in queue
    page = client.get(reverse("concern-audit", args=[concern.pk])).content.decode()
    assert "computed from the stored dates" in page
    response = client.post(reverse("concern-audit", args=[concern.pk]), audit_form(concern))
    assert response.status_code == 302
    audit = Audit.objects.get(concern=concern)
    assert audit.timescales_met is True and audit.both_recorded is True
    assert audit.actions.get().description == "Review stage 2 timescales."
    assert Concern.objects.get(pk=concern.pk).state == "audited"
    assert CaseEvent.objects.filter(concern=concern, kind="concern.audited").count() == 1
    client.force_login(cast.raising_manager)  # managers and leads read the findings
    assert (
        "Review stage 2 timescales."
        in client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    )
    client.force_login(people.social_worker)  # a practitioner sees only that it was audited
    page = client.get(reverse("concern-detail", args=[concern.pk])).content.decode()
    assert "Review stage 2 timescales." not in page and "Amber" not in page
    assert "Audited" in page
    client.force_login(people.police_manager)
    assert client.get(reverse("concern-detail", args=[concern.pk])).status_code == 404


def test_a_count_of_three_shows_as_fewer_than_5_on_the_page_and_in_the_csv(client, people, cast):
    closed_concerns(cast, 3)
    client.force_login(people.partnership_officer)
    page = client.get(reverse("report"), PERIOD).content.decode()
    assert '<span class="app-count" id="figure-raised">fewer than 5</span>' in page
    figures = client.get(reverse("report-figures"), PERIOD)
    rows = list(csv.reader(io.StringIO(b"".join(figures.streaming_content).decode())))
    assert ["Concerns raised", "All", "", "fewer than 5"] in rows
    assert all(row[2] != "3" for row in rows[1:])


def test_the_report_shows_exact_counts_at_or_above_the_threshold(client, people, cast):
    closed_concerns(cast, 3)
    ProcessSettings.objects.update(small_number_threshold=3)
    client.force_login(people.partnership_officer)
    page = client.get(reverse("report"), PERIOD).content.decode()
    assert '<span class="app-count" id="figure-raised">3</span>' in page


def test_the_dataset_is_pseudonymised_formula_safe_and_its_export_is_chained(client, people, cast):
    ProcessSettings.objects.update(small_number_threshold=1)  # nothing generalised here
    Agency.objects.filter(pk=people.social_care.pk).update(name='=HYPERLINK("x")')
    concern = closed_concerns(cast, 1)[0]
    client.force_login(people.partnership_officer)
    response = client.get(reverse("report-dataset"), PERIOD)
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    for private in [
        concern.child_initials,
        concern.summary,
        concern.reference,
        people.health_visitor.full_name,
        concern.outcome_statement,
    ]:
        assert private not in text
    assert "practitioner" in rows[1]
    export = CaseEvent.objects.get(concern=None, kind="report.exported")
    assert export.actor == people.partnership_officer
    assert list(verify_all()) == []


@pytest.fixture(params=[10, 500], ids=["10-concerns", "500-concerns"])
def many(request, people, cast):
    bulk_concerns(people, request.param)
    return closed_concerns(cast, 1)


def test_the_report_page_costs_the_same_at_10_and_500_concerns(
    client, people, many, django_assert_max_num_queries
):
    client.force_login(people.partnership_officer)
    # 32 since issue 9 added how outcomes were agreed, disputes, agreed actions followed
    # through, reopened and follow-on concerns: each one aggregate, whatever the volume; 39
    # since issue 10 renews the session (3) and records the read (4) on every page; 40 since
    # issue 11 counts where agencies filed outcomes (one aggregate).
    with django_assert_max_num_queries(40):
        assert (
            client.get(reverse("report"), {"start": "2019-01-01", "end": "2027-12-31"}).status_code
            == 200
        )


def test_the_figures_csv_has_labels_numbers_and_a_suppression_column(client, people, cast):
    """Issue 11: labels, not codes; counts stay numbers; suppression in its own column."""
    closed_concerns(cast, 6)
    client.force_login(people.partnership_officer)
    figures = client.get(reverse("report-figures"), PERIOD)
    rows = list(csv.reader(io.StringIO(b"".join(figures.streaming_content).decode())))
    assert rows[0] == ["section", "item", "count", "suppressed"]
    assert ["Concerns raised", "All", "6", ""] in rows
    items = {row[1] for row in rows[1:]}
    assert "information_sharing" not in items and "child_in_need" not in items
    for section, item, count, suppressed in rows[1:]:
        assert count == "" or count.isdigit(), (section, item, count)
        assert (count == "") == bool(suppressed), (section, item)


def test_the_dataset_generalises_small_cells_and_shows_only_configured_stages(client, people, cast):
    closed_concerns(cast, 2)  # two concerns between the same agencies in one month
    client.force_login(people.partnership_officer)
    response = client.get(reverse("report-dataset"), PERIOD)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert "stage_5_working_days" not in header and "stage_4_working_days" in header
    at = {name: header.index(name) for name in ("raising_agency", "submitted_month", "themes")}
    for row in body:  # 2 < the threshold of 5: no agency, month or theme to pick them out
        assert row[at["raising_agency"]] == "withheld"
        assert len(row[at["submitted_month"]]) == 4
        assert row[at["themes"]] == "withheld"
    assert (
        people.health.name
        not in b"".join(client.get(reverse("report-dataset"), PERIOD).streaming_content).decode()
    )


def test_the_auditors_work_is_on_home_each_sample_is_kept_and_the_form_shows_the_case(
    client, people, cast
):
    """Issue 11: home said "Nothing needs your action now" while concerns awaited audit; a new
    sample replaced the last; the audit form lacked the case and had a Due column always empty."""
    concerns = closed_concerns(cast, 3)
    client.force_login(people.partnership_auditor)
    home = client.get(reverse("home")).content.decode()
    assert "3 closed concerns await audit" in home
    client.post(reverse("audit-sample"), {"size": 1})
    client.post(reverse("audit-sample"), {"size": 2})
    queue = client.get(reverse("audit-queue")).content.decode()
    assert queue.count("Your sample of") == 2
    assert "1 of 1 awaiting" in queue and "2 of 2 awaiting" in queue
    assert ">Closed</th>" in queue and ">Due</th>" not in queue
    form = client.get(reverse("concern-audit", args=[concerns[0].pk])).content.decode()
    assert concerns[0].summary in form and "the chronology as a PDF" in form
