"""Who read what: one row per read of a concern page, its history, a report or a download,
and per sign-in event. Kept apart from the transition chain, and tamper-evident the same way:
each person's records form a chain sealed with the audit key, and the table is append-only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .concern import Concern
from .events import AppendOnlyError


class Read(models.TextChoices):
    CONCERN = "concern", "Opened the concern"
    HISTORY = "history", "Opened the full audit history"
    REPORT = "report", "Opened the learning report"
    FIGURES_CSV = "figures_csv", "Downloaded the report's figures"
    DATASET_CSV = "dataset_csv", "Downloaded the pseudonymised dataset"
    REASON = "reason", "Gave a reason to open an open concern they do not hold"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "A sign-in failed"
    LOCKED_OUT = "locked_out", "Sign-in locked after repeated failures"
    SIGNED_OUT = "signed_out", "Signed out"
    PASSWORD_RESET = "password_reset", "Reset their password"
    PASSWORD_CHANGED = "password_changed", "Changed their password"
    FACTOR_ADDED = "factor_added", "Added a second factor"
    FACTOR_REMOVED = "factor_removed", "Removed a second factor"
    RECOVERY_CODES_MADE = "recovery_codes_made", "Made new recovery codes"
    FACTOR_FAILED = "factor_failed", "A second-factor code or key was refused"
    SUBJECT_ACCESS = "subject_access", "Downloaded everything held, for a subject access request"
    OUTCOME_RECORD = "outcome_record", "Downloaded the outcome record"
    CHRONOLOGY = "chronology", "Downloaded the chronology"


class AccessRecord(models.Model):
    # Whose chain: the person (None: sign-in attempts naming no known account).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    sequence = models.PositiveIntegerField()
    at = models.DateTimeField()
    what = models.CharField(max_length=20, choices=Read.choices)
    concern = models.ForeignKey(
        Concern, models.PROTECT, related_name="access_records", null=True, blank=True
    )
    # Why: the partnership's reason; for sign-in events, the name tried (never a password).
    reason = models.CharField(max_length=500, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    key_id = models.CharField(max_length=20)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sequence"], name="one_access_per_sequence"),
            models.UniqueConstraint(
                fields=["sequence"],
                condition=models.Q(user__isnull=True),
                name="one_anonymous_access_per_sequence",
            ),
        ]
        indexes = [models.Index(fields=["concern", "at"], name="access_concern_at")]

    def __str__(self) -> str:
        return f"{self.get_what_display()} #{self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Access records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Access records cannot be deleted.")
