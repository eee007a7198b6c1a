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

from concerns.models import Concern, Stage, StagePeriod
from concerns.models.people import Sector
from concerns.reporting.charts import Cell
from concerns.reporting.figures import LABELS, Report
from concerns.selectors import highest_stage_q

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STAGE_COLUMNS = 6  # the most a partnership may configure; the export shows those configured
WITHHELD = "withheld"

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


def dataset_rows(concerns: QuerySet[Concern], threshold: int = 1) -> Iterator[list[str]]:
    """One row per concern: no child identifiers, no free text, people as roles, and no
    small cell of agencies and month that could pick someone out (generalise)."""
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
            "raising_agency__sector",
            "receiving_agency__sector",
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
    stages = min(Stage.objects.count() or STAGE_COLUMNS, STAGE_COLUMNS)
    yield [h for h in DATASET_HEADER if not unused_stage(h, stages)]
    listed = list(rows.iterator(chunk_size=2000))
    for r in listed:
        r["month"] = timezone.localtime(r["submitted_at"]).strftime("%Y-%m")
        r["themes"] = "; ".join(sorted(themes[r["pk"]]))
    generalise(listed, threshold)
    for r in listed:
        yield [safe(v) for v in dataset_values(r, days[r["pk"]], stages)]


def unused_stage(header: str, stages: int) -> bool:
    if not header.startswith("stage_") or not header.endswith("_working_days"):
        return False
    return int(header.split("_")[1]) > stages


def generalise(rows: list[dict[str, Any]], threshold: int) -> None:
    """No row may stand out: where fewer than `threshold` concerns share their raising and
    receiving agencies and month, those show as sectors and a quarter, themes withheld; where
    even that picks out fewer, the agencies are withheld and the month shows as its year."""
    if threshold <= 1:
        return
    for step in (to_sectors_and_quarter, to_withheld_and_year):
        groups: dict[tuple[str, str, str], int] = defaultdict(int)
        for r in rows:
            groups[cell_key(r)] += 1
        for r in rows:
            if groups[cell_key(r)] < threshold:
                step(r)


def cell_key(r: dict[str, Any]) -> tuple[str, str, str]:
    return (r["raising_agency__name"], r["receiving_agency__name"], r["month"])


def to_sectors_and_quarter(r: dict[str, Any]) -> None:
    sectors = dict(Sector.choices)
    r["raising_agency__name"] = sectors.get(r["raising_agency__sector"], WITHHELD)
    r["receiving_agency__name"] = sectors.get(r["receiving_agency__sector"], WITHHELD)
    year, month = r["month"].split("-")
    r["month"] = f"{year} Q{(int(month) - 1) // 3 + 1}"
    r["themes"] = WITHHELD


def to_withheld_and_year(r: dict[str, Any]) -> None:
    r["raising_agency__name"] = r["receiving_agency__name"] = WITHHELD
    r["month"] = r["month"][:4]


def dataset_values(r: dict[str, Any], days: dict[int, int | None], stages: int) -> list:
    return [
        pseudonym(r["pk"]),
        r["month"],
        r["raising_agency__name"],
        r["receiving_agency__name"],
        r["raised_by__role"],
        r["category"],
        r["level_of_need"],
        r["themes"],
        r["state"],
        r["highest"],
        *[days.get(n) for n in range(1, stages + 1)],
        r["working_days_to_outcome"],
        r["decision"],
        {True: "yes", False: "no"}.get(r["raiser_accepts"], ""),
        r["lead_professional_told"],
        r["recorded"],
        r["audit_record__rating"],
    ]


def figure_row(section: str, item: str, value: int, threshold: int) -> list[str]:
    """A count stays a number (blank when suppressed); the suppression is its own column, so
    a spreadsheet can sum the column (issue 11)."""
    cell = Cell(value, threshold)
    shown = "" if cell.suppressed else str(value)
    return [section, safe(item), shown, str(cell) if cell.suppressed else ""]


def figure_rows(report: Report, threshold: int) -> Iterator[list[str]]:
    """The report's counts, in words (labels, not codes), with small numbers suppressed
    exactly as on the page."""
    yield ["section", "item", "count", "suppressed"]

    def rows(
        section: str, items: dict[Any, int], labels: dict[str, str] | None = None
    ) -> Iterator[list[str]]:
        for key, value in items.items():
            label = (labels or {}).get(key, str(key))
            yield figure_row(section, label, value, threshold)

    yield figure_row("Concerns raised", "All", report.raised, threshold)
    yield figure_row("Concerns raised", "Escalated urgently", report.urgent, threshold)
    yield figure_row("Concerns raised", "Child at immediate risk", report.immediate_risk, threshold)
    yield figure_row("Concerns raised", "Reopened after closing", report.reopened, threshold)
    yield figure_row(
        "Concerns raised", "Follow-on of a closed concern", report.follow_ons, threshold
    )
    yield from rows(
        "Highest stage reached", {f"Stage {k}": v for k, v in sorted(report.highest_stage.items())}
    )
    yield from rows(
        "Raising and receiving agency",
        {f"{a} to {b}": v for (a, b), v in sorted(report.agency_pairs.items())},
    )
    yield from rows("Raising sector", report.raising_sectors, LABELS["sector"])
    yield from rows("Category", report.categories, LABELS["category"])
    yield from rows("Theme", report.themes)
    yield from rows("Level of need", report.levels_of_need, LABELS["level_of_need"])
    yield from rows("Decision", report.outcomes.decisions, LABELS["decision"])
    yield from rows("How the outcome was agreed", report.outcomes.agreements, LABELS["agreement"])
    yield figure_row("Proposed outcomes", "Disputed", report.outcomes.disputed, threshold)
    yield from rows("Where agencies filed the outcome", report.outcomes.recorded_in)
    for item, value in vars(report.actions).items():
        yield figure_row("Agreed actions", item.replace("_", " ").capitalize(), value, threshold)
    yield from rows("Audit rating", report.audits.ratings, LABELS["rating"])
    yield from rows("Month", {m.strftime("%B %Y"): v for m, v in sorted(report.months.items())})
