"""The outcome record (page, plain text, PDF) and the chronology PDF of one concern. Every
download is written on the concern's chain and on the reader's access records."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from concerns.chain import append_aside
from concerns.models import Concern
from concerns.models.access_log import Read
from concerns.reads import record_read
from concerns.records_out import HAS_OUTCOME, chronology, outcome_record, pdf

from .common import actor, concern_or_404
from .detail import needs_reason

FORMATS = {"txt": "text/plain; charset=utf-8", "pdf": "application/pdf"}


def with_outcome_or_404(request: HttpRequest, concern_id: int) -> Concern:
    concern = concern_or_404(request, concern_id)
    if concern.state not in HAS_OUTCOME or concern.disposed_at:
        raise Http404("No outcome record yet.")
    return concern


@require_GET
@login_required
def outcome_record_page(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = with_outcome_or_404(request, concern_id)
    record = outcome_record(concern)
    return render(request, "concerns/outcome_record.html", {"concern": concern, "record": record})


@require_GET
@login_required
def outcome_record_download(request: HttpRequest, concern_id: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    concern = with_outcome_or_404(request, concern_id)
    record = outcome_record(concern)
    if fmt == "pdf":
        body = pdf_or_none(
            "concerns/outcome_record_pdf.html", {"concern": concern, "record": record}
        )
        if body is None:
            return pdf_unavailable(request, concern)
    else:
        body = record.text.encode()
    note_download(request, concern, "outcome_record", fmt, Read.OUTCOME_RECORD)
    return attachment(body, fmt, f"outcome-record-{concern.reference}.{fmt}")


@require_GET
@login_required
def chronology_pdf(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = concern_or_404(request, concern_id)
    if concern.disposed_at:
        raise Http404("Disposed of.")
    if needs_reason(actor(request), concern):  # as the concern page and its history ask
        return redirect("concern-reason", concern_id=concern.pk)
    context = {"concern": concern, "entries": chronology(concern), "made_at": timezone.now()}
    body = pdf_or_none("concerns/chronology_pdf.html", context)
    if body is None:
        return pdf_unavailable(request, concern)
    note_download(request, concern, "chronology", "pdf", Read.CHRONOLOGY)
    return attachment(body, "pdf", f"chronology-{concern.reference}.pdf")


def pdf_or_none(template: str, context: dict[str, object]) -> bytes | None:
    try:
        return pdf(template, context)
    except OSError:  # Pango is not installed on this server
        return None


def pdf_unavailable(request: HttpRequest, concern: Concern) -> HttpResponse:
    return render(request, "concerns/pdf_unavailable.html", {"concern": concern}, status=503)


def note_download(
    request: HttpRequest, concern: Concern, document: str, fmt: str, read: str
) -> None:
    """On the concern's chain (who took which document, when) and the reader's records."""
    user = actor(request)
    with transaction.atomic():
        locked = Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)
        append_aside(
            locked,
            actor=user,
            kind="record.downloaded",
            at=timezone.now(),
            payload={"document": document, "format": fmt},
        )
    record_read(user, read, concern=concern, request=request)


def attachment(body: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
