"""The report page's model: a built `Report` shaped into the sections the template renders,
with small numbers suppressed exactly as the figures CSV suppresses them."""

from __future__ import annotations

from typing import Any

from concerns.models import Theme
from concerns.process import Stages
from concerns.reporting.charts import Cell, bars, days, share
from concerns.reporting.figures import LABELS, Report


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
    stages = Stages.load()
    themes = [t.name for t in Theme.objects.all()]
    stage_rows = [
        {
            "stage": stage,
            "count": Cell(report.stage_days[n].count, threshold)
            if n in report.stage_days
            else Cell(0, threshold),
            "median": days(*spread(report, n, "median"), threshold),
            "p90": days(*spread(report, n, "p90"), threshold),
            "paused": report.paused_days.get(n, 0),
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
        "urgent": Cell(report.urgent, threshold),
        "immediate_risk": Cell(report.immediate_risk, threshold),
        "reopened": Cell(report.reopened, threshold),
        "follow_ons": Cell(report.follow_ons, threshold),
        "highest": bars(
            [(str(s), report.highest_stage.get(n, 0)) for n, s in stages.items()], threshold
        ),
        "heat": heat(report, threshold),
        "categories": bars(labelled(report.categories, LABELS["category"]), threshold),
        "sectors": bars(
            [(label, n) for label, n in labelled(report.raising_sectors, LABELS["sector"]) if n],
            threshold,
        ),
        "themes": bars([(t, report.themes.get(t, 0)) for t in themes], threshold),
        "needs": bars(labelled(report.levels_of_need, LABELS["level_of_need"]), threshold),
        "stage_rows": stage_rows,
        "overall": {
            "median": days(overall.median, overall.count, threshold) if overall else "none",
            "p90": days(overall.p90, overall.count, threshold) if overall else "none",
        },
        "decisions": bars(labelled(outcomes.decisions, LABELS["decision"]), threshold),
        "agreements": bars(labelled(outcomes.agreements, LABELS["agreement"]), threshold),
        "actions": {
            "agreed": Cell(report.actions.agreed, threshold),
            "on_time": share(report.actions.done_on_time, report.actions.agreed, threshold),
            "done_late": Cell(report.actions.done_late, threshold),
            "not_done": Cell(report.actions.not_done, threshold),
            "overdue": Cell(report.actions.overdue, threshold),
            "open": Cell(report.actions.open, threshold),
        },
        "disputed": Cell(outcomes.disputed, threshold),
        "accepted": share(outcomes.raiser_accepted, outcomes.resolved, threshold),
        "both_recorded": share(outcomes.both_recorded, outcomes.resolved, threshold),
        "recorded_in": bars(sorted(outcomes.recorded_in.items()), threshold),
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
