"""The learning report for partnership staff, and its two CSV exports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from concerns import access
from concerns.audit import append_partnership_event
from concerns.charts import Cell, bars, days, share
from concerns.exports import dataset_rows, figure_rows
from concerns.forms.partnership import ReportPeriodForm
from concerns.models import ProcessSettings, Theme
from concerns.presentation import stages_by_number
from concerns.reports import LABELS, Period, Report, build_report, report_concerns

from .common import actor, today


def period_or_404(request: HttpRequest) -> tuple[ReportPeriodForm, Period | None]:
    if not access.may_read_reports(actor(request)):
        raise Http404("No report here.")
    form = ReportPeriodForm.for_request(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, Period(start=data["start"], end=data["end"], agency=data["agency"])


def labelled(counts: dict[Any, int], labels: dict[str, str]) -> list[tuple[str, int]]:
    return [(labels.get(k, str(k)), counts.get(k, 0)) for k in labels]


def heat(report: Report, threshold: int) -> dict[str, Any]:
    raising = sorted({a for a, _ in report.agency_pairs})
    receiving = sorted({b for _, b in report.agency_pairs})
    top = max(report.agency_pairs.values(), default=1)
    rows = [
        (a, [heat_cell(report.agency_pairs.get((a, b), 0), top, threshold) for b in receiving])
        for a in raising
    ]
    return {"columns": receiving, "rows": rows}


def heat_cell(value: int, top: int, threshold: int) -> tuple[Cell, int]:
    cell = Cell(value, threshold)
    level = 0 if cell.suppressed or not value else min(4, 1 + (4 * value - 1) // top)
    return cell, level


def sections(report: Report, threshold: int) -> dict[str, Any]:
    stages = stages_by_number()
    themes = [t.name for t in Theme.objects.all()]
    stage_rows = [
        {
            "stage": stage,
            "count": Cell(report.stage_days[n].count, threshold)
            if n in report.stage_days
            else Cell(0, threshold),
            "median": days(*spread(report, n, "median"), threshold),
            "p90": days(*spread(report, n, "p90"), threshold),
            "overdue": share(
                report.overdue.get(n, (0, 0))[1], report.overdue.get(n, (0, 0))[0], threshold
            ),
        }
        for n, stage in stages.items()
    ]
    overall = report.overall_days
    outcomes = report.outcomes
    return {
        "raised": Cell(report.raised, threshold),
        "highest": bars(
            [(str(s), report.highest_stage.get(n, 0)) for n, s in stages.items()], threshold
        ),
        "heat": heat(report, threshold),
        "categories": bars(labelled(report.categories, LABELS["category"]), threshold),
        "themes": bars([(t, report.themes.get(t, 0)) for t in themes], threshold),
        "needs": bars(labelled(report.levels_of_need, LABELS["level_of_need"]), threshold),
        "stage_rows": stage_rows,
        "overall": {
            "median": days(overall.median, overall.count, threshold) if overall else "none",
            "p90": days(overall.p90, overall.count, threshold) if overall else "none",
        },
        "decisions": bars(labelled(outcomes.decisions, LABELS["decision"]), threshold),
        "accepted": share(outcomes.raiser_accepted, outcomes.resolved, threshold),
        "both_recorded": share(outcomes.both_recorded, outcomes.resolved, threshold),
        "lead": bars(
            labelled(outcomes.lead_professional, LABELS["lead_professional_told"]), threshold
        ),
        "months": bars(
            [(m.strftime("%b %Y"), n) for m, n in sorted(report.months.items())], threshold
        ),
        "ratings": bars(labelled(report.audits.ratings, LABELS["rating"]), threshold),
        "audit_themes": bars(report.audits.themes, threshold),
        "audited": Cell(report.audits.audited, threshold),
    }


def spread(report: Report, number: int, which: str) -> tuple[float | None, int]:
    found = report.stage_days.get(number)
    return (getattr(found, which), found.count) if found else (None, 0)


@require_GET
@login_required
def report(request: HttpRequest) -> HttpResponse:
    form, period = period_or_404(request)
    threshold = ProcessSettings.current().small_number_threshold
    context: dict[str, Any] = {"form": form, "threshold": threshold}
    if period is not None:
        built = build_report(actor(request), period, today())
        context.update(report=built, query=request.GET.urlencode(), **sections(built, threshold))
    return render(request, "reports/report.html", context)


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterator[list[str]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(Echo())
    response = StreamingHttpResponse((writer.writerow(r) for r in rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def log_export(request: HttpRequest, kind: str, period: Period) -> None:
    append_partnership_event(
        actor=actor(request),
        kind="report.exported",
        at=timezone.now(),
        payload={
            "export": kind,
            "start": period.start,
            "end": period.end,
            "agency": period.agency.pk if period.agency else None,
        },
    )


@require_GET
@login_required
def dataset_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, period = period_or_404(request)
    if period is None:
        raise Http404("Choose a valid period.")
    log_export(request, "dataset", period)
    concerns = report_concerns(actor(request), period)
    return csv_response(dataset_rows(concerns), f"concerns-{period.start}-{period.end}.csv")


@require_GET
@login_required
def figures_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, period = period_or_404(request)
    if period is None:
        raise Http404("Choose a valid period.")
    log_export(request, "figures", period)
    threshold = ProcessSettings.current().small_number_threshold
    built = build_report(actor(request), period, today())
    return csv_response(figure_rows(built, threshold), f"figures-{period.start}-{period.end}.csv")
