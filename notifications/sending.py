"""The sweep: send the reminders that have fallen due, then attempt the deliveries that are due.

Nothing here scans concerns: the sweep asks the two partial indexes for due rows, so its cost
follows what is due, not how many concerns exist. Every send is claimed first with a
conditional UPDATE (status pending -> ... WHERE status = pending); whoever's UPDATE changes no
row lost the race and does nothing, so several workers sweeping at once send each thing once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from concerns.chain import append_event
from concerns.models import Concern, User
from concerns.selectors import concern_overdue_list_for, left_behind_for, overdue_actions_for
from notifications import hours, messages, recipients, rules
from notifications.channels import CHANNELS, DeliveryError
from notifications.models import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    Reminder,
    ReminderStatus,
)
from notifications.planning import store

logger = logging.getLogger(__name__)

BATCH = 500
DIGEST_LIMIT = 50


@dataclass
class SweepResult:
    reminders_sent: int = 0
    deliveries_attempted: int = 0


def sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Send what is due. Outside working hours nothing goes out: it waits for the morning."""
    now = now or timezone.now()
    started = time.monotonic()
    result = SweepResult()
    urgent_only = not hours.is_delivery_time(now)
    release_stuck_deliveries(now)
    for reminder_id in due_reminder_ids(now, urgent_only=urgent_only):
        result.reminders_sent += reminder_send(reminder_id=reminder_id, now=now)
    for channel in CHANNELS:
        for delivery_id in due_delivery_ids(now, channel, urgent_only=urgent_only):
            # Claimed at the moment of the claim on the sweep's clock, not at the sweep's
            # start: a long sweep's late claims must not look stuck to the next sweep.
            claimed = now + dt.timedelta(seconds=time.monotonic() - started)
            result.deliveries_attempted += delivery_attempt(
                delivery_id=delivery_id, now=now, claimed_at=claimed
            )
    return result


def due_reminder_ids(now: dt.datetime, *, urgent_only: bool = False) -> list[int]:
    """Outside working hours only the kinds that working hours do not hold back go out."""
    due = Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now)
    if urgent_only:
        due = due.filter(kind__in=rules.ANY_HOUR_KINDS)
    return list(due.order_by("due_at", "pk").values_list("pk", flat=True)[:BATCH])


def due_delivery_ids(now: dt.datetime, channel: str, *, urgent_only: bool = False) -> list[int]:
    due = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now, channel=channel
    )
    if urgent_only:
        due = due.filter(notification__kind__in=rules.ANY_HOUR_KINDS)
    return list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:BATCH])


# --- Reminders.


def claim_reminder(reminder_id: int, now: dt.datetime) -> bool:
    """The first statement of the sending transaction, so the claim commits (or rolls back)
    with everything the send writes: a worker that dies mid-send leaves it pending, not lost.
    A second worker's UPDATE waits on the first one's row lock, then matches no row."""
    claimed = Reminder.objects.filter(
        pk=reminder_id, status=ReminderStatus.PENDING, due_at__lte=now
    ).update(status=ReminderStatus.CLAIMED)
    return claimed == 1


def lock_concern(concern_id: int | None) -> Concern | None:
    """The concern's row lock, as every write to it takes: the reminder.sent event chains
    onto the audit log in order, and the state it is judged on cannot move meanwhile."""
    if concern_id is None:
        return None
    return (
        Concern.objects.select_for_update(of=("self",))
        .select_related(
            "raising_agency",
            "receiving_agency",
            "raised_by",
            "receiving_practitioner",
            "raising_holder",
            "receiving_holder",
            "partnership_holder",
            "consulted_manager",
        )
        .get(pk=concern_id)
    )


def reminder_send(*, reminder_id: int, now: dt.datetime) -> bool:
    """Claim the reminder and send it: a notification and deliveries per person, and the
    reminder.sent event on the concern's chain. False if lost to another worker or void."""
    with transaction.atomic():
        if not claim_reminder(reminder_id, now):
            return False
        reminder = Reminder.objects.select_related("recipient__agency").get(pk=reminder_id)
        concern = lock_concern(reminder.concern_id)
        people, facts = addressees(reminder, concern, now)
        if not people:
            finish(reminder, ReminderStatus.CANCELLED, now)
            return False
        notifications = notify(reminder, concern, people, facts, now)
        if concern is not None:
            record_sent(reminder, concern, notifications, now)
            plan_follow_up(reminder, concern, now)
        finish(reminder, ReminderStatus.SENT, now)
    return True


def addressees(
    reminder: Reminder, concern: Concern | None, now: dt.datetime
) -> tuple[list[User], dict[str, object]]:
    """Who to tell and what the message may say; nobody if the reminder no longer applies."""
    if not rules.still_applies(reminder, concern, now):
        return [], {}
    people = recipients.recipients(reminder, concern, rules.today(now))
    if concern is None:
        return digest_addressees(reminder, people, now)
    if reminder.kind == Kind.CONFIRM and side_confirmed(concern, reminder.payload["side"]):
        return [], {}
    return people, messages.concern_facts(reminder, concern)


def digest_addressees(
    reminder: Reminder, people: list[User], now: dt.datetime
) -> tuple[list[User], dict[str, object]]:
    """A digest lists what is overdue when it goes out; with nothing to list it is skipped."""
    manager = reminder.recipient
    overdue = digest_rows(manager, now) if manager is not None else []
    actions = digest_actions(manager, now) if manager is not None else []
    left = digest_left(manager) if manager is not None else []
    if manager is None or not (overdue or actions or left):
        return [], {}
    return people, messages.digest_facts(manager, overdue, actions, left)


