"""What is recorded about a concern besides its state: discussions, actions, stages, outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .concern import Concern
from .people import Agency
from .process import Stage, Theme


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Telephone"
    MEETING = "meeting", "Meeting in person"
    VIDEO = "video", "Video call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class DiscussionNote(models.Model):
    """A written record of a discussion: when, with whom, how, what was said and agreed."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    with_whom = models.CharField(max_length=300)
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    discussion = models.TextField()
    agreed = models.TextField(blank=True)
    # Agency-internal notes are seen only by the author's agency (and the partnership).
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    # A key carried by the form, so a resubmitted form cannot record the note twice.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="one_note_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Discussion on {self.occurred_at:%d %b %Y} ({self.concern})"


class AgreedAction(models.Model):
    concern = models.ForeignKey(Concern, models.PROTECT, related_name="actions")
    owner_agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    description = models.TextField()
    due_date = models.DateField()
    created_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.owner_agency}: due {self.due_date:%d %b %Y}"


class Confirmation(models.Model):
    """An agency's confirmation that the outcome is filed on its own record of the child."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="confirmations")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "agency"], name="one_confirmation_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} confirmed {self.concern}"


class StagePeriod(models.Model):
    """One stay of a concern at one stage, with the deadline stored when it started."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="stage_periods")
    stage = models.ForeignKey(Stage, models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    due_date = models.DateField()
    response_due_date = models.DateField(null=True, blank=True)
    due_explanation = models.CharField(max_length=300)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Counted once when the period ends, so reports aggregate a stored number.
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Of those, the working days the clock was paused (shown apart in the report).
    paused_working_days = models.PositiveSmallIntegerField(default=0)
    # Who was named to hold the stage: they keep seeing the concern after it moves on.
    raising_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    receiving_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    partnership_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["concern", "number"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "number"], name="one_period_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.concern} at stage {self.number}"


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ProcessFollowed(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Audit(models.Model):
    """A partnership auditor's review of a closed concern.

    Whether timescales were met and whether both agencies recorded the outcome are computed
    from the stored dates and confirmations when the audit is made, and kept as they were.
    """

    concern = models.OneToOneField(Concern, models.PROTECT, related_name="audit_record")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    process_followed = models.CharField(max_length=10, choices=ProcessFollowed.choices)
    timescales_met = models.BooleanField()
    child_central = models.BooleanField()
    voice_recorded = models.BooleanField()
    both_recorded = models.BooleanField()
    rating = models.CharField(max_length=10, choices=Rating.choices)
    findings = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="audits")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Audit of {self.concern}"


class AuditAction(models.Model):
    """Learning the audit asks a named agency to act on."""

    audit = models.ForeignKey(Audit, models.PROTECT, related_name="actions")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    description = models.TextField()

    def __str__(self) -> str:
        return f"{self.agency}: {self.description[:40]}"
