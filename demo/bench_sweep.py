"""The sweep's benchmark cases: nothing due, then ten due, among every open concern's reminders.

The bench command imports this module, which registers these cases with `demo.bench` after
its own. The first run gives each concern with a running clock two pending reminders that are
not due (kept: the dataset is reused). The second case plans ten due reminders and sweeps
inside a rolled-back transaction, with email going nowhere.
"""

from __future__ import annotations

import datetime as dt

from django.test.utils import override_settings
from django.utils import timezone

from concerns import calendar
from concerns.models import Concern
from concerns.models.concern import CLOCK_STATES
from demo.bench import BenchContext, bench_case, rolled_back
from notifications import hours, sending
from notifications.models import Kind, Reminder

DUE = 10
NOT_DUE_KEY = "bench:not-due"


def give_open_concerns_reminders(far: dt.datetime) -> None:
    if Reminder.objects.filter(key__startswith=NOT_DUE_KEY).exists():
        return
    now = timezone.now()
    rows = Concern.objects.filter(state__in=CLOCK_STATES).values_list("pk", "state")
    batch: list[Reminder] = []
    for pk, state in rows.iterator(chunk_size=5000):
        batch += [
            Reminder(
                kind=kind,
                key=f"{NOT_DUE_KEY}:{pk}:{kind}",
                concern_id=pk,
                state=state,
                due_at=far,
                created_at=now,
            )
            for kind in (Kind.DUE_SOON, Kind.OVERDUE)
        ]
        if len(batch) >= 5000:
            Reminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Reminder.objects.bulk_create(batch, ignore_conflicts=True)


def plan_due(now: dt.datetime) -> None:
    concerns = Concern.objects.filter(state__in=CLOCK_STATES).order_by("pk")[:DUE]
    Reminder.objects.bulk_create(
        Reminder(
            kind=Kind.RESOLVED if c.state == "resolved" else Kind.ESCALATED,
            key=f"bench:due:{c.pk}",
            concern=c,
            state=c.state,
            due_at=now,
            created_at=now,
        )
        for c in concerns
    )


def working_morning(ctx: BenchContext) -> dt.datetime:
    return hours.morning_of(calendar.next_working_day(ctx.today)) + dt.timedelta(hours=1)


@bench_case("notifications sweep: nothing due among every open concern's reminders")
def sweep_with_nothing_due(ctx: BenchContext) -> object:
    now = working_morning(ctx)
    give_open_concerns_reminders(now + dt.timedelta(days=3650))
    return sending.sweep(now=now)


@bench_case(f"notifications sweep: {DUE} due among every open concern's reminders (rolled back)")
def sweep_with_few_due(ctx: BenchContext) -> object:
    now = working_morning(ctx)
    give_open_concerns_reminders(now + dt.timedelta(days=3650))
    with (
        rolled_back(),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
    ):
        plan_due(now)
        return sending.sweep(now=now)