def side_confirmed(concern: Concern, side: str) -> bool:
    agency_id = concern.raising_agency_id if side == "raising" else concern.receiving_agency_id
    return concern.confirmations.filter(agency_id=agency_id).exists()


def digest_rows(manager: User, now: dt.datetime) -> list[tuple[int, str, dt.date]]:
    """The overdue concerns the manager may see: the same selector as their home page."""
    overdue = concern_overdue_list_for(manager, rules.today(now)).order_by("due_date", "pk")
    rows = overdue.values_list("pk", "reference", "due_date")[:DIGEST_LIMIT]
    return [(pk, reference, due) for pk, reference, due in rows if due is not None]


def digest_actions(reader: User, now: dt.datetime) -> list[tuple[int, str, dt.date]]:
    """Overdue agreed actions the reader owns or their agency owns: the home page's list."""
    late = overdue_actions_for(reader, rules.today(now))[:DIGEST_LIMIT]
    return [(a.concern_id, a.concern.reference, a.due_date) for a in late]


def digest_left(reader: User) -> list[tuple[int, str, dt.date]]:
    """For a lead: open concerns whose named person in their agency has left."""
    rows = left_behind_for(reader).values_list("pk", "reference", "due_date")[:DIGEST_LIMIT]
    return [(pk, reference, due) for pk, reference, due in rows if due is not None]


def notify(
    reminder: Reminder,
    concern: Concern | None,
    people: list[User],
    facts: dict[str, object],
    now: dt.datetime,
) -> list[Notification]:
    notifications = Notification.objects.bulk_create(
        Notification(
            reminder=reminder,
            recipient=person,
            kind=reminder.kind,
            concern=concern,
            reference=concern.reference if concern else "",
            context=facts,
            created_at=now,
        )
        for person in people
    )
    if any(n.pk is None for n in notifications):  # backends that do not return ids
        notifications = list(reminder.notifications.order_by("pk"))
    Delivery.objects.bulk_create(
        Delivery(notification=n, channel=channel, next_attempt_at=now)
        for n in notifications
        # Everyone gets every channel; someone with no address gets a recorded, permanent
        # email failure.
        for channel in CHANNELS
    )
    return notifications


def record_sent(
    reminder: Reminder, concern: Concern, notifications: list[Notification], now: dt.datetime
) -> None:
    append_event(
        concern=concern,
        actor=None,
        kind="reminder.sent",
        at=now,
        from_state=concern.state,
        to_state=concern.state,
        payload={
            "reminder": reminder.pk,
            "reminder_kind": reminder.kind,
            "recipients": [n.recipient_id for n in notifications],
        },
    )


def plan_follow_up(reminder: Reminder, concern: Concern, now: dt.datetime) -> None:
    """An overdue stage is prompted again, every two working days, while it stays overdue; an
    unanswered urgent escalation every two hours."""
    if reminder.kind == Kind.OVERDUE:
        follow_up = rules.next_overdue(concern, now, rules.timings())
    elif reminder.kind == Kind.URGENT:
        follow_up = rules.next_urgent(concern, now)
    else:
        return
    if follow_up is not None:
        store(concern, [follow_up], now=now)


def finish(reminder: Reminder, status: str, now: dt.datetime) -> None:
    reminder.status = status
    reminder.sent_at = now if status == ReminderStatus.SENT else None
    reminder.save(update_fields=["status", "sent_at"])


# --- Deliveries.


def release_stuck_deliveries(now: dt.datetime) -> int:
    """A delivery still 'sending' long after its claim lost its worker mid-send: try again.
    (For email that may repeat one message; losing it would be worse.)"""
    since = now - dt.timedelta(seconds=settings.NOTIFY_STUCK_AFTER_SECONDS)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=since)
    return stuck.update(status=DeliveryStatus.PENDING, next_attempt_at=now)


def claim_delivery(
    delivery_id: int, now: dt.datetime, claimed_at: dt.datetime | None = None
) -> bool:
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=claimed_at or now)
    return claimed == 1


def delivery_attempt(
    *, delivery_id: int, now: dt.datetime, claimed_at: dt.datetime | None = None
) -> bool:
    """Claim one delivery and try its channel once, outside any transaction (a slow mail
    server holds no locks), then record the attempt. False if another worker had it."""
    if not claim_delivery(delivery_id, now, claimed_at):
        return False
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    try:
        CHANNELS[delivery.channel].send(delivery.notification)
        error = None
    except DeliveryError as failure:
        error = failure
    except Exception as failure:  # a bug or an unexpected library error: retry, and say so
        logger.exception("Delivery %s through %s failed", delivery.pk, delivery.channel)
        error = DeliveryError(f"{type(failure).__name__}: {failure}")
    record_attempt(delivery, error, now)
    return True


def retry_time(attempts: int, now: dt.datetime, kind: str) -> dt.datetime | None:
    """When to try again after `attempts` failures (backoff, when `kind` may go out), or
    None."""
    delays = settings.NOTIFY_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return rules.goes_out_at(kind, now + dt.timedelta(seconds=delays[attempts - 1]))


def record_attempt(delivery: Delivery, error: DeliveryError | None, now: dt.datetime) -> None:
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery,
            channel=delivery.channel,
            at=now,
            error=str(error) if error else "",
            permanent=bool(error and error.permanent),
        )
        delivery.attempts += 1
        delivery.last_error = str(error) if error else ""
        kind = delivery.notification.kind
        retry_at = (
            None if error is None or error.permanent else retry_time(delivery.attempts, now, kind)
        )
        if error is None:
            delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
        elif retry_at is None:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, retry_at
        delivery.save(
            update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"]
        )
