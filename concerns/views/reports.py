"""The learning report for partnership staff, and its two CSV exports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concerns import access, services
from concerns.anchor import read_checkpoints
from concerns.forms.partnership import ReportPeriodForm
from concerns.models import ProcessSettings
from concerns.models.access_log import Read
from concerns.reads import record_read
from concerns.reporting.annual import annual_tables, previous
from concerns.reporting.exports import dataset_rows, figure_rows
from concerns.reporting.figures import Period, build_report, report_concerns
from concerns.reporting.page import sections

from .common import actor, today


def period_or_404(request: HttpRequest) -> tuple[ReportPeriodForm, Period | None]:
    if not access.may_read_reports(actor(request)):
        raise Http404("No report here.")
    form = ReportPeriodForm.for_request(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, Period(start=data["start"], end=data["end"], agency=data["agency"])


@require_GET
@login_required
def report(request: HttpRequest) -> HttpResponse:
    form, period = period_or_404(request)
    threshold = ProcessSettings.current().small_number_threshold
    context: dict[str, Any] = {
        "form": form,
        "threshold": threshold,
        "may_manage_retention": access.may_manage_retention(actor(request)),
    }
    if period is not None:
        built = build_report(actor(request), period, today())
        context.update(report=built, query=request.GET.urlencode(), **sections(built, threshold))
        record_read(actor(request), Read.REPORT, reason=request.GET.urlencode(), request=request)
    return render(request, "reports/report.html", context)


@require_GET
@login_required
def annual(request: HttpRequest) -> HttpResponse:
    """The section partnerships publish in their annual reports, printable."""
    form, period = period_or_404(request)
    threshold = ProcessSettings.current().small_number_threshold
    context: dict[str, Any] = {"form": form, "threshold": threshold}
    if period is not None:
        context.update(
            period=period,
            before=previous(period),
            tables=annual_tables(actor(request), period, threshold),
        )
        record_read(actor(request), Read.REPORT, reason=request.GET.urlencode(), request=request)
    return render(request, "reports/annual.html", context)


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterator[list[str]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(Echo())
    response = StreamingHttpResponse((writer.writerow(r) for r in rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def dataset_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, period = period_or_404(request)
    if period is None:
        raise Http404("Choose a valid period.")
    services.report_export_record(actor=actor(request), kind="dataset", period=period)
    record_read(actor(request), Read.DATASET_CSV, reason=request.GET.urlencode(), request=request)
    concerns = report_concerns(actor(request), period)
    threshold = ProcessSettings.current().small_number_threshold
    return csv_response(
        dataset_rows(concerns, threshold), f"concerns-{period.start}-{period.end}.csv"
    )


@require_GET
@login_required
def figures_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, period = period_or_404(request)
    if period is None:
        raise Http404("Choose a valid period.")
    services.report_export_record(actor=actor(request), kind="figures", period=period)
    record_read(actor(request), Read.FIGURES_CSV, reason=request.GET.urlencode(), request=request)
    threshold = ProcessSettings.current().small_number_threshold
    built = build_report(actor(request), period, today())
    return csv_response(figure_rows(built, threshold), f"figures-{period.start}-{period.end}.csv")


@require_GET
@login_required
def audit_checkpoints(request: HttpRequest) -> HttpResponse:
    """The audit trail's anchor, shown to partnership staff: each signed checkpoint of every
    chain, newest first, and whether its signature and link to the one before still hold."""
    if not access.may_read_reports(actor(request)):
        raise Http404("No page here.")
    points = list(reversed(read_checkpoints()))[:30]
    return render(request, "reports/audit_checkpoints.html", {"points": points})
