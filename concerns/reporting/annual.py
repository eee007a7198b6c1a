"""The annual report section partnerships publish: escalations by raising sector, by
receiving agency, highest stage reached, level of need, where they are now, outcome and urgent
escalations, each beside the same figure for the period before. Counts below the partnership's
threshold are suppressed, in this period and the one before alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from concerns.models import CaseEvent, Concern, User
from concerns.models.concern import Decision, LevelOfNeed, State
from concerns.models.people import Sector
from concerns.selectors import highest_stage_q

from .charts import Cell
from .figures import Period, report_concerns


@dataclass(frozen=True)
class Row:
    label: str
    now: Cell
    before: Cell

    @property
    def change(self) -> str:
        """The change in words, unless either side is suppressed."""
        if self.now.suppressed or self.before.suppressed:
            return "not shown"
        delta = self.now.value - self.before.value
        return f"{delta:+d}" if delta else "no change"


@dataclass(frozen=True)
class Table:
    title: str
    label_heading: str
    rows: list[Row]
    total: Row


def previous(period: Period) -> Period:
    """The period of the same length just before (a year before, for a year)."""
    length = period.end - period.start
    end = period.start - dt.timedelta(days=1)
    return Period(start=end - length, end=end, agency=period.agency)


WHERE_NOW: list[tuple[str, list[str]]] = [
    ("Open (at a stage)", [f"stage_{n}" for n in range(1, 7)]),
    ("Resolved, awaiting confirmation", [State.RESOLVED]),
    ("Closed", [State.CLOSED, State.AUDITED]),
    ("Withdrawn", [State.WITHDRAWN]),
]


COLUMNS = {
    "sector": "raising_agency__sector",
    "receiving": "receiving_agency__name",
    "highest": "highest",
    "need": "level_of_need",
    "state": "state",
    "decision": "decision",
    "urgent": "urgent",
}


def counts(concerns: QuerySet[Concern]) -> dict[str, dict[object, int]]:
    """Every table's counts from one grouped query (each combination of the columns once),
    summed here by each column."""
    urgent = CaseEvent.objects.filter(concern=OuterRef("pk"), kind="concern.escalated_urgently")
    annotated = concerns.order_by().annotate(highest=highest_stage_q(), urgent=Exists(urgent))
    found: dict[str, dict[object, int]] = {key: {} for key in COLUMNS}
    for row in annotated.values(*COLUMNS.values()).annotate(n=Count("pk")):
        for key, column in COLUMNS.items():
            found[key][row[column]] = found[key].get(row[column], 0) + row["n"]
    return found


def annual_tables(user: User, period: Period, threshold: int) -> list[Table]:
    now = counts(report_concerns(user, period))
    before = counts(report_concerns(user, previous(period)))

    def table(
        title: str, heading: str, key: str, labels: Sequence[tuple[str, Sequence[object]]]
    ) -> Table:
        rows = [
            Row(
                label,
                Cell(sum(now[key].get(k, 0) for k in keys), threshold),
                Cell(sum(before[key].get(k, 0) for k in keys), threshold),
            )
            for label, keys in labels
        ]
        rows = [row for row in rows if row.now.value or row.before.value]
        total = Row(
            "Total",
            Cell(sum(now[key].values()), threshold),
            Cell(sum(before[key].values()), threshold),
        )
        return Table(title, heading, rows, total)

    receiving = sorted({*now["receiving"], *before["receiving"]}, key=str)
    stages = sorted({*now["highest"], *before["highest"]} - {None}, key=lambda n: int(str(n)))
    return [
        table(
            "Escalations by raising sector",
            "Raising sector",
            "sector",
            [(s.label, [s.value]) for s in Sector if s != Sector.PARTNERSHIP],
        ),
        table(
            "By receiving agency",
            "Receiving agency",
            "receiving",
            [(str(a), [a]) for a in receiving],
        ),
        table(
            "Highest stage reached",
            "Stage",
            "highest",
            [(f"Stage {n}", [n]) for n in stages],
        ),
        table(
            "Level of need", "Level of need", "need", [(n.label, [n.value]) for n in LevelOfNeed]
        ),
        table(
            "Where they are now",
            "State",
            "state",
            WHERE_NOW,
        ),
        table(
            "Outcome",
            "The original decision was",
            "decision",
            [(d.label, [d.value]) for d in Decision] + [("No outcome yet", [""])],
        ),
        table(
            "Urgent escalations", "Escalated urgently", "urgent", [("Yes", [True]), ("No", [False])]
        ),
    ]
