"""CSV exports of the learning report: pseudonymised, content-free, formula-safe."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from concerns.models import Concern, StagePeriod
from concerns.reporting.charts import Cell
from concerns.reporting.figures import Report
from concerns.selectors import highest_stage_q

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STAGE_COLUMNS = 6

DATASET_HEADER = [
    "pseudonym",
    "submitted_month",
    "raising_agency",
    "receiving_agency",
    "raised_by_role",
    "category",
    "level_of_need",
    "themes",
    "state",
    "highest_stage",
    *[f"stage_{n}_working_days" for n in range(1, STAGE_COLUMNS + 1)],
    "working_days_to_outcome",
    "decision",
    "raiser_accepted",
    "lead_professional_told",
    "agencies_recorded_outcome",
    "audit_rating",
]


def safe(value: Any) -> str:
    """A spreadsheet must never read a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def pseudonym(concern_id: int) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"concern:{concern_id}".encode(), hashlib.sha256).hexdigest()[:12]


def dataset_rows(concerns: QuerySet[Concern]) -> Iterator[list[str]]:
    """One row per concern: no child identifiers, no free text, people as roles."""
    ids = concerns.values("pk")
    themes: dict[int, list[str]] = defaultdict(list)
    for concern_id, name in Concern.themes.through.objects.filter(concern_id__in=ids).values_list(
        "concern_id", "theme__name"
    ):
        themes[concern_id].append(name)
    days: dict[int, dict[int, int | None]] = defaultdict(dict)
    for concern_id, number, worked in StagePeriod.objects.filter(concern_id__in=ids).values_list(
        "concern_id", "number", "working_days"
    ):
        days[concern_id][number] = worked
    rows = (
        concerns.order_by("submitted_at")
        .annotate(highest=highest_stage_q(), recorded=Count("confirmations"))
        .values(
            "pk",
            "submitted_at",
            "raising_agency__name",
            "receiving_agency__name",
            "raised_by__role",
            "category",
            "level_of_need",
            "state",
            "highest",
            "working_days_to_outcome",
            "decision",
            "raiser_accepts",
            "lead_professional_told",
            "recorded",
            "audit_record__rating",
        )
    )
    yield DATASET_HEADER
    for r in rows.iterator(chunk_size=2000):
        yield [safe(v) for v in dataset_values(r, themes[r["pk"]], days[r["pk"]])]


def dataset_values(r: dict[str, Any], themes: list[str], days: dict[int, int | None]) -> list:
    submitted = timezone.localtime(r["submitted_at"]).strftime("%Y-%m")
    return [
        pseudonym(r["pk"]),
        submitted,
        r["raising_agency__name"],
        r["receiving_agency__name"],
        r["raised_by__role"],
        r["category"],
        r["level_of_need"],
        "; ".join(sorted(themes)),
        r["state"],
        r["highest"],
        *[days.get(n) for n in range(1, STAGE_COLUMNS + 1)],
        r["working_days_to_outcome"],
        r["decision"],
        {True: "yes", False: "no"}.get(r["raiser_accepts"], ""),
        r["lead_professional_told"],
        r["recorded"],
        r["audit_record__rating"],
    ]


def figure_rows(report: Report, threshold: int) -> Iterator[list[str]]:
    """The report's counts, with small numbers suppressed exactly as on the page."""
    yield ["section", "item", "count"]

    def rows(section: str, items: dict[Any, int]) -> Iterator[list[str]]:
        for label, value in items.items():
            yield [section, safe(label), str(Cell(value, threshold))]

    yield ["Concerns raised", "all", str(Cell(report.raised, threshold))]
    yield ["Concerns raised", "escalated urgently", str(Cell(report.urgent, threshold))]
    yield [
        "Concerns raised",
        "child at immediate risk",
        str(Cell(report.immediate_risk, threshold)),
    ]
    yield ["Concerns raised", "reopened after closing", str(Cell(report.reopened, threshold))]
    yield [
        "Concerns raised",
        "follow-on of a closed concern",
        str(Cell(report.follow_ons, threshold)),
    ]
    yield from rows(
        "Highest stage reached", {f"Stage {k}": v for k, v in sorted(report.highest_stage.items())}
    )
    yield from rows(
        "Raising and receiving agency",
        {f"{a} -> {b}": v for (a, b), v in sorted(report.agency_pairs.items())},
    )
    yield from rows("Category", report.categories)
    yield from rows("Theme", report.themes)
    yield from rows("Level of need", report.levels_of_need)
    yield from rows("Decision", report.outcomes.decisions)
    yield from rows("How the outcome was agreed", report.outcomes.agreements)
    yield ["Proposed outcomes", "disputed", str(Cell(report.outcomes.disputed, threshold))]
    for item, value in vars(report.actions).items():
        yield ["Agreed actions", item.replace("_", " "), str(Cell(value, threshold))]
    yield from rows("Audit rating", report.audits.ratings)
    yield from rows("Month", {m.strftime("%Y-%m"): v for m, v in sorted(report.months.items())})
