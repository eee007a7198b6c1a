"""The partnership's own writes: events about no single concern, chained on its own chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from django.db import transaction

from concerns import access, selectors
from concerns.chain import append_partnership_event
from concerns.errors import NotVisible
from concerns.models import User
from concerns.reporting.figures import Period

from .base import resolve_now

ExportKind = Literal["dataset", "figures"]


def audit_sample(
    *,
    actor: User,
    filters: Mapping[str, Any] | None = None,
    size: int,
    now: dt.datetime | None = None,
) -> list[int]:
    """Pick up to `size` concerns at random from the auditor's queue (narrowed by `filters`)
    and record the sample on the partnership chain. Returns the picked concerns' ids.

    Anyone but a partnership auditor is refused with NotVisible (a 404 to the web)."""
    if not access.may_audit(actor):
        raise NotVisible()
    with transaction.atomic():
        queue = selectors.audit_queue_for(actor, filters)
        picked = list(queue.order_by("?").values_list("pk", flat=True)[:size])
        append_partnership_event(
            actor=actor, kind="audit.sampled", at=resolve_now(now), payload={"concerns": picked}
        )
    return picked


def report_export_record(
    *, actor: User, kind: ExportKind, period: Period, now: dt.datetime | None = None
) -> None:
    """Record on the partnership chain that `actor` exported the report's `kind` CSV for
    `period`. Anyone but partnership staff is refused with NotVisible (a 404 to the web)."""
    if not access.may_read_reports(actor):
        raise NotVisible()
    append_partnership_event(
        actor=actor,
        kind="report.exported",
        at=resolve_now(now),
        payload={
            "export": kind,
            "start": period.start,
            "end": period.end,
            "agency": period.agency.pk if period.agency else None,
        },
    )
