"""Planning reminders: as concerns move, for data that predates reminders, and each morning's
digests. Sending lives in `notifications.sending`, reading in `notifications.services`.

`on_concern_event` listens to the domain's events (`concerns.events`, subscribed in
`NotificationsConfig.ready`): it runs inside the writer's transaction, while the writer holds
the concern's row lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from concerns import calendar
from concerns.models import AgreedAction, CaseEvent, Concern, User
from concerns.models.concern import CLOCK_STATES, OPEN_STATES, State, overdue_q
from concerns.models.records import ActionStatus
from notifications import hours, rules
from notifications.models import Kind, Reminder, ReminderStatus

logger = logging.getLogger(__name__)


def on_concern_event(concern: Concern, event: CaseEvent) -> None:
    """Bring the concern's reminders in line with its new state; wake the sweep if one is
    due at once (after commit, so it never sees a rolled-back reminder)."""
    now = event.created_at
    cancel_stale(concern, now=now)
    planned = rules.plan(concern, event.kind, event.sequence, now, payload=event.payload)
    if event.kind == "concern.resolved":
        actions = list(AgreedAction.objects.filter(pk__in=event.payload.get("actions", [])))
        planned += rules.action_reminders(actions)
    reminders = store(concern, planned, now=now)
    if settings.NOTIFY_KICK_WORKER and any(r.due_at <= now for r in reminders):
        transaction.on_commit(kick_sweep)


def cancel_stale(concern: Concern, *, now: dt.datetime) -> int:
    """Cancel pending reminders planned for a state the concern has left.

    SKIP LOCKED (PostgreSQL): a reminder a worker is sending right now is left alone; that
    worker waits for this transaction's lock on the concern, then sees the new state and
    cancels it itself. Waiting here instead could deadlock with it.
    """
    stale = (
        Reminder.objects.filter(concern=concern, status=ReminderStatus.PENDING)
        .exclude(state=concern.state)
        .exclude(state=rules.NO_STATE)
    )
    ids = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
    return Reminder.objects.filter(pk__in=ids, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED
    )


def store(
    concern: Concern | None, planned: list[rules.Planned], *, now: dt.datetime
) -> list[Reminder]:
    """Save what the rules planned, moved into working hours. Keys already stored are left
    as they are (ignore_conflicts), so planning twice never makes a second reminder."""
    reminders = [
        Reminder(
            kind=p.kind,
            key=p.key,
            concern=concern,
            state=p.state,
            payload=p.payload,
            due_at=rules.goes_out_at(p.kind, p.due_at),
            created_at=now,
        )
        for p in planned
    ]
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return reminders


SWEEP_TASK = "notifications.tasks.sweep"

# At most one kick in flight per process: a broker that hangs holds one background thread,
# never a web request, and never a pile of threads.
_kick_in_flight = threading.Lock()


def kick_sweep() -> bool:
    """Ask a worker to sweep now, from a background thread: the request that planned the
    reminder never waits on the broker (a hung Redis once held every request for a minute).
    Only a shortcut: if the broker is slow or down, the minute's beat sweep sends the
    reminder once it is back. Returns whether a kick was started (False: one is in flight)."""
    if not _kick_in_flight.acquire(blocking=False):
        return False
    try:
        threading.Thread(target=send_kick, name="kick-sweep", daemon=True).start()
    except Exception:
        _kick_in_flight.release()
        raise
    return True


def send_kick() -> None:
    """Sent by name, so planning never imports the tasks (which import sending, which
    imports planning). Any broker failure is logged: the reminder is safe in the database."""
    try:
        current_app.send_task(SWEEP_TASK, expires=settings.NOTIFY_SWEEP_SECONDS, retry=False)
    except Exception:
        logger.warning("Could not reach the broker to send a reminder at once.", exc_info=True)
    finally:
        _kick_in_flight.release()


def plan_for_open_concerns(now: dt.datetime) -> int:
    """Plan the timed reminders of every concern with a running clock (for data that existed
    before reminders did). Idempotent."""
    count = 0
    for concern in Concern.objects.filter(state__in=CLOCK_STATES).iterator(chunk_size=500):
        count += len(store(concern, rules.plan(concern, "", 0, now), now=now))
    return count


# --- The morning digest.


def digest_readers(today: dt.date) -> QuerySet[User]:
    """Who gets a morning digest: the safeguarding leads of agencies with overdue concerns,
    overdue agreed actions or open concerns whose named person has left; whoever is named to
    hold an overdue concern; the named owners of overdue actions. Never every manager (need
    to know)."""
    overdue = Concern.objects.filter(overdue_q(today))
    late = AgreedAction.objects.filter(status=ActionStatus.OPEN, due_date__lt=today)
    agencies = set(overdue.values_list("raising_agency_id", flat=True).distinct())
    agencies |= set(overdue.values_list("receiving_agency_id", flat=True).distinct())
    agencies |= set(late.values_list("owner_agency_id", flat=True).distinct())
    holders = Q(pk__in=overdue.values("raising_holder")) | Q(
        pk__in=overdue.values("receiving_holder")
    )
    owners = Q(pk__in=late.exclude(owner=None).values("owner"))
    open_now = Concern.objects.filter(state__in=[*OPEN_STATES, State.RESOLVED])
    agencies |= set(
        open_now.filter(Q(raised_by__is_active=False) | Q(raising_holder__is_active=False))
        .values_list("raising_agency_id", flat=True)
        .distinct()
    )
    agencies |= set(
        open_now.filter(
            Q(receiving_practitioner__is_active=False) | Q(receiving_holder__is_active=False)
        )
        .values_list("receiving_agency_id", flat=True)
        .distinct()
    )
    leads = Q(is_safeguarding_lead=True, agency_id__in=agencies)
    return User.objects.filter(leads | holders | owners, is_active=True)


def plan_digests(*, now: dt.datetime) -> int:
    """One digest reminder per reader (digest_readers), on working days. Keyed by person and
    day: beat firing twice still makes one."""
    today = rules.today(now)
    if calendar.next_working_day(today, inclusive=True) != today:
        return 0
    readers = digest_readers(today)
    due_at = hours.next_delivery_time(now)
    digests = [
        Reminder(
            kind=Kind.DIGEST,
            key=f"digest:{reader.pk}:{today}",
            recipient=reader,
            due_at=due_at,
            created_at=now,
        )
        for reader in readers.only("pk")
    ]
    Reminder.objects.bulk_create(digests, ignore_conflicts=True)
    return len(digests)
