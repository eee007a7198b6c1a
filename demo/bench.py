"""The benchmark's cases: the reads and writes people wait for, timed on a large dataset.

Cases are a registry. A feature adds its own with the decorator:

    @bench_case("report: concerns per agency, one year")
    def report_by_agency(ctx: BenchContext) -> object:
        return build_report(ctx.officer, ...)

A feature's cases live in the demo app (never in the product, which must not load benchmark
code), in a module of their own that the bench command imports, as `demo.bench_sweep` is.

Writes run inside a transaction that is rolled back, so every repetition (and every later
run reusing the dataset) starts from the same data.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from concerns import services
from concerns.chain import verify_all
from concerns.models import Concern, Role, State, User
from concerns.models.concern import OPEN_STATES, overdue_q
from concerns.models.people import MANAGER_ROLES
from concerns.models.records import ContactMethod
from concerns.selectors import concern_get_for, concern_list_for, event_list_for

PAGE = 25


@dataclass
class BenchContext:
    """The people and concerns the cases act on, chosen once from the dataset."""

    today: dt.date
    manager: User  # the busiest receiving agency's safeguarding lead: they see the most
    practitioner: User
    officer: User
    viewed: Concern  # an open concern the lead may see
    open_concern: Concern  # at stage 1, escalated (and rolled back) by its raiser
    escalation: services.EscalationData
    sample_ids: list[int]


@dataclass(frozen=True)
class BenchCase:
    name: str
    run: Callable[[BenchContext], object]
    once: bool = False  # too slow to repeat: timed a single time


@dataclass(frozen=True)
class Measured:
    name: str
    median_ms: float
    queries: int
    runs: int


CASES: list[BenchCase] = []


def bench_case(
    name: str, *, once: bool = False
) -> Callable[[Callable[[BenchContext], object]], Callable[[BenchContext], object]]:
    def register(run: Callable[[BenchContext], object]) -> Callable[[BenchContext], object]:
        CASES.append(BenchCase(name, run, once))
        return run

    return register


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def first_page(user: User) -> list[Concern]:
    return list(concern_list_for(user).order_by("due_date", "pk")[:PAGE])


# --- The cases.


@bench_case("concern_list_for: first page by due date, safeguarding lead")
def list_for_manager(ctx: BenchContext) -> object:
    return first_page(ctx.manager)


@bench_case("concern_list_for: first page by due date, practitioner")
def list_for_practitioner(ctx: BenchContext) -> object:
    return first_page(ctx.practitioner)


@bench_case("concern_list_for: first page by due date, partnership officer")
def list_for_officer(ctx: BenchContext) -> object:
    return first_page(ctx.officer)


@bench_case("overdue concerns a safeguarding lead can see: count")
def overdue_for_manager(ctx: BenchContext) -> object:
    visible = concern_list_for(ctx.manager)
    return visible.filter(overdue_q(ctx.today)).count()


@bench_case("concern_get_for + event_list_for: one concern")
def concern_page(ctx: BenchContext) -> object:
    concern = concern_get_for(ctx.manager, ctx.viewed.pk)
    return list(event_list_for(ctx.manager, concern))


@bench_case("concern_escalate: stage 1 to 2 (rolled back)")
def escalate(ctx: BenchContext) -> object:
    with rolled_back():
        return services.concern_escalate(
            concern_id=ctx.open_concern.pk, actor=ctx.open_concern.raised_by, data=ctx.escalation
        )


@bench_case("note_create (rolled back)")
def create_note(ctx: BenchContext) -> object:
    with rolled_back():
        data = services.NoteData(
            occurred_at=timezone.now() - dt.timedelta(minutes=30),
            with_whom="The other practitioner",
            method=ContactMethod.PHONE,
            discussion="Talked through the latest home visit.",
        )
        return services.note_create(
            concern_id=ctx.open_concern.pk, actor=ctx.open_concern.raised_by, data=data
        )


@bench_case("verify_audit: 1,000 concerns")
def verify_sample(ctx: BenchContext) -> object:
    return list(verify_all(ctx.sample_ids))


@bench_case("verify_audit: every concern", once=True)
def verify_everything(ctx: BenchContext) -> object:
    return list(verify_all())


# --- Choosing who and what the cases act on.


def busiest(field: str, **filters: object) -> int:
    row = (
        Concern.objects.filter(**filters)
        .values(field)
        .annotate(n=Count("pk"))
        .order_by("-n", field)
        .first()
    )
    if row is None:
        raise LookupError("The benchmark dataset has no concerns.")
    return int(row[field])


def manager_in(agency_id: int) -> User:
    """A first-line manager there if there is one ('manager' sorts before 'senior_manager')."""
    managers = User.objects.filter(agency_id=agency_id, role__in=MANAGER_ROLES)
    manager = managers.order_by("role", "pk").first()
    if manager is None:
        raise LookupError(f"The benchmark dataset has no manager in agency {agency_id}.")
    return manager


def lead_in(agency_id: int) -> User:
    """A safeguarding lead there if there is one, else a manager."""
    lead = User.objects.filter(agency_id=agency_id, is_safeguarding_lead=True).order_by("pk")
    return lead.first() or manager_in(agency_id)


def build_context() -> BenchContext:
    """The busiest receiving agency's lead, the busiest raiser, a stage 1 concern."""
    manager = lead_in(busiest("receiving_agency"))
    open_concern = (
        Concern.objects.filter(state=State.STAGE_1)
        .select_related("raised_by", "raising_agency", "receiving_agency")
        .order_by("pk")
        .first()
    )
    if open_concern is None:
        raise LookupError("The benchmark dataset has no concern at stage 1.")
    ids = list(Concern.objects.order_by("pk").values_list("pk", flat=True))
    return BenchContext(
        today=timezone.localdate(),
        manager=manager,
        practitioner=User.objects.get(pk=busiest("raised_by")),
        officer=User.objects.filter(role=Role.PARTNERSHIP_OFFICER).order_by("pk").first()
        or manager,
        viewed=concern_list_for(manager).filter(state__in=OPEN_STATES).order_by("pk").first()
        or open_concern,
        open_concern=open_concern,
        escalation=services.EscalationData(
            reason="No agreement at stage 1.",
            raising_position="The threshold is met.",
            receiving_position="The threshold is not met.",
            raising_holder=manager_in(open_concern.raising_agency_id),
            receiving_holder=manager_in(open_concern.receiving_agency_id),
        ),
        sample_ids=ids[:: max(1, len(ids) // 1000)][:1000],
    )


class QueryCounter:
    """Counts every query through the connection. CaptureQueriesContext reads Django's query
    log, which keeps only the last 9,000 entries and so reports 0 for a case that runs more."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure(case: BenchCase, ctx: BenchContext, repeat: int) -> Measured:
    timings, queries = [], 0
    for _ in range(1 if case.once else repeat):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            case.run(ctx)
            timings.append(time.perf_counter() - started)
        queries = counter.count
    return Measured(case.name, statistics.median(timings) * 1000, queries, len(timings))


def run_cases(repeat: int) -> Iterator[Measured]:
    _clients.clear()  # signed-in sessions belong to the dataset just (re)built
    ctx = build_context()
    for case in CASES:
        yield measure(case, ctx, repeat)


# --- Whole pages, as a person gets them: view, selectors, template (through the test client).

_clients: dict[int, Any] = {}


def page_as(user: User, url: str) -> int:
    from django.test import Client

    client = _clients.get(user.pk)
    if client is None:
        client = _clients[user.pk] = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
    status = client.get(url).status_code
    if status != 200:
        raise LookupError(f"{url} answered {status} for {user.email}.")
    return int(status)


@bench_case("page: home, safeguarding lead")
def home_page(ctx: BenchContext) -> object:
    return page_as(ctx.manager, "/")


@bench_case("page: concern list sorted by due date, partnership officer")
def list_page(ctx: BenchContext) -> object:
    return page_as(ctx.officer, "/concerns/?sort=due")


@bench_case("page: concern list, a word search, partnership officer")
def search_page(ctx: BenchContext) -> object:
    return page_as(ctx.officer, "/concerns/?q=threshold+referral")


@bench_case("page: one concern, safeguarding lead")
def detail_page(ctx: BenchContext) -> object:
    return page_as(ctx.manager, f"/concerns/{ctx.viewed.pk}/")


@bench_case("page: learning report, one year, partnership officer")
def report_page(ctx: BenchContext) -> object:
    start = ctx.today - dt.timedelta(days=365)
    return page_as(ctx.officer, f"/reports/?start={start}&end={ctx.today}")


@bench_case("report CSV: pseudonymised dataset, one year", once=True)
def dataset_export(ctx: BenchContext) -> object:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(ctx.officer)
    start = ctx.today - dt.timedelta(days=365)
    response = client.get(f"/reports/dataset.csv?start={start}&end={ctx.today}")
    return len(b"".join(response.streaming_content))  # type: ignore[attr-defined]
