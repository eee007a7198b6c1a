"""The append-only, hash-chained event log: one row per transition, note and reminder sent.

Rows are written only by `concerns.chain.append_event`. The model refuses updates and deletes;
on PostgreSQL a trigger refuses them too (see the migration), whatever the client.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .concern import Concern


class AppendOnlyError(Exception):
    pass


class CaseEvent(models.Model):
    # Events about no single concern (a report export) form the partnership's own chain.
    concern = models.ForeignKey(
        Concern, models.PROTECT, related_name="events", null=True, blank=True
    )
    sequence = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    payload = models.JSONField(default=dict)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    # Which of settings.AUDIT_KEYS sealed it (HMAC-SHA256); blank: a plain SHA-256 from before
    # the chain was keyed, trusted only as far as a signed checkpoint anchors it.
    key_id = models.CharField(max_length=20, blank=True)
    hash = models.CharField(max_length=64)
    # Its payload's case text erased when the concern was disposed of (the seal stays; the
    # disposal record on the partnership chain vouches for what remains).
    redacted = models.BooleanField(default=False)

    class Meta:
        ordering = ["concern", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "sequence"], name="one_event_per_sequence"),
            models.UniqueConstraint(
                fields=["sequence"],
                condition=models.Q(concern__isnull=True),
                name="one_partnership_event_per_sequence",
            ),
        ]
        indexes = [models.Index(fields=["kind", "created_at"], name="event_kind_time")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.sequence} on {self.concern_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)
        # (Redaction at disposal is one UPDATE of payload and redacted, by
        # concerns.services.retention; the database trigger allows nothing else.)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit events cannot be deleted.")
