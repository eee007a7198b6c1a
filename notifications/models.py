"""Reminders (what falls due when), notifications (one per person), and their deliveries.

A reminder is a row with a stored, indexed due time and a unique key, so the same reminder is
never planned twice; the sweep claims it with a conditional update before sending, so it is
never sent twice. Sending makes one notification per recipient and one delivery per channel;
every delivery attempt is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from concerns.models import Concern


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "Concern raised with your agency"
    ESCALATED = "escalated", "Concern escalated to you"
    DUE_SOON = "due_soon", "Stage due next working day"
    OVERDUE = "overdue", "Stage overdue: resolve or escalate"
    RESOLVED = "resolved", "Concern resolved: confirm the outcome is recorded"
    CONFIRM = "confirm", "Confirm the outcome is on your agency's records"
    DIGEST = "digest", "Overdue concerns in your agency"
    URGENT = "urgent", "Urgent escalation: a response is due within 24 hours"
    RESUME = "resume", "Paused concern: expected to resume today"
    PROPOSED = "proposed", "Outcome proposed: accept or dispute it"
    ANSWER = "answer", "Proposed outcome: answer today or it is deemed accepted"
    DISPUTED = "disputed", "Proposed outcome disputed: escalate or agree another"
    REOPENED = "reopened", "Concern reopened: it is back at its stage"
    ACTION_DUE = "action_due", "Agreed action due today"
    ACTION_OVERDUE = "action_overdue", "Agreed action overdue"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting until it is due"
    # Only ever inside the sending transaction: it commits as sent or cancelled, or rolls
    # back to pending if the worker dies.
    CLAIMED = "claimed", "Being sent"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled: no longer applies"


class Reminder(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Unique: planning the same reminder again (a retried request, a re-run) creates nothing.
    key = models.CharField(max_length=120, unique=True)
    concern = models.ForeignKey(
        Concern, models.PROTECT, related_name="reminders", null=True, blank=True
    )
    # The state it was planned for; once the concern leaves that state it no longer applies.
    state = models.CharField(max_length=20, blank=True)
    # Set for reminders to one named person (the digest); others find their people when sent.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    payload = models.JSONField(default=dict, blank=True)
    # Already moved into working hours when planned: the sweep only compares it with now.
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            # The sweep's only question: which pending reminders are due? Pending rows are few;
            # sent and cancelled ones stay out of this index however many there are.
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="pending"),
                name="reminder_pending_due",
            ),
            models.Index(fields=["concern", "status"], name="reminder_concern_status"),
        ]

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    """What one person is told. The in-app channel shows it in their notifications list."""

    reminder = models.ForeignKey(Reminder, models.PROTECT, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    concern = models.ForeignKey(
        Concern, models.PROTECT, related_name="notifications", null=True, blank=True
    )
    # References only, never case details: what a message may say about a concern.
    reference = models.CharField(max_length=20, blank=True)
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    in_app_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient"], name="one_notification_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The header's unread count runs on every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True, in_app_at__isnull=False),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting for its next attempt"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Given up"


class Delivery(models.Model):
    """One notification through one channel, retried on its own schedule."""

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_pending_due",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="sending"),
                name="delivery_sending_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} for notification {self.notification_id}: {self.status}"


class Attempt(models.Model):
    """One try at one delivery: when, through which channel, and what went wrong (if anything)."""

    delivery = models.ForeignKey(Delivery, models.CASCADE, related_name="attempt_log")
    channel = models.CharField(max_length=20)
    at = models.DateTimeField()
    error = models.TextField(blank=True)
    permanent = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        outcome = self.error or "delivered"
        return f"{self.channel} at {self.at:%Y-%m-%d %H:%M}: {outcome}"

    @property
    def succeeded(self) -> bool:
        return not self.error
