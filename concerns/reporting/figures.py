"""The partnership's learning report: every figure is aggregated in the database.

Figures are computed over the concerns submitted in a period (optionally those involving one
agency), read through the same access selector as every other page. Small numbers are
suppressed when shown (see `Cell`), never in the stored figures.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from concerns import selectors
from concerns.models import (
    Agency,
    AgreedAction,
    Audit,
    CaseEvent,
    Concern,
    Confirmation,
    OutcomeProposal,
    StagePeriod,
    User,
)
from concerns.models.concern import Agreement, Category, Decision, LeadProfessionalTold, LevelOfNeed
from concerns.models.people import Sector
from concerns.models.records import ActionStatus, ProposalStatus, Rating


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    agency: Agency | None = None


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont: the median is Percentile(expr, 0.5)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=fraction, **extra)


def london_day_starts(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as a timestamp range: from its first day's local midnight to the midnight
    after its last day. Filtering on the timestamp itself lets PostgreSQL use the index (a
    `submitted_at::date` cast defeated it and misled the planner: issue 12)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def report_concerns(user: User, period: Period) -> QuerySet[Concern]:
    start, end = london_day_starts(period)
    concerns = selectors.concern_list_for(user).filter(
        submitted_at__gte=start, submitted_at__lt=end
    )
    if period.agency is not None:
        agency = period.agency
        concerns = concerns.filter(Q(raising_agency=agency) | Q(receiving_agency=agency))
    return concerns


def counted(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, int]:
    return {row[key]: row["n"] for row in rows}


def by_highest_stage(concerns: QuerySet[Concern]) -> dict[int, int]:
    rows = (
        concerns.order_by()
        .annotate(highest=selectors.highest_stage_q())
        .values("highest")
        .annotate(n=Count("pk"))
    )
    return {row["highest"]: row["n"] for row in rows if row["highest"]}


def by_agency_pair(
    concerns: QuerySet[Concern],
) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Concerns by raising and receiving agency, and by raising sector, in one query."""
    rows = concerns.order_by().values(
        "raising_agency__name", "receiving_agency__name", "raising_agency__sector"
    )
    pairs: dict[tuple[str, str], int] = {}
    sectors: dict[str, int] = {}
    for r in rows.annotate(n=Count("pk")):
        pairs[(r["raising_agency__name"], r["receiving_agency__name"])] = r["n"]
        sector = r["raising_agency__sector"] or "other"
        sectors[sector] = sectors.get(sector, 0) + r["n"]
    return pairs, sectors


def by_field(concerns: QuerySet[Concern], name: str) -> dict[Any, int]:
    rows = concerns.order_by().exclude(**{f"{name}__isnull": True})
    return counted(rows.values(name).annotate(n=Count("pk")), name)


def by_theme(concerns: QuerySet[Concern]) -> dict[str, int]:
    """Concerns per theme, counted on the link table (no join back through every concern)."""
    links = Concern.themes.through.objects.filter(concern_id__in=concerns.values("pk"))
    rows = links.order_by().values("theme__name").annotate(n=Count("concern_id"))
    return counted(rows, "theme__name")


def by_month(concerns: QuerySet[Concern]) -> dict[dt.date, int]:
    rows = concerns.order_by().annotate(month=TruncMonth("submitted_at")).values("month")
    return {
        (r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"]): r["n"]
        for r in rows.annotate(n=Count("pk"))
    }


@dataclass
class Spread:
    count: int
    median: float | None
    p90: float | None


def spread_by(rows: QuerySet[Any], group: str | None, value: str) -> dict[Any, Spread]:
    """Median and 90th percentile of `value` per `group`, in the database where it can."""
    rows = rows.order_by().exclude(**{f"{value}__isnull": True})
    if connection.vendor == "postgresql":
        figures = {
            "n": Count("pk"),
            "median": Percentile(value, 0.5),
            "p90": Percentile(value, 0.9),
        }
        stats = rows.values(group).annotate(**figures) if group else [rows.aggregate(**figures)]
        return {
            (r[group] if group else None): Spread(r["n"], r["median"], r["p90"])
            for r in stats
            if r["n"]
        }
    # SQLite has no percentile function: fetch the numbers alone (not the concerns).
    values: dict[Any, list[int]] = {}
    for key, number in rows.values_list(group or "pk", value):
        values.setdefault(key if group else None, []).append(number)
    return {key: python_spread(numbers) for key, numbers in values.items()}


def python_spread(numbers: list[int]) -> Spread:
    ordered = sorted(numbers)
    return Spread(len(ordered), statistics.median(ordered), percentile(ordered, 0.9))


def percentile(ordered: list[int], fraction: float) -> float:
    """Linear interpolation between closest ranks, as percentile_cont does."""
    if len(ordered) == 1:
        return float(ordered[0])
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def overdue_by_stage(concerns: QuerySet[Concern], today: dt.date) -> dict[int, tuple[int, int]]:
    """Per stage: (periods, periods that ran past their due date)."""
    periods = StagePeriod.objects.filter(concern__in=concerns).order_by()
    late = Q(ended_at__isnull=False, ended_on__gt=F("due_date")) | Q(
        ended_at__isnull=True, due_date__lt=today
    )
    rows = (
        periods.annotate(ended_on=TruncDate("ended_at"))
        .values("number")
        .annotate(n=Count("pk"), late=Count("pk", filter=late))
    )
    return {r["number"]: (r["n"], r["late"]) for r in rows}


@dataclass
class Outcomes:
    resolved: int
    decisions: dict[str, int]
    raiser_accepted: int
    both_recorded: int
    lead_professional: dict[str, int]
    # How outcomes were agreed: accepted by the other side, deemed (silence), decided by the
    # partnership; and how many proposed outcomes the other side disputed.
    agreements: dict[str, int] = field(default_factory=dict)
    disputed: int = 0
    # Where agencies filed the outcome on their own records, by case system.
    recorded_in: dict[str, int] = field(default_factory=dict)


def outcomes(concerns: QuerySet[Concern]) -> Outcomes:
    resolved = concerns.exclude(decision="")
    totals = resolved.aggregate(n=Count("pk"), accepted=Count("pk", filter=Q(raiser_accepts=True)))
    both = resolved.order_by().annotate(c=Count("confirmations")).filter(c__gte=2).count()
    disputed = OutcomeProposal.objects.filter(
        concern__in=concerns, status=ProposalStatus.DISPUTED
    ).count()
    filed = Confirmation.objects.filter(concern__in=resolved).exclude(system="")
    recorded_in = dict(
        filed.order_by().values_list("system").annotate(n=Count("pk")).values_list("system", "n")
    )
    return Outcomes(
        resolved=totals["n"],
        decisions=by_field(resolved, "decision"),
        raiser_accepted=totals["accepted"],
        both_recorded=both,
        agreements=by_field(resolved.exclude(agreement=""), "agreement"),
        disputed=disputed,
        recorded_in=recorded_in,
        lead_professional=by_field(
            concerns.exclude(lead_professional_told=""), "lead_professional_told"
        ),
    )


@dataclass
class ActionResults:
    """The agreed actions of the period's concerns, followed through."""

    agreed: int = 0
    done_on_time: int = 0
    done_late: int = 0
    not_done: int = 0
    overdue: int = 0  # still open past the due date
    open: int = 0  # still open, not yet due


def action_results(concerns: QuerySet[Concern], today: dt.date) -> ActionResults:
    actions = AgreedAction.objects.filter(concern__in=concerns).order_by()
    done = Q(status=ActionStatus.DONE)
    on_time = done & Q(completed_on__lte=F("due_date"))
    still_open = Q(status=ActionStatus.OPEN)
    totals = actions.annotate(completed_on=TruncDate("completed_at")).aggregate(
        agreed=Count("pk"),
        done_on_time=Count("pk", filter=on_time),
        done=Count("pk", filter=done),
        not_done=Count("pk", filter=Q(status=ActionStatus.NOT_DONE)),
        overdue=Count("pk", filter=still_open & Q(due_date__lt=today)),
        open=Count("pk", filter=still_open & Q(due_date__gte=today)),
    )
    return ActionResults(
        agreed=totals["agreed"],
        done_on_time=totals["done_on_time"],
        done_late=totals["done"] - totals["done_on_time"],
        not_done=totals["not_done"],
        overdue=totals["overdue"],
        open=totals["open"],
    )


@dataclass
class AuditResults:
    audited: int
    ratings: dict[str, int]
    themes: list[tuple[str, int]]


def audit_results(concerns: QuerySet[Concern]) -> AuditResults:
    audits = Audit.objects.filter(concern__in=concerns).order_by()
    themes = (
        audits.exclude(themes=None)
        .values("themes__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "themes__name")[:5]
    )
    ratings = counted(audits.values("rating").annotate(n=Count("pk")), "rating")
    return AuditResults(
        audited=sum(ratings.values()),
        ratings=ratings,
        themes=[(row["themes__name"], row["n"]) for row in themes],
    )


@dataclass
class Report:
    period: Period
    raised: int
    highest_stage: dict[int, int]
    agency_pairs: dict[tuple[str, str], int]
    categories: dict[str, int]
    themes: dict[str, int]
    levels_of_need: dict[str, int]
    stage_days: dict[Any, Spread]
    overall_days: Spread | None
    overdue: dict[int, tuple[int, int]]
    outcomes: Outcomes
    months: dict[dt.date, int]
    audits: AuditResults
    # Urgent means urgent: concerns escalated urgently, and those where the raiser said the
    # child might be at risk of significant harm now.
    urgent: int = 0
    immediate_risk: int = 0
    # Working days each stage's clock was paused, shown apart from the time at the stage.
    paused_days: dict[int, int] = field(default_factory=dict)
    actions: ActionResults = field(default_factory=ActionResults)
    # Concerns reopened after closing, and concerns raised as follow-ons of closed ones.
    reopened: int = 0
    follow_ons: int = 0
    # Concerns by the raising agency's sector (health, schools, GP, police...).
    raising_sectors: dict[str, int] = field(default_factory=dict)


LABELS = {
    "category": dict(Category.choices),
    "level_of_need": dict(LevelOfNeed.choices),
    "decision": dict(Decision.choices),
    "agreement": dict(Agreement.choices),
    "lead_professional_told": dict(LeadProfessionalTold.choices),
    "rating": dict(Rating.choices),
    "sector": dict(Sector.choices),
}


def build_report(user: User, period: Period, today: dt.date) -> Report:
    concerns = report_concerns(user, period)
    pairs, sectors = by_agency_pair(concerns)
    periods = StagePeriod.objects.filter(concern__in=concerns)
    overall = spread_by(concerns, None, "working_days_to_outcome")
    return Report(
        period=period,
        raised=concerns.count(),
        highest_stage=by_highest_stage(concerns),
        agency_pairs=pairs,
        raising_sectors=sectors,
        categories=by_field(concerns, "category"),
        themes=by_theme(concerns),
        levels_of_need=by_field(concerns, "level_of_need"),
        stage_days=spread_by(periods, "number", "working_days"),
        overall_days=overall.get(None),
        overdue=overdue_by_stage(concerns, today),
        outcomes=outcomes(concerns),
        months=by_month(concerns),
        audits=audit_results(concerns),
        urgent=urgently_escalated(concerns),
        immediate_risk=concerns.filter(immediate_risk=True).count(),
        paused_days=paused_by_stage(periods),
        actions=action_results(concerns, today),
        reopened=reopened(concerns),
        follow_ons=concerns.exclude(follows=None).count(),
    )


def paused_by_stage(periods: QuerySet[StagePeriod]) -> dict[int, int]:
    rows = (
        periods.filter(paused_working_days__gt=0)
        .order_by()
        .values("number")
        .annotate(days=Sum("paused_working_days"))
    )
    return {row["number"]: row["days"] for row in rows}


def reopened(concerns: QuerySet[Concern]) -> int:
    """Concerns reopened with new information after closing (each counted once)."""
    again = CaseEvent.objects.filter(concern=OuterRef("pk"), kind="concern.reopened")
    return concerns.filter(Exists(again)).count()


def urgently_escalated(concerns: QuerySet[Concern]) -> int:
    urgent = CaseEvent.objects.filter(concern=OuterRef("pk"), kind="concern.escalated_urgently")
    return concerns.filter(Exists(urgent)).count()
